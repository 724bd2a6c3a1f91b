import ArgumentParser
import Foundation
import Logging
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime
import TeleportTopUI

/// Options of the dashboard (the default command).
struct DashboardOptions: ParsableArguments {
    @Option(help: "Time between scrapes (250ms to 60s).", transform: TargetOptions.duration)
    var interval: Duration = .seconds(2)

    @Option(help: "History kept for timelines, sparklines and windows.", transform: TargetOptions.duration)
    var history: Duration = .seconds(600)

    @OptionGroup var display: DisplayOptions

    @Option(name: .customLong("otlp-grpc"), help: "OTLP/gRPC span receiver address, or off.")
    var otlpGRPC: String = "127.0.0.1:4317"

    @Option(name: .customLong("otlp-http"), help: "OTLP/HTTP span receiver address (POST /v1/traces), or off.")
    var otlpHTTP: String = "127.0.0.1:4318"

    @Option(name: .customLong("otlp-tls-cert"), help: "Serve the OTLP receivers over TLS with this certificate (PEM).")
    var otlpTLSCert: String?

    @Option(name: .customLong("otlp-tls-key"), help: "The key of --otlp-tls-cert (PEM).")
    var otlpTLSKey: String?

    @Option(name: .customLong("otlp-client-ca"), help: "With --otlp-tls-cert: require client certificates signed by this CA (mutual TLS).")
    var otlpClientCA: String?

    @Option(name: .customLong("trace-dir"), help: "Tail a Teleport file-exporter directory (*.trace); repeatable.")
    var traceDirs: [String] = []

    @Option(name: .customLong("span-capacity"), help: "Spans kept in memory (the oldest are dropped).")
    var spanCapacity: Int = 20_000

    @Flag(help: "Ring the terminal's bell when the target turns degraded or unreachable.")
    var bell = false

    @Flag(help: "Open the log stream at start (else when the Logs screen, L, is first shown).")
    var logs = false

    @Option(name: .customLong("log-lines"), help: "Log lines kept for the Logs screen (also bounded at 64 MiB).")
    var logLines: Int = 50_000

    @Option(name: .customLong("restore-log-level"), help: "After teleport-top changed the log level, on q: yes, no or ask.")
    var restoreLogLevel: String = "ask"

    @Option(help: "Record what the dashboard sees (scrapes, log lines, spans) into this directory, for `replay`.")
    var record: String?

    @OptionGroup(title: "Recording") var recording: RecordingLimitOptions

    @Option(
        name: .customLong("tail-log"),
        help: "Show this Teleport log file (JSON or text lines, followed across rotation) on the Logs screen instead of the log stream.")
    var tailLog: String?

    /// The span sources these options ask for.
    func intake() throws -> SpanIntake.Options {
        func address(_ text: String, _ flag: String) throws -> ListenAddress? {
            if text == "off" { return nil }
            do {
                let parsed = try ListenAddress(parsing: text)
                if case .unix = parsed, flag == "--otlp-grpc" { throw ValidationError("\(flag): a host:port, not a socket") }
                return parsed
            } catch let error as ValidationError { throw error } catch { throw ValidationError("\(flag): \(error)") }
        }
        guard (otlpTLSCert == nil) == (otlpTLSKey == nil) else { throw ValidationError("--otlp-tls-cert and --otlp-tls-key go together") }
        guard otlpClientCA == nil || otlpTLSCert != nil else { throw ValidationError("--otlp-client-ca needs --otlp-tls-cert and --otlp-tls-key") }
        guard spanCapacity > 0 else { throw ValidationError("--span-capacity must be at least 1") }
        guard logLines > 0 else { throw ValidationError("--log-lines must be at least 1") }
        guard ["yes", "no", "ask"].contains(restoreLogLevel) else { throw ValidationError("--restore-log-level is yes, no or ask") }
        let tls = otlpTLSCert.flatMap { cert in otlpTLSKey.map { ReceiverTLS(certPath: cert, keyPath: $0, clientCAPath: otlpClientCA) } }
        return SpanIntake.Options(
            grpc: try address(otlpGRPC, "--otlp-grpc"), http: try address(otlpHTTP, "--otlp-http"), tls: tls,
            traceDirectories: traceDirs)
    }
}

extension Symbols: ExpressibleByArgument {}

/// Runs the dashboard: resolves the source (falling back to the embedded engine), polls it,
/// and hands snapshots to the UI loop.
enum DashboardCommand {
    static func run(target: TargetOptions, options: DashboardOptions, profiling: ProfileOptions) async throws {
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            throw fail("the dashboard needs a terminal; for text or JSON use `teleport-top snapshot`")
        }
        let source: SourceResolver.Source
        do { source = try SourceResolver.resolve(target.request, headless: false) } catch { throw fail(error.description) }
        var embedded: EmbeddedTeleport?
        let spanStore = SpanStore(capacity: options.spanCapacity)
        let diagTarget: DiagTarget
        switch source {
        case .target(let t): diagTarget = t
        case .embedded:
            let sink = LogSink(handle: FileHandle(forWritingAtPath: "/dev/null") ?? .standardError)
            // Its debug service too, so the Logs screen and the log level work on the simulation.
            let socket = DebugSocketPath.defaultDataDir() + "/embedded-\(getpid()).sock"
            let started: EmbeddedTeleport
            do {
                started = try await EmbeddedTeleport.start(
                    address: try target.embeddedAddress(), logLevel: LogLevelControl(.info), logSink: sink,
                    spans: spanStore, socketPath: socket)
            } catch {
                throw fail("cannot start the embedded engine: \(error)")
            }
            embedded = started
            diagTarget = started.target
        }
        // The debug socket, when known: it serves the log stream and the log level.
        var socketPath: String?
        if case .socket(let path) = diagTarget { socketPath = path }
        socketPath = socketPath ?? target.debugSocket ?? embedded?.socketPath
        if socketPath == nil, let config = target.config, let parsed = try? TeleportConfig(contentsOf: config) { socketPath = parsed.debugSocketPath }
        let client: DiagClient
        do { client = try DiagClient(target: diagTarget, options: target.clientOptions) } catch {
            throw fail(error.description)
        }
        let label = embedded == nil ? diagTarget.description : "embedded \(diagTarget.description)"
        let schedule = PollSchedule(interval: options.interval)
        let store = MetricStore(target: label, interval: schedule.interval, history: options.history)
        let poller = Poller(client: client, store: store, schedule: schedule)
        // The one stream: every producer posts into it, the loop folds it in order.
        let tap = RecordingTap()
        let queue = EventQueue(tap: { tap.see($0) })
        await spanStore.setOnChange { count in queue.post(.spansArrived(count)) }
        if let path = options.record {
            var sources = ["target \(label)"]
            if let socketPath { sources.append("logs \(socketPath)") }
            if embedded != nil { sources.append("spans embedded engine") }
            let recorder = try options.recording.recorder(path: path, sources: sources, interval: schedule.interval, history: options.history) { notice in
                queue.post(.notice(notice))
            }
            tap.attach(recorder)
            await spanStore.setOnAdd { recorder.spans($0) }
        }
        let profiler = ProfileRunner(client: client, directory: profiling.directory, queue: queue)
        let intakeOptions: SpanIntake.Options
        do { intakeOptions = try options.intake() } catch { throw fail(String(describing: error)) }
        var logger = Logger(label: "teleport-top")
        // The receivers report failures to the span store (a header warning); their own shutdown
        // chatter (a cancelled child channel) must not print over the restored terminal.
        logger.logLevel = .critical
        let intake = SpanIntake(options: intakeOptions, store: spanStore, logger: logger)
        if embedded != nil { await spanStore.addSource("embedded engine") }
        queue.post(.spansArrived(0))
        let pollTask = Task {
            await poller.run { outcome in
                queue.post(.scrape(ScrapeEvent(outcome: outcome, snapshot: await store.snapshot())))
            }
        }
        var injectFailure: (@Sendable () -> Void)?
        if let engine = embedded?.engine { injectFailure = { engine.injectFailure(component: "proxy") } }
        var logControl: LogControl?
        if let socketPath, let socketClient = try? DiagClient(target: .socket(path: socketPath), options: .init(timeout: .seconds(10))) {
            logControl = LogControl(client: socketClient, queue: queue)
        }
        let runner = EffectRunner(
            queue: queue,
            parts: .init(
                metrics: store, spans: spanStore, poller: poller, profiles: profiler,
                injectFailure: injectFailure, logs: logControl, logDirectory: profiling.profileDir, recorder: tap.current))
        var initial = DashboardState(snapshot: .empty(target: label, interval: schedule.interval), isEmbedded: embedded != nil, now: Date())
        initial.profiles = ProfilesTabState(seconds: profiling.profileSeconds, directory: profiling.profileDir)
        initial.logs = LogsState(maxLines: options.logLines, hasSocket: logControl != nil || options.tailLog != nil)
        initial.logs.restorePolicy = options.restoreLogLevel
        if let logControl { Task { await logControl.readLevel() } }
        var tailTask: Task<Void, Never>?
        if let path = options.tailLog {
            // A log file instead of the stream: read from the start, so the stream is never opened.
            initial.logs.opened = true
            tailTask = Task {
                await LogFileTail(path: path).run(onLines: { queue.post(.logLines($0)) }, onStatus: { queue.post(.logStatus($0)) })
            }
        } else if options.logs || options.record != nil, let logControl {
            // A recording records the log stream from the start.
            initial.logs.opened = true
            logControl.open(level: nil)
        }
        let loop = DashboardLoop(
            initial: initial, queue: queue,
            settings: options.display.settings(bell: options.bell),
            effects: { runner.run($0) },
            makeTerminal: { Terminal(theme: $0, logPath: options.display.logFile) })
        let outcome = await loop.runOnOwnThread()
        pollTask.cancel()
        await runner.finish()
        logControl?.stop()
        tailTask?.cancel()
        if let command = logControl?.restoreCommand {
            FileHandleOutput.standardError("teleport-top: the log level teleport-top changed is still in force; restore it with: \(command)\n")
        }
        await intake.stop()
        await client.shutdown()
        await embedded?.stop()
        tap.current?.close()
        if case .failure(let error) = outcome { throw fail(String(describing: error)) }
    }
}
