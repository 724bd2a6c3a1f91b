import Benchmark
import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopUI

/// The fleet screen's frame for 1000 instances at 200x60 (sorting, filtering and drawing,
/// plus the diff against the previous frame): target under 5 ms in release. And a fleet
/// row from a store after a scrape of the simulated Teleport's size (what each of 200
/// directly polled targets costs per scrape).
func fleetBenchmarks() {
    let now = Date(timeIntervalSince1970: 1_800_000_600)
    let rows = (0..<1000).map { i -> FleetRow in
        var row = FleetRow(id: i, name: "agent-\(i)", source: .direct)
        row.state = i % 97 == 0 ? .degraded : i % 89 == 0 ? .unreachable : .ok
        row.roles = i < 3 ? ["auth"] : ["ssh"]
        row.version = i % 10 == 0 ? "17.4.3" : "17.4.8"
        row.stateSince = now.addingTimeInterval(-Double(i))
        row.processStart = now.addingTimeInterval(-86400)
        row.cpu = Double(i % 13) / 10
        row.memory = 1.8e8 + Double(i) * 1e5
        row.goroutines = Double(400 + i % 50)
        row.grpcRate = Double(i % 200)
        row.grpcErrorShare = Double(i % 7) / 100
        row.backendP99 = 0.01 + Double(i % 5) / 1000
        row.heartbeatsMissed = 0
        row.lastScrape = now.addingTimeInterval(-1)
        row.strip = (0..<FleetRow.stripSlots).map { $0 % 11 == 0 ? .recovering : .ok }
        return row
    }
    for sort in [FleetColumn.name, .cpu] {
        Benchmark("Fleet frame 200x60, 1000 instances, sort \(sort.title)", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
            var state = DashboardState(snapshot: .empty(target: "fleet", interval: .seconds(5)), isEmbedded: false, now: now)
            state.fleet = FleetState(source: "1000 targets", rows: rows)
            state.fleet?.sort = sort
            var earlier = state
            earlier.now = now.addingTimeInterval(-1)
            let previous = DashboardView.render(earlier, width: 200, height: 60)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let frame = DashboardView.render(state, width: 200, height: 60)
                blackHole(frame.changes(from: previous))
            }
            benchmark.stopMeasurement()
        }
    }
    let payload = SyntheticPayload.make(targetBytes: 200 << 10)
    Benchmark("Fleet row after a 200 KB scrape (restricted snapshot + row)", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
        let store = MetricStore(target: "bench", interval: .seconds(5))
        for i in 0..<3 {
            guard let families = try? ExpositionParser().parse(payload) else { return }
            await store.ingest(ScrapeResult(time: now.addingTimeInterval(Double(i) * 5), duration: .milliseconds(3), bytes: payload.count, families: families))
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let snapshot = await store.snapshot(only: FleetRow.families)
            blackHole(FleetRow(id: 0, name: "bench", snapshot: snapshot, now: now.addingTimeInterval(12)))
        }
        benchmark.stopMeasurement()
    }
}
