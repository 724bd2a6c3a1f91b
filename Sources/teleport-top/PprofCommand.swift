import ArgumentParser
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime

/// `teleport-top pprof FILE`: a saved profile's top-N table, computed as `go tool pprof -top`;
/// folded stacks, pprof's peek, or the viewer (table or flame graph) on a terminal.
struct PprofCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pprof",
        abstract:
            "Show a pprof profile's top functions as `go tool pprof -top` does, its flame graph, folded stacks or callers and callees: in the viewer on a terminal, else printed.",
        discussion: """
            FILE is a pprof profile, gzip-compressed (.pb.gz, as Go serves and teleport-top saves \
            them) or not. The table has go tool pprof's columns (flat, flat%, sum%, cum, cum%) and \
            rules: function granularity (or --lines), inlined frames as frames of their own, nodes \
            under 0.5% of the total dropped, values in pprof's units. --goroutines prints identical \
            goroutine stacks grouped with their counts instead. On a terminal without --top the \
            table opens in the dashboard's viewer (s sort, i sample type, L lines, / focus, g stacks, \
            F flame graph, P callers and callees, D diff, % normalize, ? help, Esc or q quits; --flame \
            opens on the flame graph). --folded prints folded stacks for flamegraph.pl and inferno, --peek REGEX the \
            callers and callees of matching functions as go tool pprof -peek. Every string from the file is printed with control characters escaped.

            Diffs: --diff-base OLD FILE prints what go tool pprof -top -diff_base OLD FILE prints \
            (signed values, shares of OLD's total: two captures that stand alone, such as CPU, heap \
            or goroutine profiles); --base OLD FILE what -base prints (OLD subtracted sample by \
            sample: cumulative allocs, block or mutex profiles of the same process). --normalize \
            scales FILE to OLD's total first, as -normalize. With --folded the stacks carry signed \
            values; with --goroutines the groups are ranked by growth (a leak comes first).
            """
    )

    @Argument(help: "The profile file.")
    var file: String

    @Option(help: "Show at most N rows (go tool pprof -nodecount); without it every row is shown.")
    var top: Int?

    @Flag(help: "One row per source line (function file:line), like -lines.")
    var lines = false

    @Option(
        name: [.customLong("sample-index"), .customShort("i")],
        help: "The sample type: a name (alloc_space, inuse_objects, contentions...) or a number; default: the profile's default, else the last.")
    var sampleIndex: String?

    @Option(help: "Keep only samples with a frame whose function, file or binary matches this regular expression, like -focus.")
    var focus: String?

    @Flag(help: "Sort by cumulative value, like -cum.")
    var cum = false

    @Flag(help: "Print goroutine stacks grouped, with how many goroutines share each (for goroutine profiles).")
    var goroutines = false

    @Flag(help: "Print folded stacks (`a;b;c N`, root first) for flamegraph.pl, inferno or speedscope: one line per distinct stack of the sample type.")
    var folded = false

    @Option(
        help: ArgumentHelp(
            "Print the callers and callees of the functions matching this regular expression, as `go tool pprof -peek REGEX`.", valueName: "regex"))
    var peek: String?

    @Flag(help: "On a terminal: open the viewer on the flame graph instead of the table.")
    var flame = false

    @Option(
        name: .customLong("diff-base"),
        help: ArgumentHelp("Compare FILE with this baseline as `go tool pprof -diff_base OLD FILE` (shares of OLD's total).", valueName: "old"))
    var diffBase: String?

    @Option(
        name: .customLong("base"),
        help: ArgumentHelp("Subtract this baseline from FILE as `go tool pprof -base OLD FILE` (cumulative kinds of one process).", valueName: "old"))
    var base: String?

    @Flag(help: "With --diff-base or --base: scale FILE so its total equals the baseline's first, as -normalize.")
    var normalize = false

    @OptionGroup(title: "The viewer (on a terminal)")
    var display: DisplayOptions

    func validate() throws {
        if let top, top < 0 { throw ValidationError("--top takes a number of rows (0 for all)") }
        let outputs = [goroutines, folded, peek != nil, flame].filter { $0 }.count
        if outputs > 1 { throw ValidationError("--goroutines, --folded, --peek and --flame are different outputs: give one") }
        if diffBase != nil && base != nil { throw ValidationError("--diff-base and --base cannot both be given (as -base and -diff_base)") }
        if normalize && diffBase == nil && base == nil { throw ValidationError("--normalize needs a baseline: give --diff-base or --base") }
    }

    /// The baseline and the meaning of the diff, when one was asked for.
    var baseline: (path: String, meaning: DiffMeaning)? {
        if let diffBase { return (diffBase, .diffBase) }
        if let base { return (base, .base) }
        return nil
    }

    func decode(_ path: String) throws -> PprofProfile {
        do { return try PprofDecoder.decode(contentsOf: path) } catch {
            // An unreadable file names itself (absolute path and the system's reason).
            if case .unreadable = error { throw fail("\(error)") }
            throw fail("\(path): \(error)")
        }
    }

    func run() async throws {
        let newProfile = try decode(file)
        var profile = newProfile
        var baseProfile: PprofProfile?
        if let baseline {
            let old = try decode(baseline.path)
            baseProfile = old
            do { profile = try ProfileDiff.combine(new: profile, base: old, meaning: baseline.meaning, normalize: normalize) } catch {
                throw fail("\(baseline.path) and \(file): \(error.description)")
            }
        }
        if goroutines {
            if let old = baseProfile {
                FileHandleOutput.standardOutput(Self.goroutineDiffText(new: newProfile, base: old, normalize: normalize))
            } else {
                FileHandleOutput.standardOutput(Self.goroutineText(profile))
            }
            return
        }
        let options = TopOptions(
            sampleIndex: sampleIndex, nodeCount: top ?? 0, granularity: lines ? .lines : .functions,
            order: cum ? .cum : .flat, focus: focus)
        if folded {
            do { FileHandleOutput.standardOutput(FoldedStacks.text(try CallTree(profile, options: options))) } catch { throw fail(error.description) }
            return
        }
        if let peek {
            let report: PeekReport
            do { report = try PeekReport(profile, symbol: peek, options: options) } catch { throw fail(error.description) }
            FileHandleOutput.standardOutput(report.text())
            if report.entries.isEmpty { throw fail("no matches found for regexp: \(peek)") }
            return
        }
        let report: TopReport
        do { report = try TopReport(profile, options: options) } catch { throw fail(error.description) }
        if Self.opensViewer(topGiven: top != nil, stdoutIsTerminal: isatty(STDOUT_FILENO) != 0 && isatty(STDIN_FILENO) != 0) {
            let kind: ProfileKind = profile.sampleTypes.first?.type == "goroutine" ? .goroutine : .profile
            var viewerOptions = options
            viewerOptions.nodeCount = 0
            try await PprofViewer.run(
                file: file, options: viewerOptions, kind: kind, flame: flame, baseline: baseline, normalize: normalize, settings: display.settings())
            return
        }
        FileHandleOutput.standardOutput(report.text())
    }

    /// Whether `pprof FILE` should open the interactive viewer instead of printing: only on a
    /// terminal, and only when --top was not given.
    static func opensViewer(topGiven: Bool, stdoutIsTerminal: Bool) -> Bool {
        !topGiven && stdoutIsTerminal
    }

    /// Goroutine stacks of two profiles compared, ranked by growth: `+N goroutines (B -> N)`
    /// then the stack, leaf first.
    static func goroutineDiffText(new: PprofProfile, base: PprofProfile, normalize: Bool) -> String {
        var new = new
        if normalize { ProfileDiff.normalize(&new, to: base) }
        let changes = GoroutineGroupChange.changes(new: new, base: base)
        let now = changes.reduce(Int64(0)) { $0 &+ $1.count }
        let before = changes.reduce(Int64(0)) { $0 &+ $1.baseCount }
        let changed = changes.filter { $0.change != 0 }
        var out = "\(before) -> \(now) goroutines (\(signed(now &- before))), \(changed.count) of \(changes.count) distinct stacks changed\n"
        for change in changes {
            out += "\n\(signed(change.change)) goroutine\(abs(change.change) == 1 ? "" : "s") (\(change.baseCount) -> \(change.count))\n"
            out += frameLines(change.frames)
        }
        return out
    }

    static func signed(_ value: Int64) -> String { value > 0 ? "+\(value)" : "\(value)" }

    static func frameLines(_ frames: [GoroutineGroup.Frame]) -> String {
        var out = ""
        for frame in frames {
            let place = frame.file.isEmpty ? "" : "  \(Sanitized.quote(frame.file)):\(frame.line)"
            out += "    \(Sanitized.quote(frame.function))\(frame.inlined ? " (inline)" : "")\(place)\n"
        }
        return out
    }

    /// Goroutine groups as text: `N goroutines` then the stack, leaf first.
    static func goroutineText(_ profile: PprofProfile) -> String {
        let groups = GoroutineGroup.groups(profile)
        let total = groups.reduce(Int64(0)) { $0 + $1.count }
        var out = "\(total) goroutines in \(groups.count) distinct stacks\n"
        for group in groups {
            out += "\n\(group.count) goroutine\(group.count == 1 ? "" : "s")\n"
            out += frameLines(group.frames)
        }
        return out
    }
}
