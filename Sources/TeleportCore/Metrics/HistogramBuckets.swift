/// Histogram bucket layouts.
public enum HistogramBuckets {
    /// Teleport's latency buckets: 0.001 x 2^k for k = 0...15 (1 ms ... 32.768 s), as
    /// `prometheus.ExponentialBuckets(0.001, 2, 16)` produces them.
    public static let teleport: [Double] = exponential(start: 0.001, factor: 2, count: 16)

    /// `count` upper bounds starting at `start`, each `factor` times the previous.
    public static func exponential(start: Double, factor: Double, count: Int) -> [Double] {
        var bounds: [Double] = []
        var bound = start
        for _ in 0..<max(0, count) {
            bounds.append(bound)
            bound *= factor
        }
        return bounds
    }
}
