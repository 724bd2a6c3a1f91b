import ArgumentParser
import Foundation
import Logging
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime

/// `teleport-top record DIR`: the flight recorder, headless: the target's scrapes, its log
/// stream (when its debug socket is known) and spans (only with --otlp-grpc/--otlp-http),
/// until SIGINT or SIGTERM.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a target's (or a fleet's) scrapes, log stream and (with --otlp-*) spans to a directory, headless, for `replay`.",
        discussion: """
            Runs until SIGINT or SIGTERM; meant to run as a service beside Teleport. The recording is a \
            directory of segment files (docs/recording.md), 0600, bounded by --max-size and --max-age. \
            Never records the simulation unless --embedded is given. Spans are received only when \
            --otlp-grpc or --otlp-http is given, so a recorder never takes the ports of a running dashboard.
            """
    )

    @Argument(help: "The recording directory (created when missing; a new segment is started in an existing one).")
    var path: String

    @OptionGroup var target: TargetOptions
    @OptionGroup(title: "Fleet") var fleet: FleetOptions
    @OptionGroup(title: "Recording") var recording: RecordingLimitOptions

    @Option(help: "Time between scrapes (250ms to 60s).", transform: TargetOptions.interval)
    var interval: Duration = .seconds(2)

    @Option(help: "History the replay keeps for windows (recorded in the header).", transform: TargetOptions.duration)
    var history: Duration = .seconds(600)

    @Flag(name: .customLong("no-logs"), help: "Do not record the debug socket's log stream.")
    var noLogs = false

    @Option(name: .customLong("otlp-grpc"), help: "Receive and record spans over OTLP/gRPC on this address.")
    var otlpGRPC: String?

    @Option(name: .customLong("otlp-http"), help: "Receive and record spans over OTLP/HTTP on this address.")
    var otlpHTTP: String?

    @Option(name: .customLong("for"), help: "Stop after this long (default: until a signal).", transform: TargetOptions.duration)
    var duration: Duration?

    func run() async throws {
        if fleet.isFleet(target) {
            try await recordFleet()
            return
        }
        let source: SourceResolver.Source
        do { source = try target.resolve(headless: true) } catch { throw fail(error.description) }
        let spanStore = SpanStore(capacity: 1000)
        let teardown = Teardown()
        try await teardown.guarding {
            try await record(source, spans: spanStore, teardown: teardown)
        }
    }

    /// Records one target (a fleet of one) until a signal or `--for`; what it starts is
    /// stopped by `teardown`, on every way out.
    func record(_ source: SourceResolver.Source, spans spanStore: SpanStore, teardown: Teardown) async throws {
        let (diagTarget, embedded) = try await EmbeddedLaunch.target(source, options: target, spans: spanStore, socketName: "record", teardown: teardown)
        let socketPath = noLogs ? nil : EmbeddedLaunch.debugSocket(of: diagTarget, options: target, embedded: embedded)
        let label = embedded == nil ? diagTarget.description : "embedded \(diagTarget.description)"
        // One target is a fleet of one: its scrapes reach the recorder through the seam.
        let fleetOfOne: DirectFleet
        do {
            fleetOfOne = try DirectFleet(
                targets: [DirectFleet.Target(name: label, target: diagTarget, options: target.clientOptions)], interval: interval, history: history,
                shape: .single)
        } catch { throw fail(String(describing: error)) }
        teardown.add { await fleetOfOne.shutdown() }
        var sources = fleetOfOne.recordedSources
        sources.logs = socketPath
        let intakeOptions = SpanIntake.Options(
            grpc: try otlpGRPC.map { try Self.listen($0, "--otlp-grpc") },
            http: try otlpHTTP.map { try Self.listen($0, "--otlp-http") }, tls: nil, traceDirectories: [])
        if let grpc = intakeOptions.grpc { sources.spans.append("OTLP gRPC \(grpc)") }
        if let http = intakeOptions.http { sources.spans.append("OTLP HTTP \(http)") }
        if embedded != nil { sources.spans.append("embedded engine") }
        let recorder = try recording.recorder(path: path, sources: sources, interval: interval, history: history) { notice in
            FileHandleOutput.standardError("teleport-top record: \(notice)\n")
        }
        teardown.add { recorder.close() }
        fleetOfOne.attach(recorder)
        await spanStore.setOnAdd { recorder.spans($0) }
        var logger = Logger(label: "teleport-top")
        // The receivers report failures to the span store (a header warning); their own shutdown
        // chatter (a cancelled child channel) must not print over the restored terminal.
        logger.logLevel = .critical
        let intake = SpanIntake(options: intakeOptions, store: spanStore, logger: logger)
        teardown.add { await intake.stop() }
        FileHandleOutput.standardError(
            "teleport-top record: recording \(label) every \(DurationText.format(interval)) to \(path)"
                + (socketPath.map { " with the log stream of \($0)" } ?? "") + "\n")
        let work = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await fleetOfOne.run(onRow: { _ in }, onFocused: { _ in }, onStatus: { _ in }) }
                if let socketPath, let socketClient = try? DiagClient(target: .socket(path: socketPath), options: .init(timeout: .seconds(10))) {
                    group.addTask {
                        await LogStreamClient(client: socketClient).run(level: nil, onLines: { recorder.logs($0) }) { status in
                            if case .unsupported = status {
                                FileHandleOutput.standardError("teleport-top record: \(socketPath) has no /log-stream; logs are not recorded\n")
                            }
                        }
                        await socketClient.shutdown()
                    }
                }
            }
        }
        await Self.run(work, until: duration)
        await teardown.run()
        try Self.finish(recorder.tally, label: label)
    }

    /// The summary at the end; a recording in which no scrape was answered is a failure,
    /// said with the last error (a wrong address must not pass for a recording).
    static func finish(_ tally: RecordingTally, label: String) throws {
        FileHandleOutput.standardError("teleport-top record: wrote \(tally.summary)\n")
        if tally.answered == 0 {
            throw fail("\(label) never answered" + (tally.lastFailure.map { ": \(Sanitized.quote($0))" } ?? ""))
        }
    }

    static func listen(_ text: String, _ flag: String) throws -> ListenAddress {
        do { return try ListenAddress(parsing: text) } catch { throw fail("\(flag): \(error)") }
    }

    /// A fleet, headless: each instance's scrapes (polled directly) or the server's answers
    /// (read from Prometheus), until a signal or `--for`.
    func recordFleet() async throws {
        let spanStore = SpanStore(capacity: 1000)
        let setup: FleetLaunch
        do {
            setup = try await FleetLaunch.start(target: target, fleet: fleet, interval: interval, history: history, headless: true, spans: spanStore)
        } catch let error as ValidationError { throw fail(error.message) }
        let recorder: Recorder
        do {
            // Each instance's scrapes (named), or the server's answers: the source attaches them.
            recorder = try recording.recorder(
                path: path, sources: RecordedSources(fleet: setup.label).merging(setup.source.recordedSources), interval: interval, history: history
            ) {
                notice in
                FileHandleOutput.standardError("teleport-top record: \(notice)\n")
            }
        } catch {
            await setup.embedded?.stop()
            throw error
        }
        setup.source.attach(recorder)
        await spanStore.setOnAdd { recorder.spans($0) }
        FileHandleOutput.standardError("teleport-top record: recording the fleet \(setup.label) every \(DurationText.format(interval)) to \(path)\n")
        let source = setup.source
        let work = Task {
            await source.run(
                onRow: { _ in }, onFocused: { _ in },
                onStatus: { status in
                    if let status { FileHandleOutput.standardError("teleport-top record: \(status)\n") }
                })
        }
        await Self.run(work, until: duration)
        await source.shutdown()
        await setup.embedded?.stop()
        recorder.close()
        try Self.finish(recorder.tally, label: setup.label)
    }

    /// Waits for `work`, cancelling it on SIGINT or SIGTERM, or after `duration`.
    static func run(_ work: Task<Void, Never>, until duration: Duration?) async {
        let signals = SignalWait([SIGINT, SIGTERM])
        let interrupted = Task {
            await signals.wait()
            work.cancel()
        }
        let stop = Task {
            guard let duration else { return }
            try? await Task.sleep(for: duration)
            work.cancel()
        }
        await work.value
        stop.cancel()
        interrupted.cancel()
    }
}
