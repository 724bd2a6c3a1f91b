import ArgumentParser
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime

/// `teleport-top`: top for a Teleport process.
@main
struct TeleportTop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teleport-top",
        abstract: "A live dashboard for the diagnostics of a Teleport process.",
        discussion: """
            teleport-top reads a Teleport process's diag listener (/healthz, /readyz, /metrics, \
            /debug/pprof) or its local debug socket and shows it live. With no target it runs the \
            diagnostics engine in-process as a simulated Teleport (labelled as such), so it runs \
            anywhere. `teleport-top dashboard --help` lists the dashboard's options and keys.
            """,
        version: TeleportTopVersion.current,
        subcommands: [
            Dashboard.self, Serve.self, Snapshot.self, CheckCommand.self, RecordCommand.self, ReplayCommand.self, LogsCommand.self, LogLevelCommand.self,
            ProfileCommand.self, BundleCommand.self,
            PprofCommand.self,
            RecordingBenchCommand.self,
        ],
        defaultSubcommand: Dashboard.self
    )

    /// The parser's entry, after `ArgumentFixes`: a negative `--at` joined to its option, a
    /// mistyped command answered with the nearest one; `check`'s bad options exit 3 (could not
    /// tell), as monitoring plugins do.
    static func main() async {
        let arguments = ArgumentFixes.joined(Array(CommandLine.arguments.dropFirst()))
        let commands = configuration.subcommands.map { $0._commandName }
        if let message = ArgumentFixes.unknownCommand(arguments, commands: commands) {
            FileHandleOutput.standardError("teleport-top: \(message)\n")
            Self.exit(withError: ExitCode(64))
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if arguments.first == "check", exitCode(for: error) == .validationFailure {
                FileHandleOutput.standardError(fullMessage(for: error) + "\n")
                Foundation.exit(CheckCommand.unknown.rawValue)
            }
            exit(withError: error)
        }
    }
}

/// `teleport-top [dashboard]`: the live dashboard (the default command).
struct Dashboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The live dashboard (the default command): state and its history, metrics by service, histograms, spans, profiles, raw browser.",
        discussion: """
            With no target it runs the diagnostics engine in-process as a simulated Teleport, labelled as \
            such. Keys: 1-9 and 0 tabs, ! findings (Enter its evidence, m mute, b baseline), Tab/Shift-Tab, arrows or hjkl, Enter, Esc, / regex filter, f label \
            filter, s sort, v views (tabs 2 and 8), Space pause, +/- interval, T theme, p CPU profile, \
            x inject a failure (simulation), r retry now, B write a diagnostics bundle, L logs (the debug socket's /log-stream), V log level, \
            I fleet, ? help, q quit. It receives spans on the OTLP ports. \
            With several targets (--targets FILE, --diag-addr twice, --prometheus URL, --embedded --instances N) \
            the fleet table comes first (with each instance's findings): Enter opens an instance's dashboard, I or Esc returns. \
            Findings compare the last --findings-recent (1m) with the --findings-baseline (4m) before it (docs/findings.md). \
            --record DIR records what it sees for `teleport-top replay DIR` (docs/recording.md).
            """
    )

    @OptionGroup var target: TargetOptions
    @OptionGroup(title: "Fleet") var fleet: FleetOptions
    @OptionGroup var dashboard: DashboardOptions
    @OptionGroup var profiling: ProfileOptions

    func run() async throws {
        if fleet.isFleet(target) {
            guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
                throw fail("the dashboard needs a terminal; for text or JSON use `teleport-top snapshot`")
            }
            try await FleetDashboardCommand.run(target: target, fleet: fleet, options: dashboard, profiling: profiling)
            return
        }
        try await DashboardCommand.run(target: target, options: dashboard, profiling: profiling)
    }
}
