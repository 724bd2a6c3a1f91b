import Benchmark
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopTestSupport
import TeleportTopUI

/// View -> Screen of a full 200x60 frame from a snapshot of a 5 MB target, plus our diff
/// against the frame a second earlier (what the terminal layer rewrites); target: under 2 ms
/// in release. ncurses' own output is not included.
func renderBenchmarks() {
    let payload = SyntheticPayload.make(targetBytes: 5 << 20)
    let start = Date(timeIntervalSince1970: 1_700_000_000)
    let readyz = ReadyzAnswer(statusCode: 200, status: "ok", pid: 1)
    for tab in [Tab.overview, .auth, .raw] {
        Benchmark("Render 200x60 \(tab.title)", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
            let store = MetricStore(target: "bench", interval: .seconds(2))
            for i in 0..<3 {
                guard let families = try? ExpositionParser().parse(payload) else { return }
                await store.ingest(
                    ScrapeResult(
                        time: start.addingTimeInterval(Double(i) * 2), duration: .milliseconds(30),
                        bytes: payload.count, families: families, readyz: readyz))
            }
            var state = DashboardState(snapshot: await store.snapshot(), isEmbedded: false, now: start.addingTimeInterval(5))
            state.tab = tab
            var earlier = state
            earlier.now = state.now.addingTimeInterval(-1)
            let previous = DashboardView.render(earlier, width: 200, height: 60)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let frame = DashboardView.render(state, width: 200, height: 60)
                blackHole(frame.changes(from: previous))
            }
            benchmark.stopMeasurement()
        }
    }
}
