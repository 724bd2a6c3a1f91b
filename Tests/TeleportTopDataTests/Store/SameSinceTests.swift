import Foundation
import TeleportCore
import Testing

@testable import TeleportTopData

/// The mark the findings engine reads instead of decoding: from `sameSince` on, a series'
/// values all equal its newest one.
@Suite("A series unchanged since a scrape")
struct SameSinceTests {
    @Test("Wherever sameSince says so, every decoded value from there to the newest equals the newest, bit for bit; elsewhere one differs")
    func invariant() {
        var history = MetricHistory(seconds: 300, interval: .seconds(1))
        var random = SplitMix64(seed: 11)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        var counter = 0.0
        for i in 0..<400 {
            var families = [
                MetricFamily(name: "steady", type: .gauge, samples: [Sample(name: "steady", labels: [], value: 5)]),
                MetricFamily(name: "moving", type: .gauge, samples: [Sample(name: "moving", labels: [], value: Double(random.next(below: 3)))]),
            ]
            // A counter whose last step is at scrape 249; a series absent from scrapes 100 to 149.
            if i < 250 { counter += 1 }
            families.append(MetricFamily(name: "stops_total", type: .counter, samples: [Sample(name: "stops_total", labels: [], value: counter)]))
            if i < 100 || i >= 150 {
                families.append(MetricFamily(name: "gappy", type: .gauge, samples: [Sample(name: "gappy", labels: [], value: 1)]))
            }
            history.ingest(families, at: t0.addingTimeInterval(Double(i)))
        }
        let last = history.scrapeCount - 1
        var fastPaths = 0
        for id in history.series.indices {
            let newest = history.series[id].last.bitPattern
            for from in stride(from: history.base, through: last, by: 7) {
                let values = history.values(id, from: from, through: last)
                let same = values.allSatisfy { $0.bitPattern == newest }
                if history.series[id].sameSince <= from {
                    fastPaths += 1
                    #expect(same, "\(history.series[id].key) from \(from)")
                } else {
                    #expect(!same, "\(history.series[id].key) from \(from): sameSince \(history.series[id].sameSince) is too late")
                }
            }
        }
        #expect(fastPaths > 0)
        let byName = Dictionary(uniqueKeysWithValues: history.series.map { ($0.key.name, $0.sameSince) })
        #expect(byName["stops_total"] == 249)
        #expect(byName["gappy"] == 150)
        #expect(byName["steady"] == 0)
    }
}
