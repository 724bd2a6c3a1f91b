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
            F flame graph, P callers and callees, ? help, Esc or q quits; --flame opens on the flame \
            graph). --folded prints folded stacks for flamegraph.pl and inferno, --peek REGEX the \
            callers and callees of matching functions as go tool pprof -peek. Every string from the file is printed with control characters escaped.
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

    @OptionGroup(title: "The viewer (on a terminal)")
    var display: DisplayOptions

    func validate() throws {
        if let top, top < 0 { throw ValidationError("--top takes a number of rows (0 for all)") }
        let outputs = [goroutines, folded, peek != nil, flame].filter { $0 }.count
        if outputs > 1 { throw ValidationError("--goroutines, --folded, --peek and --flame are different outputs: give one") }
    }

    func run() async throws {
        let profile: PprofProfile
        do { profile = try PprofDecoder.decode(contentsOf: file) } catch {
            // An unreadable file names itself (absolute path and the system's reason).
            if case .unreadable = error { throw fail("\(error)") }
            throw fail("\(file): \(error)")
        }
        if goroutines {
            FileHandleOutput.standardOutput(Self.goroutineText(profile))
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
            try await PprofViewer.run(file: file, options: viewerOptions, kind: kind, flame: flame, settings: display.settings())
            return
        }
        FileHandleOutput.standardOutput(report.text())
    }

    /// Whether `pprof FILE` should open the interactive viewer instead of printing: only on a
    /// terminal, and only when --top was not given.
    static func opensViewer(topGiven: Bool, stdoutIsTerminal: Bool) -> Bool {
        !topGiven && stdoutIsTerminal
    }

    /// Goroutine groups as text: `N goroutines` then the stack, leaf first.
    static func goroutineText(_ profile: PprofProfile) -> String {
        let groups = GoroutineGroup.groups(profile)
        let total = groups.reduce(Int64(0)) { $0 + $1.count }
        var out = "\(total) goroutines in \(groups.count) distinct stacks\n"
        for group in groups {
            out += "\n\(group.count) goroutine\(group.count == 1 ? "" : "s")\n"
            for frame in group.frames {
                let place = frame.file.isEmpty ? "" : "  \(Sanitized.quote(frame.file)):\(frame.line)"
                out += "    \(Sanitized.quote(frame.function))\(frame.inlined ? " (inline)" : "")\(place)\n"
            }
        }
        return out
    }
}
