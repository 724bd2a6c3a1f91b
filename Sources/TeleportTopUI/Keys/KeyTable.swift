import TeleportCore

/// One table of keys drives dispatch, the hint bar and the `?` help: (key, action, help
/// text, context).
public struct KeyBinding: Sendable {
    public var keys: [KeyCode]
    /// How the key is written in the hint bar and help (`q`, `Tab`, `↑/k`).
    public var label: String
    public var action: Action
    public var help: String
    public var context: KeyContext
    /// The one or two words shown in the hint bar; nil keeps the binding out of it.
    public var hint: String?

    public init(_ keys: [KeyCode], _ label: String, _ action: Action, _ help: String, _ context: KeyContext, hint: String? = nil) {
        self.keys = keys
        self.label = label
        self.action = action
        self.help = help
        self.context = context
        self.hint = hint
    }
}

public enum KeyTable {
    static func c(_ character: Character) -> KeyCode { .character(character) }

    /// Every binding.
    public static let bindings: [KeyBinding] = {
        var table: [KeyBinding] = Tab.ordered.map { tab in
            KeyBinding([c(tab.key)], String(tab.key), .selectTab(tab), "show \(tab.title)", .global)
        }
        table += [
            KeyBinding([.tab, .right, c("l")], "Tab", .nextTab, "next tab", .global, hint: "tabs"),
            KeyBinding([.backTab, .left, c("h")], "S-Tab", .previousTab, "previous tab", .global),
            KeyBinding([.controlRight], "C-→", .nextTab, "next tab (also where ←/→ have another use)", .global),
            KeyBinding([.controlLeft], "C-←", .previousTab, "previous tab (also where ←/→ have another use)", .global),
            KeyBinding([.up, c("k")], "↑/k", .up, "move up", .table),
            KeyBinding([.down, c("j")], "↓/j", .down, "move down", .table),
            KeyBinding([.pageUp], "PgUp", .pageUp, "page up", .table),
            KeyBinding([.pageDown], "PgDn", .pageDown, "page down", .table),
            KeyBinding([.home, c("g")], "g", .top, "first row", .table),
            KeyBinding([.end, c("G")], "G", .bottom, "last row", .table),
            KeyBinding([.enter], "Enter", .enter, "expand family / open histogram", .table, hint: "open"),
            KeyBinding([.escape], "Esc", .back, "back", .global),
            KeyBinding([c("I")], "I", .showFleet, "fleet: back to the instances", .global, hint: "fleet"),
            KeyBinding([c("/")], "/", .startFilter, "regex filter (! inverts)", .table, hint: "filter"),
            KeyBinding([c("f")], "f", .startLabelFilter, "label filter: name=v, name=~re", .table, hint: "labels"),
            KeyBinding([c("s")], "s", .cycleSort, "cycle sort: name, rate, value", .table, hint: "sort"),
            KeyBinding([c("v")], "v", .cycleView, "tabs 2 and 8: next view", .table, hint: "views"),
            KeyBinding([c(" ")], "Space", .togglePause, "pause (data keeps coming)", .global, hint: "pause"),
            KeyBinding([c("+"), c("=")], "+", .faster, "poll faster", .global, hint: "faster"),
            KeyBinding([c("-")], "-", .slower, "poll slower", .global),
            KeyBinding([c("T")], "T", .cycleTheme, "next theme", .global),
            KeyBinding([c("p")], "p", .captureProfile, "CPU profile now (opens its top-N when done)", .global, hint: "profile"),
            KeyBinding([c("x")], "x", .injectFailure, "embedded: fail a heartbeat", .global, hint: "fail"),
            KeyBinding([c("r")], "r", .retryNow, "scrape the target now (while it is down: retry now)", .global),
            KeyBinding([c("B")], "B", .writeBundle, "write a diagnostics bundle (.tar.gz) of what the dashboard holds", .global),
            KeyBinding([c("?")], "?", .toggleHelp, "help", .global, hint: "help"),
            KeyBinding([c("q"), .controlC], "q", .quit, "quit", .global, hint: "quit"),
            KeyBinding([.up, c("k")], "↑/k", .up, "previous instance", .fleet),
            KeyBinding([.down, c("j")], "↓/j", .down, "next instance", .fleet),
            KeyBinding([.pageUp], "PgUp", .pageUp, "page up", .fleet),
            KeyBinding([.pageDown], "PgDn", .pageDown, "page down", .fleet),
            KeyBinding([.home, c("g")], "g", .top, "first instance", .fleet),
            KeyBinding([.end, c("G")], "G", .bottom, "last instance", .fleet),
            KeyBinding([.enter], "Enter", .enter, "open the instance's dashboard (a tab key: that tab of it)", .fleet, hint: "open"),
            KeyBinding([c("/")], "/", .startFilter, "regex over name, roles, version, state (! inverts)", .fleet, hint: "filter"),
            KeyBinding([c("f")], "f", .startLabelFilter, "filter: role=auth, version=~16.*, state!=ok", .fleet, hint: "labels"),
            KeyBinding([c("s")], "s", .cycleSort, "sort after the state: name, CPU, memory, ...", .fleet, hint: "sort"),
            KeyBinding([c("p")], "p", .captureProfile, "CPU profile of the selected instance", .fleet, hint: "profile"),
            KeyBinding([c("x")], "x", .injectFailure, "embedded: fail a heartbeat of the selected instance", .fleet, hint: "fail"),
            KeyBinding([c("r")], "r", .retryNow, "refresh the selected instance now", .fleet, hint: "retry"),
            KeyBinding([c("d")], "d", .toggleDirect, "Prometheus fleet: poll the selected instance directly (again: back)", .fleet),
            KeyBinding([.escape], "Esc", .back, "clear the filters", .fleet),
            KeyBinding([c("V")], "V", .levelPicker, "the process's log level (through the debug socket)", .global),
            KeyBinding([.up, c("k")], "↑/k", .up, "older line (stops following)", .logs),
            KeyBinding([.down, c("j")], "↓/j", .down, "newer line", .logs),
            KeyBinding([.pageUp], "PgUp", .pageUp, "page up (stops following)", .logs),
            KeyBinding([.pageDown], "PgDn", .pageDown, "page down", .logs),
            KeyBinding([.home, c("g")], "g", .top, "oldest line", .logs),
            KeyBinding([.end, c("G")], "G", .bottom, "newest line, following", .logs),
            KeyBinding([c("F")], "F", .toggleFollow, "follow the newest line again", .logs, hint: "follow"),
            KeyBinding([c("m")], "m", .cycleLevel, "minimum level: TRACE, DEBUG, INFO, WARN, ERROR", .logs, hint: "level"),
            KeyBinding([c("c")], "c", .startComponentFilter, "only lines of a component", .logs, hint: "component"),
            KeyBinding([c("/")], "/", .startFilter, "regex over message and attributes (! inverts)", .logs, hint: "filter"),
            KeyBinding([.enter], "Enter", .enter, "the line's attributes", .logs, hint: "detail"),
            KeyBinding([c("t")], "t", .openTrace, "open the line's trace in the waterfall", .logs, hint: "trace"),
            KeyBinding([c("w")], "w", .writeLines, "write the lines shown to a file", .logs, hint: "write"),
            KeyBinding([.escape], "Esc", .back, "close the detail / clear the filters", .logs),
            KeyBinding([.up, c("k")], "↑/k", .up, "previous finding", .findings),
            KeyBinding([.down, c("j")], "↓/j", .down, "next finding", .findings),
            KeyBinding([.pageUp], "PgUp", .pageUp, "page up", .findings),
            KeyBinding([.pageDown], "PgDn", .pageDown, "page down", .findings),
            KeyBinding([.home, c("g")], "g", .top, "first finding", .findings),
            KeyBinding([.end, c("G")], "G", .bottom, "last finding", .findings),
            KeyBinding(
                [.enter], "Enter", .enter, "its evidence: the series' row or histogram, a gRPC method's spans (Esc comes back)", .findings, hint: "evidence"),
            KeyBinding([c("m")], "m", .toggleMute, "mute the finding for this session (again: unmute; muted ones are listed last)", .findings, hint: "mute"),
            KeyBinding(
                [c("b")], "b", .startBaseline, "baseline: the last N minutes, 05:10-05:20 (UTC) or -30m..-20m; off: rolling", .findings, hint: "baseline"),
            KeyBinding([c("y")], "y", .answerYes, "yes", .question, hint: "yes"),
            KeyBinding([c("n"), .controlC], "n", .answerNo, "no", .question, hint: "no"),
            KeyBinding([.up, c("k")], "↑/k", .up, "previous level", .question),
            KeyBinding([.down, c("j")], "↓/j", .down, "next level", .question),
            KeyBinding([.enter], "Enter", .enter, "choose", .question, hint: "choose"),
            KeyBinding([.escape], "Esc", .back, "cancel", .question, hint: "cancel"),
            KeyBinding([.enter], "Enter", .filterDone, "keep the filter", .filter, hint: "keep"),
            KeyBinding([.escape], "Esc", .filterCancel, "clear the filter", .filter, hint: "clear"),
            KeyBinding([.backspace], "Bksp", .filterBackspace, "delete a character", .filter),
            KeyBinding([.escape], "Esc", .back, "back to the table", .histogram, hint: "back"),
            KeyBinding([.enter], "Enter", .enter, "feed: open the trace · operations: show its spans", .spans, hint: "open"),
            KeyBinding([c("/")], "/", .startFilter, "regex over service, operation, status, attributes (! inverts)", .spans, hint: "filter"),
            KeyBinding([c("f")], "f", .startLabelFilter, "attribute filter: key=value, several with commas", .spans, hint: "attrs"),
            KeyBinding([c("S")], "S", .toggleServiceFilter, "only the selected span's service (again: every service)", .spans),
            KeyBinding([c("s")], "s", .cycleSort, "order: newest first or slowest first", .spans, hint: "sort"),
            KeyBinding([c("e")], "e", .toggleErrorsOnly, "errors only", .spans, hint: "errors"),
            KeyBinding([c("F")], "F", .toggleFollow, "follow the newest span", .spans, hint: "follow"),
            KeyBinding([.escape], "Esc", .back, "clear the span filters", .spans),
            KeyBinding([.up, c("k")], "↑/k", .up, "previous span", .waterfall),
            KeyBinding([.down, c("j")], "↓/j", .down, "next span", .waterfall),
            KeyBinding([.left, c("h")], "←/h", .fold, "fold the span's children", .waterfall, hint: "fold"),
            KeyBinding([.right, c("l")], "→/l", .unfold, "unfold", .waterfall, hint: "unfold"),
            KeyBinding([.enter], "Enter", .enter, "fold or unfold", .waterfall),
            KeyBinding([.pageUp], "PgUp", .pageUp, "page up", .waterfall),
            KeyBinding([.pageDown], "PgDn", .pageDown, "page down", .waterfall),
            KeyBinding([.home, c("g")], "g", .top, "first span", .waterfall),
            KeyBinding([.end, c("G")], "G", .bottom, "last span", .waterfall),
            KeyBinding([.escape], "Esc", .back, "back to the feed", .waterfall, hint: "back"),
            KeyBinding([.up, c("k")], "↑/k", .up, "previous row", .profiles),
            KeyBinding([.down, c("j")], "↓/j", .down, "next row", .profiles),
            KeyBinding([c(" ")], "Space", .toggleKind, "check or uncheck a kind", .profiles, hint: "check"),
            KeyBinding([.left, c("h")], "←/h", .shorter, "shorter capture (-5s)", .profiles),
            KeyBinding([.right, c("l")], "→/l", .longer, "longer capture (+5s)", .profiles, hint: "duration"),
            KeyBinding([.enter], "Enter", .enter, "capture the checked kinds / open a capture", .profiles, hint: "capture"),
            KeyBinding([c("c")], "c", .cancelCapture, "cancel the running capture", .profiles),
            KeyBinding([c("b")], "b", .markBaseline, "mark the capture as its kind's baseline for the session (again: unmark)", .profiles),
            KeyBinding([.up, c("k")], "↑/k", .up, "previous row", .profileViewer),
            KeyBinding([.down, c("j")], "↓/j", .down, "next row", .profileViewer),
            KeyBinding([.pageUp], "PgUp", .pageUp, "page up", .profileViewer),
            KeyBinding([.pageDown], "PgDn", .pageDown, "page down", .profileViewer),
            KeyBinding([c("s")], "s", .cycleSort, "sort by flat or cum", .profileViewer, hint: "sort"),
            KeyBinding([c("i")], "i", .cycleSampleIndex, "next sample type", .profileViewer, hint: "sample"),
            KeyBinding([c("L")], "L", .toggleLines, "functions or lines", .profileViewer, hint: "lines"),
            KeyBinding([c("/")], "/", .startFilter, "focus: keep samples through a matching frame", .profileViewer, hint: "focus"),
            KeyBinding([c("g")], "g", .toggleGroups, "goroutine profile: grouped stacks or top", .profileViewer),
            KeyBinding([c("F")], "F", .toggleFlame, "flame graph of the sample type", .profileViewer, hint: "flame"),
            KeyBinding([c("P")], "P", .peek, "callers and callees of the row's function (go tool pprof -peek)", .profileViewer, hint: "peek"),
            KeyBinding([c("b")], "b", .markBaseline, "mark this capture as its kind's baseline (again: unmark)", .profileViewer, hint: "baseline"),
            KeyBinding(
                [c("D")], "D", .toggleDiff, "diff against the kind's baseline: -base (allocs, block, mutex of the same pid) or -diff_base",
                .profileViewer, hint: "diff"),
            KeyBinding([c("%")], "%", .toggleNormalize, "while diffing: scale to the baseline's total (pprof -normalize)", .profileViewer),
            KeyBinding([.escape], "Esc", .back, "back to the captures", .profileViewer, hint: "back"),
            KeyBinding([.up, c("k")], "↑/k", .up, "parent frame", .flame, hint: "parent"),
            KeyBinding([.down, c("j")], "↓/j", .down, "heaviest child frame", .flame, hint: "child"),
            KeyBinding([.left, c("h")], "←/h", .left, "frame to the left", .flame),
            KeyBinding([.right, c("l")], "→/l", .right, "frame to the right", .flame, hint: "sibling"),
            KeyBinding([.home, c("g")], "g", .top, "the root frame", .flame),
            KeyBinding([.enter], "Enter", .enter, "zoom: the frame takes the full width", .flame, hint: "zoom"),
            KeyBinding([c("/")], "/", .startFilter, "highlight frames matching a regex, with their share", .flame, hint: "search"),
            KeyBinding([c("i")], "i", .cycleSampleIndex, "next sample type", .flame, hint: "sample"),
            KeyBinding([c("P")], "P", .peek, "callers and callees of the frame's function", .flame, hint: "peek"),
            KeyBinding([c("F")], "F", .toggleFlame, "back to the table", .flame),
            KeyBinding([c("b")], "b", .markBaseline, "mark this capture as its kind's baseline (again: unmark)", .flame),
            KeyBinding([c("D")], "D", .toggleDiff, "diff against the kind's baseline (colours: grew, shrank; legend on screen)", .flame, hint: "diff"),
            KeyBinding([c("%")], "%", .toggleNormalize, "while diffing: scale to the baseline's total (pprof -normalize)", .flame),
            KeyBinding([.escape], "Esc", .back, "zoom out; at the root: back to the table", .flame, hint: "back"),
            KeyBinding([.up, c("k")], "↑/k", .up, "scroll up", .peek),
            KeyBinding([.down, c("j")], "↓/j", .down, "scroll down", .peek),
            KeyBinding([.pageUp], "PgUp", .pageUp, "page up", .peek),
            KeyBinding([.pageDown], "PgDn", .pageDown, "page down", .peek),
            KeyBinding([c("P")], "P", .peek, "close", .peek),
            KeyBinding([.escape], "Esc", .back, "close", .peek, hint: "back"),
            KeyBinding([c(" ")], "Space", .replay(.playPause), "replay: play or pause", .replay, hint: "play"),
            KeyBinding([c(",")], ",", .replay(.step(-1)), "replay: one scrape back", .replay),
            KeyBinding([c(".")], ".", .replay(.step(1)), "replay: one scrape forward", .replay, hint: "step"),
            KeyBinding([c("[")], "[", .replay(.minutes(-1)), "replay: a minute back", .replay),
            KeyBinding([c("]")], "]", .replay(.minutes(1)), "replay: a minute forward", .replay, hint: "minute"),
            KeyBinding([c("{")], "{", .replay(.toStart), "replay: the start", .replay),
            KeyBinding([c("}")], "}", .replay(.toEnd), "replay: the end (following a file still written)", .replay, hint: "end"),
            KeyBinding([c("n")], "n", .replay(.change(1)), "replay: next state change or restart", .replay, hint: "change"),
            KeyBinding([c("N")], "N", .replay(.change(-1)), "replay: previous state change or restart", .replay),
            KeyBinding([c(")")], ")", .replay(.finding(1)), "replay: next moment a finding opened", .replay),
            KeyBinding([c("(")], "(", .replay(.finding(-1)), "replay: previous moment a finding opened", .replay),
            KeyBinding([c(":")], ":", .startJump, "replay: jump to a time (05:32 UTC, -5m, ISO 8601)", .replay, hint: "jump"),
            KeyBinding([c("<")], "<", .replay(.speed(-1)), "replay: slower (×1 to ×60)", .replay),
            KeyBinding([c(">")], ">", .replay(.speed(1)), "replay: faster", .replay, hint: "speed"),
        ]
        return table
    }()

    /// The action for a key in a context: the first binding of the key in `order(for:)`.
    public static func action(for key: KeyCode, in context: KeyContext) -> Action? {
        if context == .filter {
            if let binding = bindings.first(where: { $0.context == .filter && $0.keys.contains(key) }) { return binding.action }
            if case .character(let character) = key { return .filterInput(character) }
            if key == .controlC { return .quit }
            return nil
        }
        for candidate in order(for: context) {
            if let binding = bindings.first(where: { $0.context == candidate && $0.keys.contains(key) }) { return binding.action }
        }
        return nil
    }

    /// The contexts consulted for a key, first match wins: the screen's own, then the global
    /// keys, then the table's where they apply.
    static func order(for context: KeyContext) -> [KeyContext] {
        let wanted = contexts(for: context)
        return [context, .global, .table].filter { wanted.contains($0) }.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The contexts whose bindings apply on a screen of a context: table keys also work in
    /// the histogram view (they act on the table behind it), not on plain screens.
    static func contexts(for context: KeyContext) -> Set<KeyContext> {
        switch context {
        case .filter: return [.filter]
        case .global: return [.global]
        case .table: return [.table, .global]
        case .histogram: return [.histogram, .global, .table]
        case .spans: return [.spans, .global, .table]
        case .waterfall: return [.waterfall, .global]
        case .profiles: return [.profiles, .global]
        case .profileViewer: return [.profileViewer, .global]
        case .flame: return [.flame, .global]
        case .peek: return [.peek, .global]
        case .fleet: return [.fleet, .global]
        case .logs: return [.logs, .global]
        case .findings: return [.findings, .global]
        case .question: return [.question]
        case .replay: return [.replay]
        }
    }

    /// The bindings that apply in a context, for the help screen.
    /// A binding whose every key an earlier context of `order(for:)` takes is left out: help
    /// shows what each key does on this screen.
    public static func help(for context: KeyContext) -> [KeyBinding] {
        var claimed = Set<KeyCode>()
        var kept: [Int] = []
        for candidate in order(for: context) {
            let own = bindings.indices.filter { bindings[$0].context == candidate }
            kept += own.filter { !bindings[$0].keys.allSatisfy(claimed.contains) }
            for index in own { claimed.formUnion(bindings[index].keys) }
        }
        return kept.sorted().map { bindings[$0] }
    }

    /// The hint bar's bindings for a context.
    public static func hints(for context: KeyContext) -> [KeyBinding] {
        let all = help(for: context).filter { $0.hint != nil }
        // The screen's own keys first, then the table's, then the global ones.
        let ordered =
            all.filter { $0.context == context } + all.filter { $0.context != context && $0.context != .global }
            + all.filter { $0.context == .global && context != .global }
        // A key the screen binds itself hides the same key's table binding.
        var seen = Set<String>()
        return ordered.filter { seen.insert($0.label).inserted }
    }
}
