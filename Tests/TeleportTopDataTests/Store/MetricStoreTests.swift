import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

@Suite("Store: state timeline, header facts, groups, snapshots")
struct MetricStoreTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func scrape(_ text: String, at seconds: Double, readyz: ReadyzAnswer? = nil) throws -> ScrapeResult {
        ScrapeResult(
            time: t0.addingTimeInterval(seconds), duration: .milliseconds(3), bytes: text.utf8.count,
            families: try ExpositionParser().parse(text), readyz: readyz, healthy: readyz == nil ? nil : true)
    }

    @Test("The timeline records every state, unreachable included, with time in state and changes")
    func timeline() async throws {
        let store = MetricStore(target: "t", interval: .seconds(1))
        let ok = ReadyzAnswer(statusCode: 200, status: "ok", pid: 42)
        let degraded = ReadyzAnswer(statusCode: 503, status: ProcessState.degraded.readyzStatusText, pid: 42)
        let recovering = ReadyzAnswer(statusCode: 400, status: ProcessState.recovering.readyzStatusText, pid: 42)
        await store.ingest(try scrape("x 1\n", at: 0, readyz: ok))
        await store.ingest(try scrape("x 1\n", at: 10, readyz: degraded))
        await store.fail(ScrapeFailure(time: t0.addingTimeInterval(15), error: .refused(target: "t"), retryAt: nil))
        await store.ingest(try scrape("x 1\n", at: 20, readyz: recovering))
        await store.ingest(try scrape("x 1\n", at: 40, readyz: ok))
        let snapshot = await store.snapshot()
        #expect(snapshot.timeline.transitions.map(\.to) == [.ok, .degraded, .unreachable, .recovering, .ok])
        let times = snapshot.timeline.timeInState(from: t0, to: t0.addingTimeInterval(50))
        #expect(times[.ok] == 20)
        #expect(times[.degraded] == 5)
        #expect(times[.unreachable] == 5)
        #expect(times[.recovering] == 20)
        #expect(snapshot.timeline.changes(since: t0) == 4)
        #expect(snapshot.state == .ok)
        #expect(snapshot.pid == 42)
        #expect(snapshot.isStale == false)
    }

    @Test("A failure keeps the last data, marked stale; a plain exporter's state comes from process_state or is unknown")
    func staleAndPlainExporters() async throws {
        let store = MetricStore(target: "t", interval: .seconds(1))
        await store.ingest(try scrape("# TYPE process_state gauge\nprocess_state 2\nup 1\n", at: 0))
        #expect(await store.snapshot().state == .degraded)
        await store.fail(ScrapeFailure(time: t0.addingTimeInterval(1), error: .timeout(path: "/metrics", seconds: 1), retryAt: nil))
        let stale = await store.snapshot()
        #expect(stale.isStale)
        #expect(stale.state == .unreachable)
        #expect(stale.family("up")?.series.first?.value == 1)
        let plain = MetricStore(target: "p", interval: .seconds(1))
        await plain.ingest(try scrape("up 1\n", at: 0))
        #expect(await plain.snapshot().state == .unknown)
        // /readyz wins over the gauge; a 400 without Teleport's text is not guessed.
        #expect(MetricStore.state(readyz: ReadyzAnswer(statusCode: 400, status: "weird", pid: nil), families: []) == .unknown)
    }

    @Test("Header facts: build info, start time, pid")
    func headerFacts() async throws {
        let store = MetricStore(target: "t", interval: .seconds(1))
        let text = try String(contentsOf: Paths.repo("Tests/Fixtures/teleport-metrics-excerpts.txt"), encoding: .utf8)
        await store.ingest(try scrape(text, at: 0, readyz: ReadyzAnswer(statusCode: 200, status: "ok", pid: 7)))
        let snapshot = await store.snapshot()
        #expect(snapshot.build == BuildInfo(version: "10.3.7", gitref: "v10.3.7-0-g63c9f949f", goversion: "go1.18.6b7"))
        #expect(snapshot.processStart == Date(timeIntervalSince1970: 1.69840775005e9))
        #expect(snapshot.pid == 7)
    }

    @Test("Families are grouped as the dashboard groups them; only what is left is Other")
    func groups() async throws {
        let store = MetricStore(target: "t", interval: .seconds(1))
        let text = """
            # TYPE backend_requests counter
            backend_requests{req="/a"} 1
            # TYPE go_goroutines gauge
            go_goroutines 10
            # TYPE proxy_ssh_sessions_total gauge
            proxy_ssh_sessions_total 2
            # TYPE teleport_kubernetes_server_in_flight_requests gauge
            teleport_kubernetes_server_in_flight_requests 0
            # TYPE my_own_thing gauge
            my_own_thing 1
            # TYPE user_login counter
            user_login_total 3
            # EOF
            """
        await store.ingest(try scrape(text, at: 0))
        let snapshot = await store.snapshot()
        func group(_ name: String) -> MetricGroup? { snapshot.family(name)?.group }
        #expect(group("backend_requests") == .authBackends)
        #expect(group("go_goroutines") == .runtime)
        #expect(group("proxy_ssh_sessions_total") == .proxy)
        #expect(group("teleport_kubernetes_server_in_flight_requests") == .kubernetes)
        #expect(group("my_own_thing") == .other)
        #expect(snapshot.family("user_login")?.catalog.first?.name == "user_login_total")
        #expect(snapshot.groups[.other]?.map { snapshot.families[$0].name } == ["my_own_thing"])
        let grouped = snapshot.groups.values.reduce(0) { $0 + $1.count }
        #expect(grouped == snapshot.families.count)
    }

    @Test("Snapshots carry rates, 1m rates, spark points and windowed quantiles")
    func snapshotContent() async throws {
        let store = MetricStore(target: "t", interval: .seconds(1))
        for i in 0..<5 {
            let text = """
                # TYPE req_total counter
                req_total \(i * 10)
                # TYPE lat_seconds histogram
                lat_seconds_bucket{le="0.1"} \(i * 8)
                lat_seconds_bucket{le="1"} \(i * 10)
                lat_seconds_bucket{le="+Inf"} \(i * 10)
                lat_seconds_sum \(Double(i) * 1.5)
                lat_seconds_count \(i * 10)
                """
            await store.ingest(try scrape(text, at: Double(i)))
        }
        let snapshot = await store.snapshot()
        let req = try #require(snapshot.family("req_total")?.series.first)
        #expect(req.value == 40)
        #expect(req.rate == 10)
        #expect(req.rate1m == 10)
        #expect(req.spark.count == 5)
        #expect(req.spark.dropFirst().allSatisfy { $0 == 10 })
        let histogram = try #require(snapshot.family("lat_seconds")?.histograms.first)
        #expect(histogram.count == 40)
        #expect(histogram.countRate == 10)
        let last = try #require(histogram.windows[.lastInterval])
        #expect(last.observations == 10)
        // rank 5 of 10 in the first bucket (8 of 10 there): 0 + 0.1 x 5/8.
        #expect(abs((last.p50?.value ?? 0) - 0.0625) < 1e-12)
        #expect(histogram.windows[.oneMinute]?.observations == 40)
    }

    @Test("An engine's samples: folded at their own times; not newer than those held, nothing; asked again with nothing new, current but unchanged")
    func engineSamples() async {
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        func counter(_ value: Double) -> [MetricFamily] {
            [MetricFamily(name: "c_total", type: .counter, samples: [Sample(name: "c_total", value: value)])]
        }
        let store = MetricStore(target: "t", interval: .seconds(15))
        for (n, asked) in [(0.0, 1.0), (15.0, 16.0)] {
            await store.ingest(
                ScrapeResult(
                    time: t0.addingTimeInterval(n), duration: .milliseconds(5), bytes: 0, families: counter(n * 10), asked: t0.addingTimeInterval(asked)))
        }
        var snapshot = await store.snapshot()
        #expect(snapshot.scrapeCount == 2)
        #expect(snapshot.family("c_total")?.series.first?.rate == 10)
        await store.noteAsked(t0.addingTimeInterval(17), duration: .milliseconds(3))
        snapshot = await store.snapshot()
        #expect(snapshot.scrapeCount == 2 && snapshot.lastScrape?.asked == t0.addingTimeInterval(17) && snapshot.lastScrape?.time == t0.addingTimeInterval(15))
        // A direct scrape, then an engine's answer that was in flight: older, so nothing.
        await store.ingest(ScrapeResult(time: t0.addingTimeInterval(18), duration: .milliseconds(5), bytes: 900, families: counter(180)))
        await store.ingest(
            ScrapeResult(time: t0.addingTimeInterval(16), duration: .milliseconds(5), bytes: 0, families: counter(160), asked: t0.addingTimeInterval(19)))
        await store.noteAsked(t0.addingTimeInterval(19), duration: .milliseconds(3))
        snapshot = await store.snapshot()
        #expect(snapshot.scrapeCount == 3)
        #expect(snapshot.lastScrape?.asked == nil && snapshot.lastScrape?.bytes == 900)
        #expect(snapshot.family("c_total")?.series.first?.rate == 10)
    }
}
