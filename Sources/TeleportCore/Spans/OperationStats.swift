/// Per-operation figures over a window: what the Spans tab's operations table shows.
public struct OperationStats: Sendable, Hashable {
    public var service: String
    public var operation: String
    /// Spans that ended in the window.
    public var count: Int
    public var errors: Int
    /// Spans per second over the window.
    public var rate: Double
    /// Duration quantiles in seconds (nearest rank over the window's spans).
    public var p50: Double
    public var p99: Double
    public var max: Double

    public var errorPercent: Double { count > 0 ? Double(errors) * 100 / Double(count) : 0 }

    /// Stats of the spans that ended in `(now - window, now]`, busiest first.
    public static func compute<S: Sequence>(_ spans: S, now: UInt64, window: Double) -> [OperationStats] where S.Element == SpanRecord {
        let start = now > UInt64(window * 1e9) ? now - UInt64(window * 1e9) : 0
        var groups: [Key: (durations: [Double], errors: Int)] = [:]
        for span in spans where span.endNanos > start && span.endNanos <= now {
            let key = Key(service: span.service, operation: span.name)
            groups[key, default: ([], 0)].durations.append(span.duration)
            if span.isError { groups[key, default: ([], 0)].errors += 1 }
        }
        return groups.map { key, value in
            let sorted = value.durations.sorted()
            return OperationStats(
                service: key.service, operation: key.operation, count: sorted.count, errors: value.errors,
                rate: Double(sorted.count) / window, p50: nearestRank(sorted, 0.5), p99: nearestRank(sorted, 0.99), max: sorted.last ?? 0)
        }.sorted { ($0.count, $1.service, $1.operation) > ($1.count, $0.service, $0.operation) }
    }

    /// The nearest-rank quantile of sorted values: the smallest value with at least q of
    /// the values at or below it.
    public static func nearestRank(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
    }

    struct Key: Hashable {
        var service: String
        var operation: String
    }
}
