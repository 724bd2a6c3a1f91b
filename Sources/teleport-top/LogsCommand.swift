import ArgumentParser
import Foundation
import Synchronization
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime
import TeleportTopUI

/// `teleport-top logs`: the debug socket's log stream (or a log file) on stdout, until
/// interrupted or for `--for`; sanitized text lines, or the JSON lines with `--json`.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a Teleport process's live log stream (its debug socket's /log-stream), for scripts and grep.",
        discussion: """
            Reads GET /log-stream?level=L on the debug socket (--debug-socket, -c teleport.yaml, or --embedded \
            for the simulation; never the simulation unless asked). Text lines are sanitized (no escape \
            sequence reaches the terminal); --json prints each line as one JSON object. A stream that ends \
            is reconnected with the scrapes' backoff; an older Teleport without the route (404) is a \
            one-line error; --tail-log PATH reads a log file instead (following rotation).
            """
    )

    @Option(name: .customLong("debug-socket"), help: "Teleport's debug socket (<data_dir>/debug.sock).")
    var debugSocket: String?

    @Option(name: [.customShort("c"), .customLong("config")], help: "A teleport.yaml: its <teleport.data_dir>/debug.sock.")
    var config: String?

    @Flag(help: "Run the built-in simulated Teleport in-process and read its logs.")
    var embedded = false

    @Option(help: "The minimum level: TRACE, DEBUG, INFO, WARN or ERROR (sent as ?level=).")
    var level: String?

    @Option(help: "Only lines whose message or attributes match this regular expression.")
    var grep: String?

    @Flag(help: "Print each line as one JSON object (as the stream sends it).")
    var json = false

    @Option(name: .customLong("for"), help: "Stop after this long, e.g. 30s.", transform: TargetOptions.duration)
    var duration: Duration?

    @Option(name: .customLong("tail-log"), help: "Read this log file instead (JSON or text lines), following rotation.")
    var tailLog: String?

    func run() async throws {
        if let level, !LogLine.levels.contains(level.uppercased()) { throw fail("--level must be TRACE, DEBUG, INFO, WARN or ERROR") }
        var filter = LogFilter(minimumRank: level.map { LogLine.rank(of: $0) } ?? 0)
        if let grep {
            if let problem = PromptCheck.regexProblem(grep) { throw fail("--grep: \(InputError(grep, problem))") }
            filter = LogFilter(minimumRank: filter.minimumRank, pattern: grep)
        }
        var embeddedEngine: EmbeddedTeleport?
        var socket = debugSocket
        if socket == nil, let config {
            do { socket = try TeleportConfig(contentsOf: config).debugSocketPath } catch { throw fail(error.description) }
        }
        if embedded {
            guard socket == nil, tailLog == nil else { throw fail("--embedded runs the simulation; it does not go with --debug-socket, -c or --tail-log") }
            let path = DebugSocketPath.defaultDataDir() + "/logs-\(getpid()).sock"
            do {
                embeddedEngine = try await EmbeddedTeleport.start(logLevel: LogLevelControl(.debug), logSink: LogSink(handle: .nullDevice), socketPath: path)
            } catch { throw fail("cannot start the embedded engine: \(error)") }
            socket = path
        }
        guard socket != nil || tailLog != nil else {
            throw fail("no log source: name the debug socket with --debug-socket PATH or -c teleport.yaml, a file with --tail-log PATH, or --embedded")
        }
        let output = LineOutput(json: json, filter: filter)
        let socketPath = socket
        let ended = Ended()
        let work = Task {
            if let tailLog {
                await LogFileTail(path: tailLog).run(onLines: output.print) { status in
                    if case .retrying(let reason, _) = status { output.note(reason) }
                }
                return
            }
            guard let socketPath else { return }
            let client: DiagClient
            do { client = try DiagClient(target: .socket(path: socketPath)) } catch {
                ended.fail(String(describing: error))
                return
            }
            await LogStreamClient(client: client).run(level: level?.uppercased(), onLines: output.print) { status in
                switch status {
                case .unsupported: ended.fail("\(socketPath): this Teleport has no /log-stream (404: an older version); try --tail-log PATH")
                case .failed(let why): ended.fail(why)
                case .retrying(let reason, let retry): output.note("\(reason); retrying in \(Int(retry.rounded(.up)))s")
                default: break
                }
            }
            await client.shutdown()
        }
        let stop = Task {
            if let duration { try? await Task.sleep(for: duration) } else { try? await Task.sleep(for: .seconds(86400 * 365)) }
            work.cancel()
        }
        let signals = SignalWait([SIGINT, SIGTERM, SIGPIPE])
        let interrupted = Task {
            await signals.wait()
            work.cancel()
        }
        await work.value
        stop.cancel()
        interrupted.cancel()
        await embeddedEngine?.stop()
        if let failure = ended.failure { throw fail(failure) }
    }
}
