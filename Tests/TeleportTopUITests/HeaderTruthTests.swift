import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

/// The header tells the truth: an overdue scrape, since when a target is down, a partial
/// answer, a restart; figures that count with the clock stop when the data is stale.
@Suite("Header: the truth when things go wrong")
struct HeaderTruthTests {
    static let t0 = GoldenSnapshots.t0
    static let start = t0.addingTimeInterval(-3600)

    static func scrape(_ store: MetricStore, at seconds: Double, pid: Int = 100, started: Date = start, version: String = "17.2.1") async {
        let families = [
            MetricFamily(
                name: "process_start_time_seconds", type: .gauge, samples: [Sample(name: "process_start_time_seconds", value: started.timeIntervalSince1970)]),
            MetricFamily(
                name: "teleport_build_info", type: .gauge,
                samples: [
                    Sample(name: "teleport_build_info", labels: [Label("gitref", ""), Label("goversion", "go1.23"), Label("version", version)], value: 1)
                ]),
        ]
        await store.ingest(
            ScrapeResult(
                time: t0.addingTimeInterval(seconds), duration: .milliseconds(2), bytes: 100, families: families,
                readyz: ReadyzAnswer(statusCode: 200, status: "ok", pid: pid)))
    }

    static func lines(_ store: MetricStore, now seconds: Double, width: Int = 160) async -> [Substring] {
        let state = DashboardState(snapshot: await store.snapshot(), isEmbedded: false, now: t0.addingTimeInterval(seconds))
        return DashboardView.render(state, width: width, height: 48).text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    @Test("A scrape overdue by more than two intervals says 'no answer for', and uptime stops at the last answer")
    func overdue() async {
        let store = MetricStore(target: "t", interval: .seconds(1))
        await Self.scrape(store, at: 0)
        await Self.scrape(store, at: 1)
        let fresh = await Self.lines(store, now: 1.5)
        #expect(fresh[1].contains("scraped 0.5s ago"))
        #expect(fresh[0].contains("up 1h00m"))
        let late = await Self.lines(store, now: 4.2)
        #expect(late[1].contains("no answer for 3.2s"), "\(late[1])")
        // Uptime counted to the last answer, not to now.
        let muchLater = await Self.lines(store, now: 1 + 7200)
        #expect(muchLater[0].contains("up 1h00m"), "\(muchLater[0])")
    }

    @Test("Down: since when, the countdown to the real next attempt, 'retrying' once it is due")
    func downSince() async {
        let store = MetricStore(target: "t", interval: .seconds(1))
        await Self.scrape(store, at: 0)
        await store.fail(ScrapeFailure(time: Self.t0.addingTimeInterval(1), error: .refused(target: "t"), retryAt: Self.t0.addingTimeInterval(2)))
        let down = await Self.lines(store, now: 1.2)
        #expect(down[0].contains("UNREACHABLE"))
        #expect(down[1].contains("retry in 1s · down since 11:06:41 UTC"), "\(down[1])")
        #expect(down[1].contains("connection refused"))
        let due = await Self.lines(store, now: 5)
        #expect(due[1].contains("retrying, no answer for 3s"), "\(due[1])")
        let narrow = await Self.lines(store, now: 1.2, width: 80)
        #expect(narrow[1].contains("connection refused"), "\(narrow[1])")
    }

    @Test("A partial answer: /readyz's state in the badge, the metrics failure named, the data stale")
    func partial() async {
        let store = MetricStore(target: "t", interval: .seconds(1))
        await Self.scrape(store, at: 0)
        await store.fail(
            ScrapeFailure(
                time: Self.t0.addingTimeInterval(1), error: .httpStatus(code: 500, path: "/metrics"), retryAt: Self.t0.addingTimeInterval(2),
                readyz: ReadyzAnswer(statusCode: 200, status: "ok", pid: 100)))
        let lines = await Self.lines(store, now: 1.5)
        #expect(lines[0].contains(" OK "))
        #expect(!lines[0].contains("UNREACHABLE"))
        #expect(lines[1].contains("metrics: HTTP 500 on /metrics"), "\(lines[1])")
        #expect(lines[1].contains("stale data from"))
    }

    @Test("A restart is told for a minute with old and new pid and version, and marked on the Overview's timeline")
    func restart() async {
        let store = MetricStore(target: "t", interval: .seconds(1))
        await Self.scrape(store, at: 0)
        await Self.scrape(store, at: 1)
        await Self.scrape(store, at: 5, pid: 200, started: Self.t0.addingTimeInterval(3), version: "17.3.0")
        let snapshot = await store.snapshot()
        #expect(snapshot.timeline.restarts.count == 1)
        let lines = await Self.lines(store, now: 6)
        #expect(lines[1].contains("restarted 1s ago: pid 100 → 200, v17.2.1 → v17.3.0"), "\(lines[1])")
        #expect(lines[3].contains("↻"), "\(lines[3])")
        let later = await Self.lines(store, now: 70)
        #expect(!later[1].contains("restarted"))
    }

    @Test("Read through a Prometheus-API engine: the engine, when it was asked, no byte count, the newest sample's age; overdue only by the asking")
    func engineRead() async {
        // Samples 15 s apart (the engine's scrape interval), asked every second.
        let store = MetricStore(target: "t", interval: .seconds(15))
        for (sample, asked) in [(0.0, 0.4), (15.0, 15.3)] {
            await store.ingest(
                ScrapeResult(
                    time: Self.t0.addingTimeInterval(sample), duration: .milliseconds(38), bytes: 0,
                    families: [MetricFamily(name: "up", type: .gauge, samples: [Sample(name: "up", value: 1)])],
                    asked: Self.t0.addingTimeInterval(asked)))
        }
        // Asked again 14 s later with nothing newer: current, nothing added.
        await store.noteAsked(Self.t0.addingTimeInterval(29.3), duration: .milliseconds(12))
        var fleet = FleetState(source: "Prometheus http://p:9090", rows: [FleetRow(id: 0, name: "a:1", source: .prometheus)])
        fleet.via = "via VictoriaMetrics, 30s behind"
        fleet.open = 0
        var state = DashboardState(snapshot: await store.snapshot(), isEmbedded: false, now: Self.t0.addingTimeInterval(30))
        state.fleet = fleet
        let line = DashboardView.render(state, width: 160, height: 48).text.split(separator: "\n", omittingEmptySubsequences: false)[1]
        #expect(line.hasPrefix(" via VictoriaMetrics, 30s behind · refreshed 0.7s ago in 12ms · 1 series · newest sample 15s old · every 15s"), "\(line)")
        #expect(!line.contains(" B ·") && !line.contains("no answer"), "\(line)")
        #expect(await store.snapshot().scrapeCount == 2)
        // Not asked for over two intervals: overdue, counted from the asking.
        state.now = Self.t0.addingTimeInterval(60)
        let late = DashboardView.render(state, width: 160, height: 48).text.split(separator: "\n", omittingEmptySubsequences: false)[1]
        #expect(late.contains("no answer for 30.7s"), "\(late)")
    }
}
