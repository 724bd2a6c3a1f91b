import Foundation
import Synchronization
import TeleportCore
import Testing

@testable import TeleportTopData

/// A large target's series are slotted and scored on every core, each worker taking a run of
/// series: any split must give what one worker gives, bit for bit.
@Suite("Findings: slots and scores split across workers")
struct SlotSplitTests {
    /// 3,000 series of every kind: steady and moving counters (one reset), gauges that step,
    /// series that appear late or vanish (NaN slots), and a histogram per method.
    static func history() -> MetricHistory {
        var builder = HistoryBuilder()
        builder.run(to: 330) { t in
            let step = Double(Int(t) / 2)
            var families: [MetricFamily] = []
            families.append(
                HistoryBuilder.counter(
                    "grpc_server_handled_total",
                    (0..<1_000).map { i in
                        let moving = i % 3 == 0 && t > 250 ? 7 * step : step
                        let reset = i == 5 && t > 200 ? -200.0 : 0
                        return ([Label("grpc_method", "M\(i)")], Double(i) + moving + reset)
                    }))
            families.append(
                MetricFamily(
                    name: "backend_queue", type: .gauge,
                    samples: (0..<1_000).compactMap { i in
                        if i % 7 == 0 && t < 275 { return nil }  // new since the baseline
                        if i % 11 == 0 && t > 280 { return nil }  // gone
                        return Sample(name: "backend_queue", labels: [Label("queue", "q\(i)")], value: Double(i % 13) + (t > 270 && i % 2 == 0 ? 40 : 0))
                    }))
            for m in 0..<100 {
                var latency = HistoryBuilder.histogram(
                    "grpc_server_handling_seconds", bounds: [0.001, 0.01, 0.1, .infinity],
                    cumulative: [step * 10, step * 40, step * (m % 2 == 0 && t > 260 ? 90 : 50), step * 100])
                for s in latency.samples.indices { latency.samples[s].labels.append(Label("grpc_method", "H\(m)")) }
                families.append(latency)
            }
            return families
        }
        return builder.history
    }

    static func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    @Test("Slots and scores of 2,600 series, split 2, 3 and 7 ways, equal one worker's bit for bit")
    func splits() throws {
        let history = Self.history()
        let windows = FindingsWindows()
        let one = try #require(HistorySlots(history, windows: windows, workers: 1))
        #expect(one.count > 2_000 && one.histograms.count == 100)
        let oneScores = ChangeRanking.scoreAll(one, minMagnitude: 0, workers: 1)
        // The history is not trivial: some series moved, some are new, some too short to tell.
        #expect(oneScores.contains { if case .scored(let s) = $0 { s.magnitude > 1 } else { false } })
        #expect(oneScores.contains(.new) && oneScores.contains(.skipped))
        for workers in [2, 3, 7] {
            let split = try #require(HistorySlots(history, windows: windows, workers: workers))
            #expect(split.count == one.count)
            for index in 0..<one.count {
                let (a, b) = (one.series(at: index), split.series(at: index))
                #expect(a.key == b.key && Self.same(a.values, b.values) && Self.same(a.increases, b.increases), "\(a.key) split \(workers) ways")
            }
            #expect(zip(one.histograms, split.histograms).allSatisfy { $0.labels == $1.labels && Self.same($0.cumulative, $1.cumulative) })
            #expect(ChangeRanking.scoreAll(split, minMagnitude: 0, workers: workers) == oneScores, "scores split \(workers) ways")
            let (a, b) = (ChangeRanking.bestQuantiles(one, minMagnitude: 0, workers: 1), ChangeRanking.bestQuantiles(split, minMagnitude: 0, workers: workers))
            #expect(a.count == 100 && a.contains { $0 != nil })
            #expect(zip(a, b).allSatisfy { $0?.q == $1?.q && $0?.score == $1?.score }, "quantiles split \(workers) ways")
        }
    }

    @Test("Runs cover every item once, with more workers than a run each (10 items, 7 workers), one, or none")
    func runs() {
        for (count, workers) in [(10, 7), (10, 1), (0, 3), (2_600, 2), (5, 5)] {
            let seen = Mutex([Int](repeating: 0, count: count))
            SlotFrame.inRuns(count, workers: workers) { range in seen.withLock { for i in range { $0[i] += 1 } } }
            #expect(seen.withLock { $0.allSatisfy { $0 == 1 } }, "\(count) items, \(workers) workers")
        }
    }
}
