import Benchmark
import Foundation
import TeleportDiagnostics

/// Store ingest (parse + fold of one 5 MB scrape; target under 60 ms), the snapshot the UI
/// reads after each scrape, and the memory of 10 minutes of that target at 2 s (301 scrapes;
/// target under 150 MB resident).
func storeBenchmarks() {
    let payload = SyntheticPayload.make(targetBytes: 5 << 20)
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    Benchmark("Store ingest 5 MB (parse + fold)", configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal])) { benchmark in
        var history = MetricHistory(capacity: 301, interval: .seconds(2))
        if let families = try? ExpositionParser().parse(payload) { history.ingest(families, at: start) }
        var scrape = 1
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            guard let families = try? ExpositionParser().parse(payload) else { continue }
            history.ingest(families, at: start.addingTimeInterval(Double(scrape) * 2))
            scrape += 1
        }
        benchmark.stopMeasurement()
        blackHole(history.seriesCount)
    }

    Benchmark("Store snapshot after a 5 MB scrape", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
        let store = MetricStore(target: "bench", interval: .seconds(2))
        for i in 0..<3 {
            guard let families = try? ExpositionParser().parse(payload) else { return }
            await store.ingest(ScrapeResult(time: start.addingTimeInterval(Double(i) * 2), duration: .milliseconds(30), bytes: payload.count, families: families))
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(await store.snapshot())
        }
        benchmark.stopMeasurement()
    }

    Benchmark("Store memory: 10 minutes of a 5 MB target at 2 s",
        configuration: .init(metrics: [.peakMemoryResident, .wallClock], maxDuration: .seconds(120), maxIterations: 1)) { benchmark in
        var history = MetricHistory(capacity: 301, interval: .seconds(2))
        for scrape in 0..<301 {
            guard let families = try? ExpositionParser().parse(payload) else { return }
            history.ingest(families, at: start.addingTimeInterval(Double(scrape) * 2))
        }
        blackHole(history.seriesCount)
    }
}
