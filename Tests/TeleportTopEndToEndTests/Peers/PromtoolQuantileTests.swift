import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

/// Our windowed quantiles against Prometheus's own `histogram_quantile` on the same buckets,
/// deterministically: `promtool test rules` evaluates `histogram_quantile(q, x_bucket - x_bucket
/// offset 1m)` (the bucket DELTA over the window, with no extrapolation) and must find exactly
/// the value we computed.
@Suite("Quantiles equal Prometheus's histogram_quantile", .enabled(if: Prerequisites.required(Prerequisites.promtool)))
struct PromtoolQuantileTests {
    struct Case {
        var bounds: [Double]
        /// Cumulative counts per scrape (one scrape a minute), per bucket.
        var scrapes: [[Double]]
        var q: Double
    }

    static let cases: [Case] = [
        Case(bounds: [0.1, 0.2, .infinity], scrapes: [[0, 0, 0], [5, 8, 10], [10, 16, 20]], q: 0.9),
        Case(
            bounds: HistogramBuckets.teleport + [.infinity],
            scrapes: [Array(repeating: 100, count: 17), (0..<17).map { 100 + Double($0 * $0) }], q: 0.5),
        Case(
            bounds: HistogramBuckets.teleport + [.infinity],
            scrapes: [Array(repeating: 0, count: 17), (0..<17).map { Double(min($0, 10)) * 3 + 1 }], q: 0.99),
        Case(bounds: [0.001, 0.004, 0.016, 0.064, .infinity], scrapes: [[7, 9, 12, 20, 25], [17, 30, 45, 70, 80]], q: 0.75),
        Case(bounds: [0.5, 1, .infinity], scrapes: [[1, 2, 3], [1, 2, 40]], q: 0.5),  // rank in +Inf
        Case(bounds: [0.25, 0.5, 1, .infinity], scrapes: [[0, 0, 0, 0], [3, 3, 9, 12]], q: 0.3),
    ]

    @Test("promtool agrees with every quantile", arguments: Array(cases.indices))
    func agrees(index: Int) throws {
        let promtool = try #require(Prerequisites.which("promtool"), "promtool missing: apt-get install prometheus")
        let c = Self.cases[index]
        var history = MetricHistory(seconds: 600, interval: .seconds(60))
        let start = Date(timeIntervalSince1970: 0)
        for (i, counts) in c.scrapes.enumerated() {
            let samples = zip(c.bounds, counts).map { bound, count in
                Sample(name: "lat_bucket", labels: [Label("le", ExpositionNumber.format(bound))], value: count)
            }
            history.ingest([MetricFamily(name: "lat", type: .histogram, samples: samples)], at: start.addingTimeInterval(Double(i) * 60))
        }
        let h = try #require(history.histograms.first)
        _ = h
        let deltas = try #require(history.bucketIncreases(0, window: nil))
        let ours = try #require(BucketQuantile.estimate(c.q, buckets: deltas))

        var yaml = "evaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n"
        for (b, bound) in c.bounds.enumerated() {
            let values = c.scrapes.map { ExpositionNumber.format($0[b]) }.joined(separator: " ")
            yaml += "      - series: 'lat_bucket{le=\"\(ExpositionNumber.format(bound))\"}'\n        values: '\(values)'\n"
        }
        yaml += """
                promql_expr_test:
                  - expr: histogram_quantile(\(c.q), lat_bucket - lat_bucket offset 1m)
                    eval_time: \(c.scrapes.count - 1)m
                    exp_samples:
                      - labels: '{}'
                        value: \(String(format: "%.17g", ours.value))

            """
        let file = Paths.temporaryDirectory("promtool").appendingPathComponent("quantile.yml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let result = try run(promtool, ["test", "rules", file.path])
        #expect(result.status == 0, "promtool disagrees with \(ours):\n\(result.stdout)\(result.stderr)\n\(yaml)")
        if index == 4 { #expect(ours.atLeast) }
    }
}
