import ArgumentParser
import Foundation
import TeleportDiagnostics
import TeleportCore
import TeleportTopData

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

    @Option(help: "Time between the two scrapes (at least 250ms).", transform: TargetOptions.duration)
    var interval: Duration = .seconds(2)

    func run() async throws {
        if fleet.isFleet(target) {
            try await FleetSnapshot.run(target: target, fleet: fleet, interval: interval, json: json)
            return
        }
        let source: SourceResolver.Source
        do { source = try SourceResolver.resolve(target.request, headless: true) } catch { throw fail(error.description) }
        var embedded: EmbeddedTeleport?
        let diagTarget: DiagTarget
        let sourceName: String
        switch source {
        case .target(let t):
            diagTarget = t
            if case .socket = t { sourceName = "debug-socket" } else { sourceName = "diag-addr" }
        case .embedded:
            do {
                embedded = try await EmbeddedTeleport.start(address: try target.embeddedAddress(), logSink: LogSink(handle: .nullDevice))
            } catch { throw fail("cannot start the embedded engine: \(error)") }
            diagTarget = embedded!.target
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
            case .success(let scrape): await store.ingest(scrape)
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
}
