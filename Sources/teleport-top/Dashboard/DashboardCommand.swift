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
    @Option(help: "Time between scrapes (250ms to 60s).", transform: TargetOptions.interval)
    var interval: Duration = .seconds(2)

    @Option(help: "History kept for timelines, sparklines and windows.", transform: TargetOptions.duration)
    var history: Duration = .seconds(600)

    @OptionGroup var display: DisplayOptions

    @OptionGroup(title: "Findings") var findings: FindingsOptions

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
        _ = try findings.engine()
        let tls = otlpTLSCert.flatMap { cert in otlpTLSKey.map { ReceiverTLS(certPath: cert, keyPath: $0, clientCAPath: otlpClientCA) } }
        return SpanIntake.Options(
            grpc: try address(otlpGRPC, "--otlp-grpc"), http: try address(otlpHTTP, "--otlp-http"), tls: tls,
            traceDirectories: traceDirs)
    }
}

extension DashboardOptions {
    /// What the session is told of these options.
    func session(
        label: String, isEmbedded: Bool, profiling: ProfileOptions, intake: SpanIntake.Options?, spanSource: String?, configPath: String? = nil
    ) -> DashboardSession.Options {
        let recording = self.recording
        let interval = self.interval
        let history = self.history
        var makeRecorder: (@Sendable (RecordedSources, @escaping @Sendable (String) -> Void) throws -> Recorder)?
        if let path = record {
            makeRecorder = { sources, onNotice in
                try recording.recorder(path: path, sources: sources, interval: interval, history: history, onNotice: onNotice)
            }
        }
        var options = DashboardSession.Options(
            label: label, isEmbedded: isEmbedded, interval: PollSchedule(interval: interval).interval, settings: display.settings(bell: bell),
            logLines: logLines, restorePolicy: restoreLogLevel, profileSeconds: profiling.profileSeconds, profileDirectory: profiling.profileDir,
            intake: intake, spanSource: spanSource, findings: try? findings.engine(), recorder: makeRecorder)
        options.history = history
        options.configPath = configPath
        options.command = BundleCommand.commandLine
        return options
    }
}

extension Symbols: ExpressibleByArgument {}

/// Runs the dashboard on one target: resolves the source (falling back to the embedded
/// engine), and hands it to a `DashboardSession` as a fleet of one.
enum DashboardCommand {
    static func run(target: TargetOptions, options: DashboardOptions, profiling: ProfileOptions) async throws {
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            throw fail("the dashboard needs a terminal; for text or JSON use `teleport-top snapshot`")
        }
        let intakeOptions: SpanIntake.Options
        do { intakeOptions = try options.intake() } catch { throw fail(String(describing: error)) }
        let resolved: SourceResolver.Source
        do { resolved = try target.resolve(headless: false) } catch { throw fail(error.description) }
        let teardown = Teardown()
        let spanStore = SpanStore(capacity: options.spanCapacity)
        do {
            try await teardown.guarding {
                try await run(resolved, target: target, options: options, profiling: profiling, intake: intakeOptions, spans: spanStore, teardown: teardown)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(String(describing: error))
        }
    }

    static func run(
        _ resolved: SourceResolver.Source, target: TargetOptions, options: DashboardOptions, profiling: ProfileOptions,
        intake: SpanIntake.Options, spans spanStore: SpanStore, teardown: Teardown
    ) async throws {
        let (diagTarget, embedded) = try await EmbeddedLaunch.target(resolved, options: target, spans: spanStore, socketName: "embedded", teardown: teardown)
        let socketPath = EmbeddedLaunch.debugSocket(of: diagTarget, options: target, embedded: embedded)
        let label = embedded == nil ? diagTarget.description : "embedded \(diagTarget.description)"
        let source: DirectFleet
        do {
            source = try DirectFleet(
                targets: [DirectFleet.Target(name: label, target: diagTarget, options: target.clientOptions)], interval: options.interval,
                history: options.history, shape: .single)
        } catch { throw fail(error.description) }
        let session = DashboardSession(
            options: options.session(
                label: label, isEmbedded: embedded != nil, profiling: profiling, intake: intake, spanSource: embedded.map { _ in "embedded engine" },
                configPath: target.config),
            spans: spanStore, teardown: teardown)
        let engine = embedded?.engine
        let tailLog = options.tailLog
        let openLogs = options.logs || options.record != nil
        let logControl = socketPath.flatMap { path in
            (try? DiagClient(target: .socket(path: path), options: .init(timeout: .seconds(10)))).map { LogControl(client: $0, queue: session.queue) }
        }
        let recorded = RecordedSources(logs: socketPath, spans: embedded == nil ? [] : ["embedded engine"])
        let member = source.members[0]
        let feed = DashboardSession.Feed(
            source: source, showsFleet: false, recorded: recorded,
            parts: { parts, queue, teardown in
                parts.metrics = member.store
                parts.poller = member.poller
                parts.profiles = ProfileRunner(client: member.client, directory: profiling.directory, queue: queue)
                if let engine { parts.injectFailure = { engine.injectFailure(component: "proxy") } }
                parts.logs = logControl
                if let logControl {
                    teardown.add { logControl.stop() }
                    Task { await logControl.readLevel() }
                }
                if let tailLog {
                    // A log file instead of the stream: read from the start, so the stream is never opened.
                    let tail = Task { await LogFileTail(path: tailLog).run(onLines: { queue.post(.logLines($0)) }, onStatus: { queue.post(.logStatus($0)) }) }
                    teardown.add { tail.cancel() }
                } else if openLogs, let logControl {
                    // A recording records the log stream from the start.
                    logControl.open(level: nil)
                }
            },
            configure: { state in
                state.logs.hasSocket = logControl != nil || tailLog != nil
                state.logs.opened = tailLog != nil || (openLogs && logControl != nil)
            },
            farewell: { logControl?.restoreCommand })
        let ending = try await session.run(feed) { Terminal(theme: $0, logPath: options.display.logFile) }
        if let command = ending.farewell {
            FileHandleOutput.standardError("teleport-top: the log level teleport-top changed is still in force; restore it with: \(command)\n")
        }
        if let failure = ending.failure { throw fail(String(describing: failure)) }
    }
}
