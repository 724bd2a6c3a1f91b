import ArgumentParser
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
            "Levels: TRACE, DEBUG, INFO, WARN, ERROR (any case, slog offsets like info+2). Needs the debug socket: --debug-socket PATH or -c teleport.yaml."
    )

    @OptionGroup var target: TargetOptions

    @Argument(help: "The level to set; without it, the current level is printed.")
    var level: String?

    func run() async throws {
        let source: SourceResolver.Source
        do { source = try target.resolve(headless: true) } catch { throw fail(error.description) }
        guard case .target(let diagTarget) = source, case .socket = diagTarget else {
            throw fail("log-level needs the debug socket (--debug-socket PATH or -c teleport.yaml): the diag listener has no /log-level")
        }
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
