import Foundation
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

@Suite("Store: rates, resets, gaps, quantiles, bounds")
struct MetricHistoryTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func counter(_ name: String, _ value: Double, labels: [Label] = []) -> MetricFamily {
        MetricFamily(name: name, type: .counter, samples: [Sample(name: name, labels: labels, value: value)])
    }

    func id(_ history: MetricHistory, _ name: String) throws -> Int {
        try #require(history.series.firstIndex { $0.key.name == name })
    }

    @Test("Rates divide by the measured time between scrapes, not the nominal interval")
    func measuredRates() throws {
        var history = MetricHistory(seconds: 200, interval: .seconds(2))
        history.ingest([counter("c_total", 100)], at: t0)
        history.ingest([counter("c_total", 130)], at: t0.addingTimeInterval(3))  // a late scrape: 3 s, not 2
        let c = try id(history, "c_total")
        #expect(history.rate(c, window: nil) == 10)
        history.ingest([counter("c_total", 150)], at: t0.addingTimeInterval(5))
        #expect(history.rate(c, window: nil) == 10)
        #expect(history.rate(c, window: 60) == 10)  // (30 + 20) / 5
    }

    @Test("A counter that goes down starts a new epoch: no negative rate, no rate across the reset")
    func resets() throws {
        var history = MetricHistory(seconds: 100, interval: .seconds(1))
        for (i, value) in [10.0, 20, 30, 5, 15].enumerated() {
            history.ingest([counter("c_total", value)], at: t0.addingTimeInterval(Double(i)))
        }
        let c = try id(history, "c_total")
        #expect(history.rate(c, window: nil) == 10)
        // Valid pairs: 10->20, 20->30, 5->15; the 30->5 pair is skipped.
        #expect(history.rate(c, window: 60) == 10)
        var reset = MetricHistory(seconds: 100, interval: .seconds(1))
        reset.ingest([counter("c_total", 30)], at: t0)
        reset.ingest([counter("c_total", 5)], at: t0.addingTimeInterval(1))
        #expect(reset.rate(try id(reset, "c_total"), window: nil) == nil)
    }

    @Test("No rate across a gap: a failed scrape, a long pause, or a restarted process")
    func gaps() throws {
        func start(_ seconds: Double) -> MetricFamily {
            MetricFamily(name: "process_start_time_seconds", type: .gauge, samples: [Sample(name: "process_start_time_seconds", value: seconds)])
        }
        var failed = MetricHistory(seconds: 200, interval: .seconds(2))
        failed.ingest([counter("c_total", 10)], at: t0)
        failed.recordFailure()
        failed.ingest([counter("c_total", 20)], at: t0.addingTimeInterval(2))
        #expect(failed.rate(try id(failed, "c_total"), window: nil) == nil)
        failed.ingest([counter("c_total", 30)], at: t0.addingTimeInterval(4))
        #expect(failed.rate(try id(failed, "c_total"), window: nil) == 5)

        var paused = MetricHistory(seconds: 200, interval: .seconds(2))
        paused.ingest([counter("c_total", 10)], at: t0)
        paused.ingest([counter("c_total", 20)], at: t0.addingTimeInterval(5.01))  // > 2.5 x 2 s
        #expect(paused.rate(try id(paused, "c_total"), window: nil) == nil)
        var onTime = MetricHistory(seconds: 200, interval: .seconds(2))
        onTime.ingest([counter("c_total", 10)], at: t0)
        onTime.ingest([counter("c_total", 20)], at: t0.addingTimeInterval(4.99))
        #expect(onTime.rate(try id(onTime, "c_total"), window: nil) != nil)

        var restarted = MetricHistory(seconds: 200, interval: .seconds(2))
        restarted.ingest([start(1000), counter("c_total", 10)], at: t0)
        restarted.ingest([start(1000), counter("c_total", 20)], at: t0.addingTimeInterval(2))
        #expect(restarted.rate(try id(restarted, "c_total"), window: nil) == 5)
        restarted.ingest([start(2000), counter("c_total", 25)], at: t0.addingTimeInterval(4))  // higher, yet a new process
        #expect(restarted.rate(try id(restarted, "c_total"), window: nil) == nil)
    }

    @Test("Series are matched by name and labels even when the order changes; absent series read NaN")
    func matching() throws {
        var history = MetricHistory(seconds: 10, interval: .seconds(1))
        let a = Sample(name: "g", labels: [Label("k", "a")], value: 1)
        let b = Sample(name: "g", labels: [Label("k", "b")], value: 2)
        history.ingest([MetricFamily(name: "g", type: .gauge, samples: [a, b])], at: t0)
        var b2 = b
        b2.value = 20
        history.ingest([MetricFamily(name: "g", type: .gauge, samples: [b2])], at: t0.addingTimeInterval(1))
        #expect(history.seriesCount == 2)
        let ia = try #require(history.series.firstIndex { $0.key.labels == a.labels })
        let ib = try #require(history.series.firstIndex { $0.key.labels == b.labels })
        #expect(history.latest(ia).isNaN)
        #expect(history.latest(ib) == 20)
    }

    @Test("Points held never exceed the history's time over 10k scrapes; series gone for a whole history are dropped")
    func bounded() throws {
        var history = MetricHistory(seconds: 49, interval: .seconds(1))
        for i in 0..<10_000 {
            let phase = i / 1000  // a new label value every 1000 scrapes
            history.ingest(
                [
                    counter("c_total", Double(i)),
                    MetricFamily(name: "g", type: .gauge, samples: [Sample(name: "g", labels: [Label("phase", "\(phase)")], value: 1)]),
                ], at: t0.addingTimeInterval(Double(i)))
            #expect(history.pointsPerSeries <= 50)
        }
        #expect(history.pointsPerSeries == 50)
        // Whole chunks fall out: at most two chunks of values beyond the 50 scrapes held.
        #expect(history.series.allSatisfy { $0.chunkStarts.count <= 50 / MetricHistory.chunkSize + 2 })
        let c = try id(history, "c_total")
        #expect(history.values(c, from: history.base, through: history.scrapeCount - 1) == (9_950..<10_000).map(Double.init))
        #expect(history.seriesCount <= 3)  // c_total, the current phase, at most one fading phase
    }

    @Test("Histogram quantiles come from the DELTA of buckets over the window")
    func quantilesFromDeltas() throws {
        var history = MetricHistory(seconds: 1000, interval: .seconds(10))
        let bounds = [0.1, 0.2, 0.4, Double.infinity]
        func histogram(_ cumulative: [Double]) -> MetricFamily {
            var samples = zip(bounds, cumulative).map { bound, count in
                Sample(name: "h_bucket", labels: [Label("le", ExpositionNumber.format(bound))], value: count)
            }
            samples.append(Sample(name: "h_count", value: cumulative.last!))
            samples.append(Sample(name: "h_sum", value: 1))
            return MetricFamily(name: "h", type: .histogram, samples: samples)
        }
        // Before the window: 1000 slow observations (all > 0.4) since process start.
        history.ingest([histogram([0, 0, 0, 1000])], at: t0)
        // Over the last interval: 10 observations, 5 <= 0.1, 3 in (0.1, 0.2], 2 in (0.2, 0.4].
        history.ingest([histogram([5, 8, 10, 1010])], at: t0.addingTimeInterval(10))
        let h = try #require(history.histograms.firstIndex { $0.familyName == "h" })
        let deltas = try #require(history.bucketIncreases(h, window: nil))
        #expect(deltas.map(\.cumulativeCount) == [5, 8, 10, 10])
        // p50: rank 5 lands at the top of the first bucket -> 0.1 exactly.
        #expect(BucketQuantile.estimate(0.5, buckets: deltas)?.value == 0.1)
        // p90: rank 9 in (0.2, 0.4]: 0.2 + 0.2 x (9 - 8) / 2 = 0.3.
        let p90 = try #require(BucketQuantile.estimate(0.9, buckets: deltas))
        #expect(abs(p90.value - 0.3) < 1e-12)
        #expect(p90.atLeast == false)
        // The cumulative view tctl top uses would answer "> 0.4" for everything.
        let cumulative = BucketQuantile.estimate(0.5, buckets: zip(bounds, [5.0, 8, 10, 1010]).map { .init(upperBound: $0, cumulativeCount: $1) })
        #expect(cumulative?.atLeast == true)
        #expect(cumulative?.value == 0.4)
    }

    @Test("Bucket quantile edge cases match Prometheus")
    func bucketQuantileEdges() {
        func b(_ pairs: [(Double, Double)]) -> [HistogramSeries.Bucket] { pairs.map { .init(upperBound: $0.0, cumulativeCount: $0.1) } }
        #expect(BucketQuantile.estimate(0.5, buckets: b([(1, 1), (2, 2)])) == nil)  // no +Inf
        #expect(BucketQuantile.estimate(0.5, buckets: b([(.infinity, 5)])) == nil)  // fewer than two buckets
        #expect(BucketQuantile.estimate(0.5, buckets: b([(1, 0), (.infinity, 0)])) == nil)  // no observations
        #expect(BucketQuantile.estimate(.nan, buckets: b([(1, 1), (.infinity, 1)])) == nil)
        #expect(BucketQuantile.estimate(2, buckets: b([(1, 1), (.infinity, 1)]))?.value == .infinity)
        #expect(BucketQuantile.estimate(-1, buckets: b([(1, 1), (.infinity, 1)]))?.value == -.infinity)
        // Non-monotonic input is fixed up: the 0.5 bucket takes the 0.25 bucket's count.
        #expect(BucketQuantile.estimate(0.5, buckets: b([(0.25, 4), (0.5, 2), (1, 8), (.infinity, 8)]))?.value == 0.25)
        // A first bound <= 0 answers that bound.
        #expect(BucketQuantile.estimate(0.1, buckets: b([(0, 5), (1, 10), (.infinity, 10)]))?.value == 0)
        // Rank in +Inf: the highest finite bound, marked as a lower bound.
        let inf = BucketQuantile.estimate(0.99, buckets: b([(32.768, 90), (.infinity, 100)]))
        #expect(inf == QuantileEstimate(value: 32.768, atLeast: true, observations: 100))
        // Duplicate bounds are merged.
        #expect(BucketQuantile.estimate(0.5, buckets: b([(1, 1), (1, 1), (2, 4), (.infinity, 4)]))?.value == 1)
    }
}
