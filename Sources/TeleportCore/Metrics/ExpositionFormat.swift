/// The text exposition formats the parser reads.
public enum ExpositionFormat: Sendable, Hashable {
    /// Prometheus text format 0.0.4 (timestamps in milliseconds).
    case text
    /// OpenMetrics 1.0 text (timestamps in seconds, `# EOF` required at the end).
    case openMetrics
    /// Decide from the payload: OpenMetrics when it ends with `# EOF`.
    case detect

    /// The format a `Content-Type` header names (`application/openmetrics-text` is
    /// OpenMetrics, anything else is text 0.0.4); nil or unknown detects from the payload.
    public static func from(contentType: String?) -> ExpositionFormat {
        guard let contentType = contentType?.lowercased() else { return .detect }
        if contentType.hasPrefix("application/openmetrics-text") { return .openMetrics }
        if contentType.hasPrefix("text/plain") { return .text }
        return .detect
    }
}
