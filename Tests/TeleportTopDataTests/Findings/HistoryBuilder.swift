import Foundation
import TeleportCore

@testable import TeleportTopData

/// Builds a history scrape by scrape from functions of the scrape's offset in seconds:
/// constructed histories for the findings engine's pure functions.
struct HistoryBuilder {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    var history: MetricHistory
    var timeline = StateTimeline()
    let step: Double

    init(seconds: Double = 600, step: Double = 2) {
        self.step = step
        history = MetricHistory(seconds: seconds, interval: .milliseconds(Int64(step * 1000)))
    }

    /// Scrapes every `step` from `from` (inclusive) to `to` (exclusive), each the families
    /// `families(t)` returns.
    mutating func run(from: Double = 0, to: Double, _ families: (Double) -> [MetricFamily]) {
        var t = from
        while t < to - 1e-9 {
            history.ingest(families(t), at: Self.t0.addingTimeInterval(t))
            t += step
        }
    }

    func evaluate(windows: FindingsWindows = .init(), open: Set<String> = []) -> FindingsReport {
        FindingsEvaluator.evaluate(history: history, timeline: timeline, windows: windows, open: open)
    }

    static func gauge(_ name: String, _ value: Double, labels: [Label] = []) -> MetricFamily {
        MetricFamily(name: name, type: .gauge, samples: [Sample(name: name, labels: labels, value: value)])
    }

    static func counter(_ name: String, _ value: Double, labels: [Label] = []) -> MetricFamily {
        MetricFamily(name: name, type: .counter, samples: [Sample(name: name, labels: labels, value: value)])
    }

    static func counter(_ name: String, _ samples: [([Label], Double)]) -> MetricFamily {
        MetricFamily(name: name, type: .counter, samples: samples.map { Sample(name: name, labels: $0.0, value: $0.1) })
    }

    /// A histogram with cumulative bucket counts `cumulative` (one per bound, +Inf last).
    static func histogram(_ name: String, bounds: [Double], cumulative: [Double]) -> MetricFamily {
        var samples: [Sample] = []
        for (bound, count) in zip(bounds, cumulative) {
            let le = bound.isInfinite ? "+Inf" : String(bound)
            samples.append(Sample(name: name + "_bucket", labels: [Label("le", le)], value: count))
        }
        samples.append(Sample(name: name + "_count", value: cumulative.last ?? 0))
        samples.append(Sample(name: name + "_sum", value: 0))
        return MetricFamily(name: name, type: .histogram, samples: samples)
    }
}
