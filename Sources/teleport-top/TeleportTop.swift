import ArgumentParser
import TeleportDiagnostics

/// `teleport-top`: top for a Teleport process.
@main
struct TeleportTop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teleport-top",
        abstract: "A live dashboard for the diagnostics of a Teleport process.",
        discussion: """
            teleport-top reads a Teleport process's diag listener (/healthz, /readyz, /metrics, \
            /debug/pprof) or its local debug socket. `serve` runs the diagnostics engine on its own, \
            as a simulated Teleport process, so the tool can be tried anywhere.
            """,
        version: TeleportTopVersion.current,
        subcommands: [Serve.self, Snapshot.self, LogLevelCommand.self]
    )

    func run() async throws {
        print(Self.helpMessage())
    }
}
