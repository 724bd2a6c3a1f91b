import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

/// tctl top's boxes computed from hand-made scrapes: rates over the MEASURED time between
/// scrapes (tctl top divides by the nominal period), the heatmap's per-interval bucket
/// increases, and the panel rows' order.
@Suite("Panel figures and heatmap")
struct PanelFiguresTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func backendRequests(_ counts: [(String, String, String, Double)]) -> MetricFamily {
        MetricFamily(
            name: "backend_requests", type: .counter, help: "Number of requests to the backend (reads, writes, and keepalives).",
            samples: counts.map { Sample(name: "backend_requests", labels: [Label("component", $0.0), Label("range", $0.2), Label("req", $0.1)], value: $0.3) })
    }

    /// A histogram family with bounds 0.001, 0.002 and +Inf and the given cumulative counts.
    static func histogram(_ name: String, labels: [Label], cumulative: [Double], sum: Double) -> MetricFamily {
        let bounds = ["0.001", "0.002", "+Inf"]
        var samples = zip(bounds, cumulative).map { Sample(name: name + "_bucket", labels: labels + [Label("le", $0.0)], value: $0.1) }
        samples.append(Sample(name: name + "_sum", labels: labels, value: sum))
        samples.append(Sample(name: name + "_count", labels: labels, value: cumulative.last ?? 0))
        return MetricFamily(name: name, type: .histogram, help: "h", samples: samples)
    }

    static func ingest(_ store: MetricStore, at seconds: Double, _ families: [MetricFamily]) async {
        await store.ingest(
            ScrapeResult(
                time: t0.addingTimeInterval(seconds), duration: .milliseconds(1), bytes: 1,
                families: families, readyz: nil, healthy: true))
    }

    @Test("backend_requests by key: only the component's series, rates over measured time, busiest first")
    func backendRequests() async throws {
        let store = MetricStore(target: "t", interval: .seconds(2))
        await Self.ingest(
            store, at: 0, [Self.backendRequests([("backend", "/nodes", "true", 100), ("backend", "/roles", "false", 10), ("cache", "/nodes", "true", 7)])])
        // 3 s later, not the nominal 2 s: /roles moved by 30 -> 10/s, /nodes by 15 -> 5/s.
        await Self.ingest(
            store, at: 3, [Self.backendRequests([("backend", "/nodes", "true", 115), ("backend", "/roles", "false", 40), ("cache", "/nodes", "true", 7)])])
        let rows = PanelFigures.backendRequests(await store.snapshot(), component: "backend")
        #expect(rows.map(\.key) == ["/roles", "/nodes"])
        #expect(rows.map(\.rate) == [10, 5])
        #expect(rows.map(\.count) == [40, 115])
        #expect(rows.map(\.isRange) == [false, true])
        #expect(PanelFigures.backendRequests(await store.snapshot(), component: "cache").map(\.rate) == [0])
    }

    @Test("watcher_events by resource: events/s, bytes/s from _sum, mean size since start")
    func watcher() async throws {
        let store = MetricStore(target: "t", interval: .seconds(1))
        let node = [Label("resource", "node")]
        let role = [Label("resource", "role")]
        await Self.ingest(
            store, at: 0,
            [
                Self.histogram("watcher_events", labels: node, cumulative: [0, 0, 10], sum: 5000)
                    .merging(Self.histogram("watcher_events", labels: role, cumulative: [0, 0, 2], sum: 100))
            ])
        // 2 s after, at a 1 s interval (a late scrape, not yet a gap): rates over the 2 s.
        await Self.ingest(
            store, at: 2,
            [
                Self.histogram("watcher_events", labels: node, cumulative: [0, 0, 30], sum: 17000)
                    .merging(Self.histogram("watcher_events", labels: role, cumulative: [0, 0, 10], sum: 500))
            ])
        let rows = PanelFigures.watcherResources(await store.snapshot())
        #expect(rows.map(\.resource) == ["node", "role"])
        #expect(rows.map(\.eventRate) == [10, 4])
        #expect(rows.map(\.byteRate) == [6000, 200])
        #expect(rows.map(\.averageSize) == [17000.0 / 30, 50])
    }

    @Test("Heatmap: per-interval bucket increases of the focused series, a gap as an empty column")
    func heatmap() async throws {
        let store = MetricStore(target: "t", interval: .seconds(1))
        let labels = [Label("component", "backend")]
        let name = "backend_read_seconds"
        #expect(await store.heatmap(family: name, labels: labels) == nil)
        let cumulative: [[Double]] = [[1, 2, 2], [3, 5, 6], [3, 5, 9], [4, 9, 10]]
        for (i, buckets) in cumulative.enumerated() {
            await Self.ingest(store, at: Double(i), [Self.histogram(name, labels: labels, cumulative: buckets, sum: 0)])
        }
        var heatmap = try #require(await store.heatmap(family: name, labels: labels))
        #expect(heatmap.bounds == [0.001, 0.002, .infinity])
        // Increases per bucket (not cumulative): [3,5,6]-[1,2,2] = [2,3,4] -> [2,1,1] ...
        #expect(heatmap.columns == [[2, 1, 1], [0, 0, 3], [1, 3, 0]])
        await store.fail(ScrapeFailure(time: Self.t0.addingTimeInterval(4), error: .refused(target: "t"), retryAt: Self.t0.addingTimeInterval(5)))
        await Self.ingest(store, at: 5, [Self.histogram(name, labels: labels, cumulative: [5, 9, 12], sum: 0)])
        heatmap = try #require(await store.heatmap(family: name, labels: labels))
        #expect(heatmap.columns.last == [])
        #expect(await store.heatmap(family: name, labels: [Label("component", "cache")]) == nil)
    }

    @Test("Opening a histogram asks the store for its heatmap; leaving it asks nothing")
    func focusEffect() async throws {
        let snapshot = try await Fixtures.snapshot()
        var state = Fixtures.state(snapshot, tab: .auth)
        state.tables.expanded = ["backend_read_seconds"]
        let rows = TableRows.rows(state)
        let index = try #require(rows.firstIndex { if case .histogram = $0 { return true } else { return false } })
        state.selection[.auth] = index
        let opened = Reducer.reduce(&state, .enter)
        let selection = try #require(state.histogram)
        #expect(plain(opened) == [.queryHeatmap(request: 0, selection)])
        #expect(Reducer.reduce(&state, .back).isEmpty)
        #expect(Reducer.reduce(&state, .down).isEmpty)
    }
}

extension MetricFamily {
    /// The same family with another family's samples appended (two label sets of one name).
    func merging(_ other: MetricFamily) -> MetricFamily {
        var copy = self
        copy.samples += other.samples
        return copy
    }
}
