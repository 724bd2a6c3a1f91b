import Foundation
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportTopData

/// The history by time and compressed: lossless to the bit against the uncompressed path,
/// windows that are spans of time at any pace, the gap rule of the interval in force.
@Suite("Store: history by time, compressed")
struct HistoryByTimeTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("XOR streams give back every value bit for bit: real figures, NaN, infinities, -0, subnormals, random doubles")
    func xorRoundTrip() {
        var random = SplitMix64(seed: 9)
        var values: [Double] = [0, -0.0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1, 1, 1, 1.5, 2e-300]
        values += (0..<500).map { Double($0) * 0.1 }  // a counter moving by tenths
        values += (0..<500).map { _ in Double(bitPattern: random.next()) }  // any bit pattern at all
        values += (0..<500).map { Double(1 << 40) + Double($0) }  // whole numbers past float32's 2^24
        var writer = XORWriter()
        var starts: [Int] = []
        for (i, value) in values.enumerated() {
            if i % 64 == 0 { starts.append(writer.startChunk()) }
            writer.append(value)
        }
        var decoded: [Double] = []
        writer.words.withUnsafeBufferPointer { words in
            for (c, start) in starts.enumerated() {
                var reader = XORReader(words: words, start: start)
                for _ in 0..<min(64, values.count - c * 64) { decoded.append(reader.next()) }
            }
        }
        #expect(decoded.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(writer.words.count * 8 < values.count * 8)
    }

    @Test("The compressed history computes what the uncompressed one did, bit for bit, over a real payload at several paces")
    func matchesUncompressed() throws {
        // The simulated Teleport's /metrics, written and parsed back as a scrape would be.
        let registry = MetricRegistry()
        var simulation = SeededSimulation(registry: registry, startTime: t0.timeIntervalSince1970 - 3600, seed: 5)
        var compressed = MetricHistory(seconds: 600, interval: .seconds(2))
        var reference = ReferenceHistory(capacity: 5000, interval: .seconds(2))
        var time = t0
        // 2 s, then 1 s, then 2 s again (the reference's gap rule is fixed at 2 s: stay within 2.5 x of it).
        let paces: [Double] = Array(repeating: 2, count: 60) + Array(repeating: 1, count: 80) + Array(repeating: 2, count: 60)
        for (i, pace) in paces.enumerated() {
            simulation.step(elapsed: pace)
            time = time.addingTimeInterval(pace)
            let families = try ExpositionParser().parse(ExpositionWriter.write(registry.gather()))
            if i == 120 {
                compressed.recordFailure()
                reference.recordFailure()
            }
            compressed.ingest(families, at: time, interval: .seconds(2))
            reference.ingest(families, at: time)
        }
        #expect(compressed.seriesCount == reference.seriesCount)
        for (id, record) in compressed.series.enumerated() {
            let other = try #require(reference.series.firstIndex { $0.key == record.key })
            #expect(compressed.latest(id).bitPattern == reference.latest(other).bitPattern)
            for window in [nil, 60.0, 300.0] {
                #expect(
                    compressed.rate(id, window: window)?.bitPattern == reference.rate(other, window: window)?.bitPattern,
                    "\(record.key) \(String(describing: window))")
            }
        }
        for (h, record) in compressed.histograms.enumerated() {
            let other = try #require(reference.histograms.firstIndex { $0.familyName == record.familyName && $0.labels == record.labels })
            for window in [nil, 60.0, 300.0] {
                let ours = compressed.bucketIncreases(h, window: window)
                let theirs = reference.bucketIncreases(other, window: window)
                #expect(ours?.map(\.cumulativeCount.bitPattern) == theirs?.map(\.cumulativeCount.bitPattern))
                #expect(ours.flatMap { BucketQuantile.estimate(0.99, buckets: $0) } == theirs.flatMap { BucketQuantile.estimate(0.99, buckets: $0) })
            }
        }
        // At the 2 s pace of the end, a sparkline of 60 points covers the same scrapes as before.
        let some = try #require(compressed.series.indices.first { compressed.series[$0].type == .counter && (compressed.rate($0, window: nil) ?? 0) > 0 })
        let other = try #require(reference.series.firstIndex { $0.key == compressed.series[some].key })
        #expect(compressed.sparkline(some, count: 60, seconds: 120).map(\.bitPattern) == reference.sparkline(other, count: 60).map(\.bitPattern))
        #expect(compressed.valueBytes < compressed.seriesCount * compressed.pointsPerSeries * 8 / 2)
    }

    @Test("Windows are spans of time at every pace: 5m covers five minutes at 250 ms, 1 s, 10 s and 60 s")
    func windowsByTime() async throws {
        for pace in [0.25, 1, 10, 60] {
            let store = MetricStore(target: "t", interval: .milliseconds(Int64(pace * 1000)), history: .seconds(600))
            let scrapes = Int(420 / pace)  // seven minutes
            for i in 0...scrapes {
                let t = Double(i) * pace
                // One observation a second, all in the first bucket; a counter of one a second.
                let count = t
                let histogram = MetricFamily(
                    name: "h", type: .histogram,
                    samples: [
                        Sample(name: "h_bucket", labels: [Label("le", "0.1")], value: count),
                        Sample(name: "h_bucket", labels: [Label("le", "+Inf")], value: count),
                        Sample(name: "h_count", value: count), Sample(name: "h_sum", value: count * 0.05),
                    ])
                let counter = MetricFamily(name: "c_total", type: .counter, samples: [Sample(name: "c_total", value: t)])
                await store.ingest(ScrapeResult(time: t0.addingTimeInterval(t), duration: .milliseconds(1), bytes: 1, families: [counter, histogram]))
            }
            let snapshot = await store.snapshot()
            let h = try #require(snapshot.family("h")?.histograms.first)
            let fiveMinutes = try #require(h.windows[.fiveMinutes])
            #expect(abs(fiveMinutes.observations - 300) < 1e-9, "pace \(pace): \(fiveMinutes.observations)")
            let oneMinute = try #require(h.windows[.oneMinute])
            #expect(abs(oneMinute.observations - 60) < 1e-9, "pace \(pace)")
            let c = try #require(snapshot.family("c_total")?.series.first)
            #expect(c.rate == 1)
            #expect(c.rate1m == 1)
            // Memory follows the data: seven minutes at 250 ms hold 1681 scrapes, at 60 s eight.
            let points = await store.pointsPerSeries
            #expect(points == scrapes + 1)
        }
    }

    @Test("The gap rule uses the interval in force at each scrape: 2 s -> 10 s -> 250 ms -> 2 s keeps every rate")
    func paceChanges() async throws {
        let store = MetricStore(target: "t", interval: .seconds(2))
        var t = 0.0
        func scrape() async {
            await store.ingest(
                ScrapeResult(
                    time: t0.addingTimeInterval(t), duration: .milliseconds(1), bytes: 1,
                    families: [
                        MetricFamily(name: "c_total", type: .counter, samples: [Sample(name: "c_total", value: t * 3)])
                    ]))
        }
        for (interval, count) in [(2.0, 5), (10.0, 4), (0.25, 20), (2.0, 4)] {
            await store.setInterval(.milliseconds(Int64(interval * 1000)))
            for _ in 0..<count {
                t += interval
                await scrape()
                let rate = await store.snapshot().family("c_total")?.series.first?.rate
                if t > 2 { #expect(rate == 3, "at \(interval) s: \(String(describing: rate))") }
            }
        }
    }
}
