import Foundation
import Logging
import TeleportCore
import TeleportTopData
import TeleportTopUI

/// One dashboard, whatever feeds it (one target, a fleet, a replay): the event queue and
/// its recording tap, the source's seam connected to the queue, the span store's notices and
/// the span receivers, the recorder, the effect runner, the first state, the run loop on its
/// own thread, and the teardown on every way out. A command builds its source and its
/// `Feed`, then calls `run` once.
public final class DashboardSession: Sendable {
    /// What every kind of dashboard is told.
    public struct Options: Sendable {
        /// The header's name of the source (`127.0.0.1:3000`, `3 targets`, `… (recorded)`).
        public var label: String
        /// The simulation is shown (labelled as such).
        public var isEmbedded: Bool
        public var interval: Duration
        public var settings: DashboardLoop.Settings
        public var logLines: Int
        /// `--restore-log-level`: yes, no or ask.
        public var restorePolicy: String
        public var profileSeconds: Int
        public var profileDirectory: String
        /// The span receivers and trace-directory tails (nil: none, as in a replay).
        public var intake: SpanIntake.Options?
        /// A span source the store names from the start (`embedded engine`).
        public var spanSource: String?
        /// The findings engine's windows and thresholds (nil: no findings on this dashboard).
        public var findings: FindingsEngine.Options?
        /// `--record DIR`: makes the recorder from the header's sources.
        public var recorder: (@Sendable (_ sources: RecordedSources, _ onNotice: @escaping @Sendable (String) -> Void) throws -> Recorder)?
        /// The history the dashboard keeps (`--history`): what `B` bundles of its recording.
        public var history: Duration = .seconds(600)
        /// `-c`: the teleport.yaml `B` bundles (redacted).
        public var configPath: String?
        /// The command line, for the bundle's index.
        public var command = "teleport-top"

        public init(
            label: String, isEmbedded: Bool, interval: Duration, settings: DashboardLoop.Settings, logLines: Int = 50_000,
            restorePolicy: String = "ask", profileSeconds: Int = 30, profileDirectory: String = ProfileDirectory.defaultPath,
            intake: SpanIntake.Options? = nil, spanSource: String? = nil, findings: FindingsEngine.Options? = nil,
            recorder: (@Sendable (RecordedSources, @escaping @Sendable (String) -> Void) throws -> Recorder)? = nil
        ) {
            self.findings = findings
            self.label = label
            self.isEmbedded = isEmbedded
            self.interval = interval
            self.settings = settings
            self.logLines = logLines
            self.restorePolicy = restorePolicy
            self.profileSeconds = profileSeconds
            self.profileDirectory = profileDirectory
            self.intake = intake
            self.spanSource = spanSource
            self.recorder = recorder
        }
    }

    /// What a kind of dashboard adds to the shared parts.
    public struct Feed: Sendable {
        /// Where the data comes from (its seam is connected to the queue).
        public var source: any FleetSource
        /// The fleet screen comes first (a fleet, a fleet's recording); else one target's tabs.
        public var showsFleet: Bool
        /// What a recording's header says besides the source's own (the log stream, spans).
        public var recorded: RecordedSources
        /// The kind's effect parts (logs, failure injection, a replay's driver and clock).
        public var parts: @Sendable (inout EffectRunner.Parts, EventQueue, Teardown) async -> Void
        /// The kind's first state (logs, replay marks).
        public var configure: @Sendable (inout DashboardState) -> Void
        /// The dashboard's clock (a replay's cursor).
        public var clock: @Sendable () -> Date
        /// Run once the loop has ended, before the teardown: a line to print on the restored
        /// terminal, if any (the command restoring a changed log level).
        public var farewell: @Sendable () async -> String?
        /// A live source: the dashboard keeps its history as a recording (for `B`) even
        /// without `--record` (a replay has one already).
        public var keepsHistory = true

        public init(
            source: any FleetSource, showsFleet: Bool, recorded: RecordedSources = RecordedSources(),
            parts: @escaping @Sendable (inout EffectRunner.Parts, EventQueue, Teardown) async -> Void = { _, _, _ in },
            configure: @escaping @Sendable (inout DashboardState) -> Void = { _ in },
            clock: @escaping @Sendable () -> Date = { Date() },
            farewell: @escaping @Sendable () async -> String? = { nil }
        ) {
            self.source = source
            self.showsFleet = showsFleet
            self.recorded = recorded
            self.parts = parts
            self.configure = configure
            self.clock = clock
            self.farewell = farewell
        }
    }

    public let options: Options
    /// Stopped on every way out; the command adds what it started before the session (an
    /// embedded engine) as soon as it starts it.
    public let teardown: Teardown
    public let spans: SpanStore
    public let tap = RecordingTap()
    public let queue: EventQueue

    public init(options: Options, spans: SpanStore, teardown: Teardown = Teardown()) {
        self.options = options
        self.spans = spans
        self.teardown = teardown
        let tap = self.tap
        queue = EventQueue(tap: { tap.see($0) })
    }

    /// How the session ended.
    public struct Ending: Sendable {
        /// The loop's error, if it failed.
        public var failure: (any Error)?
        /// What to print on the restored terminal (a log level left changed).
        public var farewell: String?
    }

    /// Runs the dashboard over `feed` until the user quits (or the loop fails), then stops
    /// everything. Errors before the loop (a recording that cannot start) stop what was
    /// started and are thrown on.
    public func run(_ feed: Feed, makeTerminal: @escaping (Theme) -> any TerminalDevice) async throws -> Ending {
        let queue = self.queue
        let source = feed.source
        let single = source.seam.shape == .single
        teardown.add { await source.shutdown() }
        return try await teardown.guarding {
            source.seam.connect(
                onRow: { queue.post(.fleetRow($0)) },
                onFocused: { update in
                    queue.post(.scrape(ScrapeEvent(outcome: update.outcome, snapshot: update.snapshot, instance: single ? nil : update.id)))
                })
            source.setOnEngine { queue.post(.fleetEngine($0)) }
            await spans.setOnChange { count in queue.post(.spansArrived(count)) }
            var recorder: Recorder?
            let sources = source.recordedSources.merging(feed.recorded)
            if let make = options.recorder {
                let made = try make(sources) { notice in queue.post(.notice(notice)) }
                teardown.add { made.close() }
                recorder = made
            } else if feed.keepsHistory {
                // Without --record the dashboard still keeps its last --history as a recording of
                // its own (private, removed at exit), so B can bundle it.
                if let (made, folder) = FlightRecorder.start(
                    sources: sources, interval: options.interval, history: options.history,
                    onNotice: { notice in
                        queue.post(.notice("bundle history: \(notice)"))
                    })
                {
                    teardown.add {
                        made.close()
                        try? FileManager.default.removeItem(atPath: folder)
                    }
                    recorder = made
                }
            }
            if let recorder {
                source.attach(recorder)
                tap.attach(recorder)
                await spans.setOnAdd { recorder.spans($0) }
            }
            if let intakeOptions = options.intake {
                var logger = Logger(label: "teleport-top")
                // The receivers report failures to the span store (a header warning); their own
                // shutdown chatter (a cancelled child channel) must not print over the restored terminal.
                logger.logLevel = .critical
                let intake = SpanIntake(options: intakeOptions, store: spans, logger: logger)
                teardown.add { await intake.stop() }
            }
            if let name = options.spanSource { await spans.addSource(name) }
            var findingsEngine: FindingsEngine?
            if let findings = options.findings {
                // Every instance's scrapes are evaluated every few scrapes, off the loop (a
                // replay evaluates at its cursor instead: its parts wire that).
                let engine = FindingsEngine(options: findings)
                engine.attach(to: source.seam)
                let relay = FindingsRelay(queue: queue, windows: findings.windows) { await source.store(for: $0) }
                source.seam.connectFindings { relay.send($0.id, $0.report) }
                teardown.add { relay.stop() }
                findingsEngine = engine
            }
            queue.post(.spansArrived(0))
            let sourceTask = Task { await source.run(onStatus: { queue.post(.fleetStatus($0)) }) }
            teardown.add {
                sourceTask.cancel()
                await sourceTask.value
            }
            var parts = EffectRunner.Parts(spans: spans, fleet: source, logDirectory: options.profileDirectory, recorder: recorder)
            parts.clock = feed.clock
            if let findingsEngine { parts.setFindingsBaseline = { findingsEngine.setBaseline($0) } }
            if feed.keepsHistory {
                parts.bundler = DashboardBundler(
                    options: .init(
                        label: options.label, isEmbedded: options.isEmbedded, history: options.history, profileSeconds: options.profileSeconds,
                        directory: options.profileDirectory, configPath: options.configPath, command: options.command),
                    source: source, spans: spans, recordingDirectory: recorder?.writer.directory)
            }
            await feed.parts(&parts, queue, teardown)
            let runner = EffectRunner(queue: queue, parts: parts)
            var initial = DashboardState(snapshot: .empty(target: options.label, interval: options.interval), isEmbedded: options.isEmbedded, now: feed.clock())
            initial.profiles = ProfilesTabState(seconds: options.profileSeconds, directory: options.profileDirectory)
            initial.logs = LogsState(maxLines: options.logLines, hasSocket: false)
            initial.logs.restorePolicy = options.restorePolicy
            if feed.showsFleet { initial.fleet = FleetState(source: options.label, rows: source.initialRows) }
            initial.findings.enabled = options.findings != nil
            feed.configure(&initial)
            let loop = DashboardLoop(
                initial: initial, queue: queue, settings: options.settings, effects: { runner.run($0) }, clock: feed.clock,
                makeTerminal: makeTerminal)
            let outcome = await loop.runOnOwnThread()
            await runner.finish()
            let farewell = await feed.farewell()
            await teardown.run()
            if case .failure(let error) = outcome { return Ending(failure: error, farewell: farewell) }
            return Ending(failure: nil, farewell: farewell)
        }
    }
}
