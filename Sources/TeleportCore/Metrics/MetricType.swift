/// The type a `# TYPE` line declares for a metric family (text format 0.0.4 and OpenMetrics).
public enum MetricType: String, Sendable, Hashable, Codable, CaseIterable {
    case counter
    case gauge
    case histogram
    case summary
    case untyped
    /// OpenMetrics only.
    case gaugehistogram
    /// OpenMetrics only.
    case info
    /// OpenMetrics only.
    case stateset
    /// OpenMetrics' name for untyped.
    case unknown

    /// The sample-name suffixes a family of this type may carry besides its bare name.
    var sampleSuffixes: [String] {
        switch self {
        case .counter: return ["_total", "_created"]
        case .histogram: return ["_bucket", "_sum", "_count", "_created"]
        case .gaugehistogram: return ["_bucket", "_gsum", "_gcount"]
        case .summary: return ["_sum", "_count", "_created"]
        case .info: return ["_info"]
        case .gauge, .untyped, .stateset, .unknown: return []
        }
    }
}
