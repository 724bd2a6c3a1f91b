import Foundation
import TeleportCore

/// The pure heart of the dashboard: (state, action) -> new state + effects, and (state,
/// event) -> new state + effects. The key context picks the screen whose reducer runs; what
/// it leaves goes to the global keys, handled here once.
public enum Reducer {
    /// The polling intervals `+` and `-` step through.
    public static let intervals: [Duration] = [
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
    ]

    /// Keys that need a live target, refused in a replay.
    public static let refusedInReplay: [Action] = [.captureProfile, .injectFailure, .retryNow, .faster, .slower, .levelPicker]

    /// Rows a page moves.
    public static let pageRows = 10

    /// The key context of the current screen.
    public static func context(_ state: DashboardState) -> KeyContext {
        if state.editingFilter { return .filter }
        if state.logs.askRestore || state.logs.confirm != nil || state.logs.picker != nil { return .question }
        if state.showsFleet { return .fleet }
        if state.histogram != nil { return .histogram }
        switch state.tab {
        case .spans: return state.spansTab.trace != nil ? .waterfall : .spans
        case .profiles:
            guard let viewer = state.profiles.viewer else { return .profiles }
            return viewer.peek != nil ? .peek : viewer.showsFlame ? .flame : .profileViewer
        case .overview: return .global
        case .logs: return .logs
        case .findings: return .findings
        default: return .table
        }
    }

    /// The reducer of the screen on display.
    static func screen(_ state: DashboardState) -> any ScreenReducer.Type {
        if state.showHelp && !state.editingFilter { return HelpReducer.self }
        switch context(state) {
        case .filter: return FilterReducer.self
        case .histogram: return HistogramReducer.self
        case .table: return TablesReducer.self
        case .spans: return SpansReducer.self
        case .waterfall: return WaterfallReducer.self
        case .profiles: return ProfilesReducer.self
        case .profileViewer: return ViewerReducer.self
        case .flame: return FlameReducer.self
        case .peek: return PeekReducer.self
        case .global, .replay: return OverviewReducer.self
        case .fleet: return FleetReducer.self
        case .logs: return LogsReducer.self
        case .findings: return FindingsReducer.self
        case .question: return QuestionReducer.self
        }
    }

    /// Applies an action; asks the data side again when the histogram on screen, the span
    /// query or the open trace changed.
    public static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect] {
        let before = state.histogram
        let (query, trace) = (state.spansTab.query, state.spansTab.trace)
        var effects = apply(&state, action)
        if state.histogram != before {
            state.heatmap = nil
            effects += HistogramReducer.request(&state)
        }
        if state.spansTab.query != query || state.spansTab.trace != trace { effects += SpansReducer.request(&state, byUser: state.spansTab.query != query) }
        effects += LogsReducer.opened(&state)
        return effects
    }

    static func apply(_ state: inout DashboardState, _ action: Action) -> [Effect] {
        // A message stays until the next key (the clock's tick leaves it).
        // The clock reaches the state whatever screen or question is open (uptime and ages
        // never freeze behind a picker).
        if case .tick(let now) = action { state.now = now } else { state.message = nil }
        if state.fileViewer && state.editing == nil && !state.showHelp {
            switch action {
            case .back where context(state) == .profileViewer, .quit:
                state.quit = true
                return [.quit]
            case .selectTab, .nextTab, .previousTab, .captureProfile, .injectFailure, .retryNow, .togglePause, .faster, .slower, .click(.tab),
                .levelPicker, .showFleet:
                return []  // nothing but the viewer here
            default: break
            }
        }
        if state.replay != nil, refusedInReplay.contains(action) {
            state.message = "a replay has no target: p, x, r, V, + and - act on a live one"
            return []
        }
        // Esc on a finding's evidence comes back to the finding.
        if action == .back, let effects = FindingsReducer.returnFromEvidence(&state) { return effects }
        let effects = screen(state).reduce(&state, action) ?? global(&state, action)
        FindingsReducer.forgetEvidence(&state)
        return effects
    }

    /// The keys every screen shares (a screen that gives one of them a meaning of its own
    /// has handled it already).
    static func global(_ state: inout DashboardState, _ action: Action) -> [Effect] {
        switch action {
        case .tick(let now):
            state.now = now
        case .selectTab(let tab), .click(.tab(let tab)):
            state.tab = tab
            state.histogram = nil
            state.showHelp = false
        case .nextTab:
            state.tab = state.tab.next
            state.histogram = nil
        case .previousTab:
            state.tab = state.tab.previous
            state.histogram = nil
        case .togglePause:
            state.paused.toggle()
            if !state.paused {
                state.snapshot = state.latest
                state.spans = state.latestSpans
            }
        case .faster, .slower:
            let current = state.requestedInterval ?? state.latest.interval
            let index = intervals.firstIndex { $0 >= current } ?? intervals.count - 1
            let next = intervals[max(0, min(intervals.count - 1, index + (action == .faster ? -1 : 1)))]
            state.message = "polling every \(DurationText.format(next))"
            state.requestedInterval = next
            return next == current ? [] : [.setInterval(next)]
        case .retryNow:
            state.message = state.latest.lastFailure == nil ? "scraping now" : "retrying now"
            if let open = state.fleet?.open { return [.retryInstance(open)] }
            return [.retryNow]
        case .cycleTheme:
            guard !state.noColor else {
                state.message = "NO_COLOR is set: the theme stays monochrome"
                return []
            }
            return [.loadTheme(ThemeLoader.cycled(after: state.themeName))]
        case .injectFailure:
            guard state.isEmbedded else {
                state.message = "x injects failures into the embedded simulation only"
                return []
            }
            state.message = "heartbeat failure injected"
            if let open = state.fleet?.open { return [.injectFailureInstance(open)] }
            return [.injectFailure]
        case .toggleHelp:
            state.showHelp.toggle()
            state.helpOffset = 0
        case .captureProfile:
            return ProfilesReducer.oneKey(&state)
        case .writeBundle:
            return BundleReducer.start(&state)
        case .showFleet, .click(.fleetTab):
            guard state.fleet != nil else {
                state.message = "I shows the fleet: name several targets (--targets FILE, --diag-addr twice, --prometheus URL)"
                return []
            }
            return FleetReducer.close(&state)
        case .back:
            // Esc where the screen has nothing to close: back to the fleet.
            return FleetReducer.close(&state)
        case .replay, .startJump:
            return ReplayReducer.reduce(&state, action)
        case .levelPicker:
            guard state.logs.hasSocket else {
                state.message = "the log level is set through the debug socket: name it with --debug-socket or -c"
                return []
            }
            state.logs.picker = LogLine.levels.firstIndex(of: state.logs.level ?? "INFO") ?? 2
        case .quit:
            // A log level teleport-top raised is easy to forget on a production host.
            if let original = state.logs.changedFrom, state.logs.level != original {
                switch state.logs.restorePolicy {
                case "yes":
                    state.quit = true
                    return [.setLogLevel(original, restoring: true), .quit]
                case "no":
                    state.quit = true
                    return [.keepLogLevel, .quit]
                default:
                    state.logs.askRestore = true
                    return []
                }
            }
            state.quit = true
            return [.quit]
        default:
            break  // a key of another screen, or a click on nothing
        }
        return []
    }

    /// A frame too small to show anything: no key but quit acts on it.
    static func tooSmall(_ screen: Screen) -> Bool {
        screen.width < DashboardView.minimumWidth || screen.height < DashboardView.minimumHeight
    }

    /// Folds an event in. A click is looked up in `screen`'s hit map (the frame on display).
    public static func fold(_ state: inout DashboardState, _ event: DashboardEvent, screen: Screen? = nil) -> [Effect] {
        switch event {
        case .input(let input):
            switch input {
            case .key(let key):
                if let screen {
                    state.columns = screen.width
                    // Too small to show anything: only quitting acts (nothing happens unseen).
                    if tooSmall(screen) {
                        return KeyTable.action(for: key, in: .global) == .quit ? reduce(&state, .quit) : []
                    }
                }
                // A replay's keys come first, except while typing or answering a question.
                let current = context(state)
                if state.showHelp, current != .filter, let scroll = HelpReducer.scroll(key) { return reduce(&state, scroll) }
                if state.replay != nil, current != .filter, current != .question, !state.showHelp, let action = ReplayReducer.action(for: key) {
                    return reduce(&state, action)
                }
                guard let action = KeyTable.action(for: key, in: current) else { return [] }
                return reduce(&state, action)
            case .click(let x, let y):
                guard let target = screen?.target(atX: x, y: y) else { return [] }
                return reduce(&state, .click(target))
            case .wheelUp, .wheelDown:
                if let screen, tooSmall(screen) { return [] }
                return reduce(&state, input == .wheelUp ? .up : .down)
            case .resize: return []
            case .terminate:
                state.quit = true
                if let original = state.logs.changedFrom, state.logs.level != original, state.logs.restorePolicy != "no" {
                    return [.setLogLevel(original, restoring: true), .quit]
                }
                return [.quit]
            }
        case .tick(let now):
            return reduce(&state, .tick(now))
        case .scrape(let scrape):
            // A fleet shows the open instance's scrapes only (an older focus's may still arrive).
            if let fleet = state.fleet, scrape.instance == nil || scrape.instance != fleet.open { return [] }
            receive(&state, scrape.snapshot)
            return state.paused ? [] : HistogramReducer.request(&state)
        case .spansArrived:
            return SpansReducer.refresh(&state)
        case .spans(let request, let snapshot):
            return SpansReducer.answer(&state, request: request, snapshot)
        case .heatmap(let request, let heatmap):
            if request == state.requests.heatmap { state.heatmap = heatmap }
            return []
        case .profile(let event):
            return ProfilesReducer.receive(&state, event)
        case .report(let request, let data):
            if state.profiles.viewer?.request == request { state.profiles.viewer?.data = data }
            return []
        case .flame(let request, let options, let diff, let result):
            FlameReducer.receive(&state, request: request, options: options, diff: diff, result)
            return []
        case .peek(let request, let result):
            PeekReducer.receive(&state, request: request, result)
            return []
        case .logLines(let lines):
            LogsReducer.receive(&state, lines)
            return []
        case .logStatus(let status):
            state.logs.status = status
            return []
        case .logLevel(let level, let answer):
            if let level { state.logs.level = level }
            if state.logs.changedFrom == state.logs.level { state.logs.changedFrom = nil }
            if let answer { state.message = answer }
            return []
        case .notice(let text):
            state.message = text
            return []
        case .fleetRow(let row):
            FleetReducer.receive(&state, row)
            return []
        case .fleetStatus(let status):
            state.fleet?.status = status
            return []
        case .fleetEngine(let via):
            state.fleet?.via = via
            return []
        case .replay(let status):
            return ReplayReducer.receive(&state, status)
        case .findings(let event):
            FindingsReducer.receive(&state, event)
            return []
        case .bundle(let status):
            BundleReducer.receive(&state, status)
            return []
        case .theme(let name, let theme):
            guard let theme else {
                state.message = "no theme \(name)"
                return []
            }
            state.theme = theme
            state.themeName = name
            state.message = "theme \(name)"
            return []
        }
    }

    /// A new snapshot arrived: shown at once unless paused.
    public static func receive(_ state: inout DashboardState, _ snapshot: MetricsSnapshot) {
        state.latest = snapshot
        if let services = snapshot.family("teleport_services") {
            state.logs.runsAuth = services.series.contains { $0.value == 1 && $0.key.labels[label: "service_name"] == "auth_service" }
        }
        if !state.paused { state.snapshot = snapshot }
    }

    /// Moves a list cursor by `delta` rows within `count` rows.
    static func clamp(_ current: Int, by delta: Int, count: Int) -> Int {
        max(0, min(count - 1, current.addingReportingOverflow(delta).partialValue))
    }

    /// The row delta of a movement action, nil for other actions.
    static func movement(_ action: Action) -> Int? {
        switch action {
        case .up: return -1
        case .down: return 1
        case .pageUp: return -pageRows
        case .pageDown: return pageRows
        case .top: return -Int.max / 2
        case .bottom: return Int.max / 2
        default: return nil
        }
    }
}

/// A screen's reducer: handles the actions its screen gives a meaning and returns the
/// effects, or nil to leave the action to the global keys.
protocol ScreenReducer {
    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]?
}

/// The Overview has no keys of its own.
enum OverviewReducer: ScreenReducer {
    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]? { nil }
}

/// The `?` screen over any other: Esc closes it; the keys of the screen behind do nothing.
enum HelpReducer: ScreenReducer {
    /// The keys that scroll a help longer than the screen, on every screen.
    static func scroll(_ key: KeyCode) -> Action? {
        switch key {
        case .up, .character("k"): return .up
        case .down, .character("j"): return .down
        case .pageUp: return .pageUp
        case .pageDown: return .pageDown
        default: return nil
        }
    }

    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]? {
        switch action {
        case .back:
            state.showHelp = false
            state.helpOffset = 0
            return []
        case .up, .down, .pageUp, .pageDown:
            let step = action == .up ? -1 : action == .down ? 1 : action == .pageUp ? -Reducer.pageRows : Reducer.pageRows
            let count = HelpView.lines(state, context: Reducer.context(state)).count
            state.helpOffset = max(0, min(state.helpOffset + step, count - 1))
            return []
        case .tick, .selectTab, .nextTab, .previousTab, .togglePause, .faster, .slower, .cycleTheme, .injectFailure, .retryNow, .toggleHelp,
            .captureProfile, .quit, .click(.tab), .showFleet, .levelPicker:
            return nil
        default:
            return []
        }
    }
}
