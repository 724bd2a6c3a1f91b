import ArgumentParser
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime

/// `teleport-top log-level [LEVEL]`: read or set the log level through the debug socket.
struct LogLevelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-level",
        abstract: "Show or set the target's log level through its debug socket (GET/PUT /log-level).",
        discussion:
            "Levels: TRACE, DEBUG, INFO, WARN, ERROR (any case, slog offsets like info+2). Needs the debug socket: --debug-socket PATH or -c teleport.yaml (its <data_dir>/debug.sock, also when it names a diag_addr); --embedded acts on the simulation it starts."
    )

    @OptionGroup var target: TargetOptions

    @Argument(help: "The level to set; without it, the current level is printed.")
    var level: String?

    func run() async throws {
        // The one rule: the socket the options name (-c: its data_dir's, whatever diag_addr says).
        var embedded: EmbeddedTeleport?
        let path: String
        if target.embedded {
            guard target.diagAddr == nil, target.debugSocket == nil, target.config == nil else {
                throw fail("--embedded runs the built-in simulation; it does not go with --diag-addr, --debug-socket or -c")
            }
            let socket = DebugSocketPath.defaultDataDir() + "/log-level-\(getpid()).sock"
            do {
                embedded = try await EmbeddedTeleport.start(logSink: LogSink(handle: .nullDevice), socketPath: socket)
            } catch { throw fail("cannot start the embedded engine: \(error)") }
            path = socket
        } else {
            let named: String?
            do { named = try SourceResolver.socket(target.request, socketAnswers: DebugSocketFile.answers) } catch { throw fail(error.description) }
            guard let named else { throw fail(SourceResolver.needsSocket("log-level", what: "/log-level")) }
            path = named
        }
        defer { if let embedded { Task { await embedded.stop() } } }
        let diagTarget = DiagTarget.socket(path: path)
        let client: DiagClient
        do { client = try DiagClient(target: diagTarget, options: .init(timeout: target.timeout)) } catch { throw fail(error.description) }
        defer { Task { await client.shutdown() } }
        do {
            let answer =
                level == nil
                ? try await client.get("/log-level")
                : try await client.send("/log-level", method: .PUT, body: level)
            let text = String(decoding: answer.body, as: UTF8.self)
            guard answer.status == 200 else { throw fail(text.isEmpty ? "HTTP \(answer.status)" : text) }
            FileHandleOutput.standardOutput(Sanitized.quote(text) + "\n")
        } catch let error as ScrapeError {
            throw fail("\(diagTarget): \(error)")
        }
    }
}
