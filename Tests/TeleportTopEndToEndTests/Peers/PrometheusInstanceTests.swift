import Foundation
import Synchronization
import TeleportTopTestPeers
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// An instance read from a Prometheus-API engine and opened: its dashboard tells the same
/// story as its fleet row (the changes, the state, since when), with the history the engine
/// holds from before it was opened, kept across `d` and back; its rates run on the engine's
/// sample times, so they agree with the engine's own `rate()` and with direct polling
/// whatever the refresh and scrape intervals, and never read 0/s while the counters move.
@Suite(
    "an opened instance read from Prometheus-API engines", .serialized,
    .enabled(if: Prerequisites.required(PrometheusServer.available && Prerequisites.go)))
struct PrometheusInstanceTests {
    let binary = Paths.teleportTopBinary.path

    /// What a running fleet handed on.
    final class Heard: Sendable {
        let rows = Mutex<[FleetRow]>([])
        let updates = Mutex<[FleetFocusUpdate]>([])
        var lastRow: FleetRow? { rows.withLock { $0.last } }
        var lastUpdate: FleetFocusUpdate? { updates.withLock { $0.last } }
    }

    static func run(_ fleet: PrometheusFleet, _ heard: Heard) -> Task<Void, Never> {
        Task {
            await fleet.run(
                onRow: { row in heard.rows.withLock { $0.append(row) } }, onFocused: { update in heard.updates.withLock { $0.append(update) } },
                onStatus: { _ in })
        }
    }

    @Test(
        "The open instance's changes, state and since equal its row's; history from before it was opened; kept across d and back",
        arguments: [PrometheusServer.Engine.prometheus, .victoriaMetrics(latencyOffset: nil), .victoriaMetrics(latencyOffset: "0s")])
    func sameStory(engine: PrometheusServer.Engine) async throws {
        guard engine.available || Prerequisites.isCI else {
            print("skipping against \(engine): \(engine.binary) is not installed")
            return
        }
        let data = Paths.temporaryDirectory("instance")
        let faulty = try ChildProcess(
            binary,
            [
                "serve", "--diag-addr", "127.0.0.1:0", "--data-dir", data.path, "--heartbeat", "1s", "--retry", "1s", "--check-period", "1s",
                "--fault-schedule", "ok:3,fail:3",
            ])
        let line = try await faulty.waitForLine(inStderr: true) { $0.contains("diag listener started") }
        let address = String(try require2(line.split(separator: " ").first { $0.hasPrefix("addr=") }, "no addr").dropFirst(5))
        let prometheus = try await PrometheusServer.start(targets: [address], engine: engine)
        let client = try PrometheusClient(options: .init(baseURL: prometheus.url))
        let fleet = PrometheusFleet(
            client: client, options: .init(selector: try PrometheusSelector(parsing: #"{job="teleport"}"#), interval: .seconds(1), window: .seconds(600)))
        let heard = Heard()
        let running = Self.run(fleet, heard)

        // Several changes in the row (PromQL's count over the window) before the instance is opened.
        let engineStarted = Date()
        try await prometheus.waitUntil(timeout: .seconds(120), "the faulted instance changed state four times, 45 s after the engine started") {
            (heard.lastRow?.changes ?? 0) >= 4 && Date().timeIntervalSince(engineStarted) > 45
        }
        let id = try #require(heard.lastRow?.id)
        let opened = Date()
        await fleet.focus(id)
        try await prometheus.waitUntil(timeout: .seconds(60), "the opened instance's first dashboard") {
            heard.lastUpdate?.snapshot.lastScrape != nil
        }
        let first = try #require(heard.lastUpdate?.snapshot)
        // Its history was read at once: scrapes and sparkline points from before it was opened.
        #expect(first.scrapeCount >= 10, "\(first.scrapeCount) scrapes")
        #expect(first.timeline.transitions.first.map { $0.time < opened.addingTimeInterval(-10) } == true)
        let cpu = try #require(first.family("process_cpu_seconds_total")?.series.first)
        #expect(cpu.spark.filter { !$0.isNaN }.count >= 5, "\(cpu.spark)")
        #expect(first.lastScrape?.asked != nil && first.lastScrape?.bytes == 0)

        /// The row and the dashboard agree at one moment: the same changes and state, and
        /// since when within one refresh (each is read at its own refresh: tried until both
        /// were read between two changes).
        func agree(_ what: String) async throws {
            var last = ""
            for _ in 0..<60 {
                // The running fleet folds; this refresh only reads the rows.
                let refresh = await fleet.refresh()
                let at = Date()
                guard let row = refresh.rows.first(where: { $0.id == id }), let snapshot = heard.lastUpdate?.snapshot else { continue }
                let dashboard = FleetRow(id: id, name: row.name, snapshot: snapshot, now: at, window: 600)
                let sinceGap = abs((row.stateSince ?? .distantPast).timeIntervalSince(dashboard.stateSince ?? .distantFuture))
                // Scrapes the engine failed (`up` 0, a loaded machine's timeouts) count as two
                // changes each in the row and are not all in the raw samples the dashboard reads
                // (left open in the stop's note): without one, the counts must be equal.
                let failedQuery = "count_over_time((up{instance=\"\(address)\"} == 0)[10m:1s])"
                let failed = (try? await client.query(failedQuery, at: at).data.series.first?.value?.value).flatMap { $0 } ?? 0
                let changesAgree = row.changes == dashboard.changes || abs(row.changes - dashboard.changes) <= 2 * Int(failed)
                if changesAgree, row.state == dashboard.state, sinceGap <= 1.5 { return }
                last =
                    "row \(row.changes) changes \(row.state) since \(String(describing: row.stateSince)); dashboard \(dashboard.changes) \(dashboard.state) since \(String(describing: dashboard.stateSince))"
                try await Task.sleep(for: .milliseconds(300))
            }
            Issue.record("\(engine) \(what): \(last)")
        }
        try await agree("opened")

        // d and back: the same store goes on, its history kept.
        let before = try #require(heard.lastUpdate?.snapshot)
        let direct = await fleet.toggleDirect(id)
        #expect(direct.contains("polled directly"), "\(direct)")
        try await prometheus.waitUntil(timeout: .seconds(60), "direct scrapes in the same store") {
            (heard.lastUpdate?.snapshot.scrapeCount ?? 0) >= before.scrapeCount + 3
        }
        let polled = try #require(heard.lastUpdate?.snapshot)
        #expect(polled.timeline.transitions.count >= before.timeline.transitions.count)
        #expect(polled.lastScrape?.asked == nil && (polled.lastScrape?.bytes ?? 0) > 0)
        #expect(await fleet.toggleDirect(id).hasSuffix("read from Prometheus again"))
        try await prometheus.waitUntil(timeout: .seconds(90), "samples from the engine again") {
            heard.lastUpdate?.snapshot.lastScrape?.asked != nil && (heard.lastUpdate?.snapshot.scrapeCount ?? 0) > polled.scrapeCount
        }
        #expect((heard.lastUpdate?.snapshot.timeline.transitions.first?.time).map { $0 < opened.addingTimeInterval(-10) } == true)

        running.cancel()
        await running.value
        await fleet.shutdown()
        await prometheus.stop()
        _ = await faulty.stop()
    }

    @Test(
        "Rates of the open instance: within 10% of the engine's rate() and of direct polling at refreshes of 1, 2 and 10 s against 1 s and 15 s scrapes; never 0/s"
    )
    func rates() async throws {
        let go = try await GoFixture.start()
        let address = String(go.baseURL.dropFirst("http://".count))
        let prometheus = try await PrometheusServer.start(targets: [address], jobs: [("fast", "1s"), ("slow", "15s")])
        let direct = try DirectFleet(
            targets: [DirectFleet.Target(name: address, target: try DiagTarget(diagAddr: address), options: .init())], interval: .seconds(1),
            history: .seconds(600), retainAll: true)
        let polling = Task { await direct.run(onRow: { _ in }, onFocused: { _ in }, onStatus: { _ in }) }
        let client = try PrometheusClient(options: .init(baseURL: prometheus.url))
        defer { Task { await client.shutdown() } }
        // Two slow scrapes held before any is opened.
        try await prometheus.waitUntil(timeout: .seconds(90), "two slow scrapes") {
            let answer = try? await client.query(#"count_over_time(up{job="slow"}[5m])"#, at: Date())
            return (answer?.data.series.first?.value?.value ?? 0) >= 2
        }
        var fleets: [(name: String, fleet: PrometheusFleet, heard: Heard, task: Task<Void, Never>)] = []
        for job in ["fast", "slow"] {
            for refresh in [1, 2, 10] {
                let fleet = PrometheusFleet(
                    client: try PrometheusClient(options: .init(baseURL: prometheus.url)),
                    options: .init(selector: try PrometheusSelector(parsing: "{job=\"\(job)\"}"), interval: .seconds(refresh), window: .seconds(600)))
                let heard = Heard()
                let task = Self.run(fleet, heard)
                fleets.append(("\(job) scrapes, refresh \(refresh)s", fleet, heard, task))
            }
        }
        for entry in fleets {
            try await prometheus.waitUntil(timeout: .seconds(60), "\(entry.name): a row") { entry.heard.lastRow != nil }
            if let id = entry.heard.lastRow?.id { await entry.fleet.focus(id) }
        }
        /// The summed per-second rate of backend_requests over the last minute.
        func sum(_ snapshot: MetricsSnapshot?) -> Double? {
            guard let series = snapshot?.family("backend_requests")?.series, !series.isEmpty else { return nil }
            let rates = series.compactMap(\.rate1m)
            return rates.count == series.count ? rates.reduce(0, +) : nil
        }
        try await Task.sleep(for: .seconds(120))
        let directRate = try #require(sum(await direct.store(for: 0)?.snapshot()))
        for entry in fleets {
            let updates = entry.heard.updates.withLock { $0 }
            let snapshot = try #require(updates.last?.snapshot, "\(entry.name): no dashboard")
            // Never 0/s (nor a missing rate) once it had a rate: a refresh with no new sample adds nothing.
            let sinceRates = updates.drop(while: { $0.snapshot.family("backend_requests")?.series.first?.rate == nil })
            let zeros = sinceRates.filter { update in
                update.snapshot.family("backend_requests")?.series.contains { ($0.rate ?? 0) <= 0 } ?? true
            }
            #expect(!sinceRates.isEmpty && zeros.isEmpty, "\(entry.name): \(zeros.count) of \(sinceRates.count) dashboards with a 0/s rate")
            let ours = try #require(sum(snapshot), "\(entry.name): no rate over the minute")
            let newest = try #require(snapshot.lastScrape?.time)
            let job = entry.name.hasPrefix("fast") ? "fast" : "slow"
            let engine = try #require(
                try await client.query("sum(rate(backend_requests{job=\"\(job)\"}[1m]))", at: newest).data.series.first?.value?.value)
            #expect(abs(ours - engine) <= 0.1 * engine, "\(entry.name): \(ours)/s here, \(engine)/s by rate()")
            #expect(abs(ours - directRate) <= 0.1 * directRate, "\(entry.name): \(ours)/s here, \(directRate)/s polled directly")
            print("\(entry.name): \(ours)/s, rate() \(engine)/s, direct \(directRate)/s, \(updates.count) dashboards")
        }
        for entry in fleets {
            entry.task.cancel()
            await entry.task.value
            await entry.fleet.shutdown()
        }
        polling.cancel()
        await direct.shutdown()
        await prometheus.stop()
        await go.stop()
    }
}
