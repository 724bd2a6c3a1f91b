/// A quantile estimated from histogram buckets.
public struct QuantileEstimate: Sendable, Hashable, Codable {
    /// The estimate (an upper bound when `atLeast` is set).
    public var value: Double
    /// The rank fell in the +Inf bucket: the quantile is at least `value` (the highest
    /// finite bound), which is all the buckets can say.
    public var atLeast: Bool
    /// The observations the estimate rests on.
    public var observations: Double

    public init(value: Double, atLeast: Bool, observations: Double) {
        self.value = value
        self.atLeast = atLeast
        self.observations = observations
    }
}

/// Prometheus's `histogram_quantile` over classic buckets (promql/quantile.go,
/// `bucketQuantile`): sort by upper bound, require +Inf, merge equal bounds, force the
/// counts monotonic, find the bucket holding rank q x total and interpolate linearly
/// inside it; a rank in +Inf answers the second-highest bound.
public enum BucketQuantile {
    /// nil when the buckets cannot answer (no +Inf bucket, fewer than two buckets, no
    /// observations, or q is NaN).
    public static func estimate(_ q: Double, buckets input: [HistogramSeries.Bucket]) -> QuantileEstimate? {
        guard !q.isNaN else { return nil }
        var buckets = input.sorted { $0.upperBound < $1.upperBound }
        guard let last = buckets.last, last.upperBound == .infinity else { return nil }
        buckets = coalesce(buckets)
        ensureMonotonic(&buckets)
        return buckets.withUnsafeBufferPointer { sorted in
            estimateSorted(q, count: sorted.count, bound: { sorted[$0].upperBound }, cumulative: { sorted[$0].cumulativeCount })
        }
    }

    /// `estimate` over buckets already in its shape: `count` of them, bounds ascending and
    /// distinct, +Inf last, counts never decreasing (`bound(i)`, `cumulative(i)`). Allocates
    /// nothing: a 41k-series target's histograms ask it for every slot of every window.
    public static func estimateSorted(_ q: Double, count n: Int, bound: (Int) -> Double, cumulative: (Int) -> Double) -> QuantileEstimate? {
        guard !q.isNaN, n >= 2, bound(n - 1) == .infinity else { return nil }
        let observations = cumulative(n - 1)
        guard observations > 0 else { return nil }
        if q < 0 { return QuantileEstimate(value: -.infinity, atLeast: false, observations: observations) }
        if q > 1 { return QuantileEstimate(value: .infinity, atLeast: false, observations: observations) }
        var rank = q * observations
        // First bucket (excluding +Inf) whose cumulative count reaches the rank.
        var b = n - 1
        for i in 0..<(n - 1) where cumulative(i) >= rank {
            b = i
            break
        }
        if b == n - 1 {
            return QuantileEstimate(value: bound(n - 2), atLeast: true, observations: observations)
        }
        if b == 0, bound(0) <= 0 {
            return QuantileEstimate(value: bound(0), atLeast: false, observations: observations)
        }
        var start = 0.0
        let end = bound(b)
        var count = cumulative(b)
        if b > 0 {
            start = bound(b - 1)
            count -= cumulative(b - 1)
            rank -= cumulative(b - 1)
        }
        return QuantileEstimate(value: start + (end - start) * (rank / count), atLeast: false, observations: observations)
    }

    /// Merges buckets with the same upper bound by adding their counts.
    static func coalesce(_ buckets: [HistogramSeries.Bucket]) -> [HistogramSeries.Bucket] {
        var out: [HistogramSeries.Bucket] = []
        out.reserveCapacity(buckets.count)
        for bucket in buckets {
            if let last = out.last, last.upperBound == bucket.upperBound {
                out[out.count - 1].cumulativeCount += bucket.cumulativeCount
            } else {
                out.append(bucket)
            }
        }
        return out
    }

    /// Cumulative counts never decrease; a bucket below its predecessor takes its count
    /// (Prometheus's `ensureMonotonicAndIgnoreSmallDeltas`, whose tolerance only matters for
    /// floating-point noise).
    static func ensureMonotonic(_ buckets: inout [HistogramSeries.Bucket]) {
        var maximum = -Double.infinity
        for i in buckets.indices {
            if buckets[i].cumulativeCount > maximum {
                maximum = buckets[i].cumulativeCount
            } else if buckets[i].cumulativeCount < maximum {
                buckets[i].cumulativeCount = maximum
            }
        }
    }
}
