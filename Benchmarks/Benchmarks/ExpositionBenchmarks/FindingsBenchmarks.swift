import Benchmark
import Foundation
import TeleportCore
import TeleportTopData

/// One findings evaluation over the history of a 5 MB target (about 41k series, 10 minutes
/// at 2 s: 301 scrapes; at 1 s: 601), every value moving at every scrape: the worst case,
/// where no series is unchanged over the window and each must be decoded. Target: p99 under
/// 100 ms; the engine evaluates every 3 scrapes and at most once per 5 s of polling (6 s at
/// 2 s), so the share of a core is CPU p50 / 6 s at 2 s and CPU p50 / 5 s at 1 s.
func findingsBenchmarks() {
    let payload = SyntheticPayload.make(targetBytes: 5 << 20)
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    for interval in [2, 1] {
        let name = interval == 2 ? "Findings: one evaluation over 10 min of a 5 MB target" : "Findings: one evaluation over 10 min of a 5 MB target at 1 s"
        Benchmark(name, configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(120))) { benchmark in
            guard var families = try? ExpositionParser().parse(payload) else { return }
            var history = MetricHistory(seconds: 600, interval: .seconds(interval))
            var random = SplitMix64(seed: 5)
            for scrape in 0...(600 / interval) {
                for f in families.indices {
                    let counter = families[f].type == .counter || families[f].type == .histogram || families[f].type == .summary
                    for s in families[f].samples.indices {
                        let step = Double(random.next(below: 4))
                        families[f].samples[s].value = counter ? families[f].samples[s].value + step : (families[f].samples[s].value + step - 1.5).rounded()
                    }
                }
                history.ingest(families, at: start.addingTimeInterval(Double(scrape * interval)))
            }
            let timeline = StateTimeline()
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(FindingsEvaluator.evaluate(history: history, timeline: timeline))
            }
            benchmark.stopMeasurement()
        }
    }
}
