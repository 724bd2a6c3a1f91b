import ArgumentParser
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime
import TeleportTopUI

/// `teleport-top snapshot`: scrape twice, an interval apart, and print what the dashboard
/// would show, as text or JSON.
struct Snapshot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the target's state and every metric (with rates and quantiles) once, as text or JSON.",
        discussion: """
            Scrapes twice, --interval apart, so counters have rates and histograms have windowed \
            quantiles. Exits 0 when the target answered, 1 with a one-line error otherwise. Never \
            falls back to the embedded engine unless --embedded is given. The JSON shape is \
            documented in docs/snapshot-json.md. With a fleet (--targets FILE, --diag-addr twice, \
            --prometheus URL, --embedded --instances N) it prints the fleet table: one object per instance.
            """
    )

    @OptionGroup var target: TargetOptions
    @OptionGroup(title: "Fleet") var fleet: FleetOptions

    @Flag(help: "Print JSON instead of the text report.")
    var json = false

    @Option(help: "Time between the two scrapes (250ms to 60s).", transform: TargetOptions.interval)
    var interval: Duration = .seconds(2)

    @Option(help: "Read a recording (`record`, `--record`) instead of a target.")
    var from: String?

    @Option(help: "With --from: the time (05:32 = UTC on the recording's last day, -5m from its end: --at=-5m or --at -5m, or ISO 8601); default its end.")
    var at: String?

    func run() async throws {
        if let from {
            try await Self.fromRecording(from, at: at, json: json)
            return
        }
        guard at == nil else { throw fail("--at goes with --from RECORDING") }
        if fleet.isFleet(target) {
            try await FleetSnapshot.run(target: target, fleet: fleet, interval: interval, json: json)
            return
        }
        let source: SourceResolver.Source
        do { source = try target.resolve(headless: true) } catch { throw fail(error.description) }
        var embedded: EmbeddedTeleport?
        let diagTarget: DiagTarget
        let sourceName: String
        switch source {
        case .target(let t):
            diagTarget = t
            if case .socket = t { sourceName = "debug-socket" } else { sourceName = "diag-addr" }
        case .embedded:
            let started: EmbeddedTeleport
            do {
                started = try await EmbeddedTeleport.start(address: try target.embeddedAddress(), logSink: LogSink(handle: .nullDevice))
            } catch { throw fail("cannot start the embedded engine: \(error)") }
            embedded = started
            diagTarget = started.target
            sourceName = "embedded"
        }
        defer { if let embedded { Task { await embedded.stop() } } }
        let client: DiagClient
        do {
            client = try DiagClient(target: diagTarget, options: target.clientOptions)
        } catch { throw fail(error.description) }
        let label = sourceName == "embedded" ? "embedded (\(diagTarget))" : diagTarget.description
        let schedule = PollSchedule(interval: interval)
        let store = MetricStore(target: label, interval: schedule.interval)
        for round in 0..<2 {
            if round > 0 { try await Task.sleep(for: schedule.interval) }
            switch await client.scrape() {
            case .success(let scrape): await ScrapeSeam.fold(.success(scrape), into: store)
            case .failure(let error):
                await client.shutdown()
                await embedded?.stop()
                throw fail("\(diagTarget): \(error)")
            }
        }
        await client.shutdown()
        let snapshot = await store.snapshot()
        if json {
            let document = SnapshotDocument(snapshot, source: sourceName)
            let data = try SnapshotDocument.encoder().encode(document)
            FileHandleOutput.standardOutput(String(decoding: data, as: UTF8.self) + "\n")
        } else {
            FileHandleOutput.standardOutput(SnapshotText.render(snapshot, now: Date()))
        }
        await embedded?.stop()
    }

    /// The snapshot as the recording's store stood at `at`: the same parser and store as live.
    static func fromRecording(_ path: String, at: String?, json: Bool) async throws {
        let playback: RecordingPlayback
        do { playback = try RecordingPlayback(path: path) } catch { throw fail("\(path): \(error)") }
        guard let end = playback.end else { throw fail("\(path): the recording has no frames") }
        var time = end
        if let at {
            let parsed: Date
            do { parsed = try ReplayJump.read(at, end: end) } catch { throw fail("--at: \(error)") }
            time = parsed
        }
        guard let first = playback.start, time >= first else { throw fail("--at: the recording starts at \(Format.utc(playback.start ?? end))") }
        let header = playback.header
        if let fleetLabel = header.sources.fleetLabel {
            // A fleet's recording: its rows at that time, as `snapshot --targets` prints them.
            var rows: [FleetRow] = []
            var via = ""
            if let prometheus = header.sources.prometheus {
                let selector: PrometheusSelector
                do { selector = try PrometheusSelector(parsing: prometheus.selector) } catch { throw fail("\(path): the recorded selector: \(error)") }
                let at = time
                let recorded = RecordedPrometheus(reader: playback.reader, now: { at })
                let refresh = await PrometheusFleet(
                    client: recorded,
                    options: .init(
                        selector: selector,
                        instanceLabel: prometheus.instanceLabel, window: .seconds(header.historySeconds))
                )
                .refresh(now: time)
                if let failure = refresh.failure, refresh.rows.isEmpty { throw fail("\(path): \(failure)") }
                rows = refresh.rows
                via = refresh.via.map { " \($0)" } ?? ""
            } else {
                for (id, name) in playback.instances.enumerated() {
                    let instance = RecordingPlayback(reader: playback.reader, target: name)
                    let (store, _) = try await instance.store(at: time, target: name, history: .seconds(header.historySeconds))
                    rows.append(
                        FleetRow(
                            id: id, name: name, snapshot: await store.snapshot(only: FleetRow.families), now: time,
                            window: header.historySeconds))
                }
            }
            try FleetSnapshot.print(rows, source: fleetLabel + via + " (recorded)", at: time, json: json)
            return
        }
        let store: MetricStore
        do {
            (store, _) = try await playback.store(at: time, target: ReplayCommand.label(header), history: .seconds(header.historySeconds))
        } catch { throw fail("\(path): \(error)") }
        if playback.reader.skipped > 0 {
            FileHandleOutput.standardError("teleport-top: \(path): \(playback.reader.skipped) corrupt frames skipped\n")
        }
        let snapshot = await store.snapshot()
        guard snapshot.scrapeCount > 0 || snapshot.lastFailure != nil else { throw fail("no scrape at or before \(Format.utc(time))") }
        if json {
            let data = try SnapshotDocument.encoder().encode(SnapshotDocument(snapshot, source: "recording"))
            FileHandleOutput.standardOutput(String(decoding: data, as: UTF8.self) + "\n")
        } else {
            FileHandleOutput.standardOutput(SnapshotText.render(snapshot, now: time, recorded: true))
        }
    }
}
