import Benchmark
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopTestSupport

/// Store ingest (parse + fold of one 5 MB scrape; target under 60 ms), the snapshot the UI
/// reads after each scrape, and the memory of 10 minutes of that target at 2 s and at 1 s
/// (301 and 601 scrapes whose values move as a live target's do; targets: under 150 MB and
/// 200 MB resident for the whole process).
func storeBenchmarks() {
    let payload = SyntheticPayload.make(targetBytes: 5 << 20)
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    Benchmark("Store ingest 5 MB (parse + fold)", configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal])) { benchmark in
        var history = MetricHistory(seconds: 600, interval: .seconds(2))
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
            await store.ingest(
                ScrapeResult(time: start.addingTimeInterval(Double(i) * 2), duration: .milliseconds(30), bytes: payload.count, families: families))
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(await store.snapshot())
        }
        benchmark.stopMeasurement()
    }

    for (pace, scrapes) in [(2.0, 301), (1.0, 601)] {
        Benchmark(
            "Store memory: 10 minutes of a 5 MB target at \(Int(pace)) s",
            configuration: .init(metrics: [.peakMemoryResident, .wallClock], maxDuration: .seconds(300), maxIterations: 1)
        ) { benchmark in
            guard var families = try? ExpositionParser().parse(payload) else { return }
            var history = MetricHistory(seconds: 600, interval: .milliseconds(Int64(pace * 1000)))
            var random = SplitMix64(seed: 3)
            for scrape in 0..<scrapes {
                // Values move as a live target's do: counters grow by a few, gauges wander.
                for f in families.indices {
                    let counter = families[f].type == .counter || families[f].type == .histogram || families[f].type == .summary
                    for s in families[f].samples.indices {
                        let step = Double(random.next(below: 4))
                        families[f].samples[s].value = counter ? families[f].samples[s].value + step : (families[f].samples[s].value + step - 1.5).rounded()
                    }
                }
                history.ingest(families, at: start.addingTimeInterval(Double(scrape) * pace))
            }
            blackHole(history.seriesCount)
            print(
                "\(Int(pace)) s: \(history.pointsPerSeries) points x \(history.seriesCount) series, values \(history.valueBytes >> 20) MiB compressed (\((history.pointsPerSeries * history.seriesCount * 8) >> 20) MiB as doubles)"
            )
        }
    }
}
