/// The state teleport-top observes of a target: Teleport's four, plus unreachable (the
/// last scrape got no answer), unknown (the target reports no state: a plain exporter) and
/// notMetrics (something answered, but not with metrics: an HTML page, another service).
public enum ObservedState: String, Sendable, Hashable, Codable, CaseIterable {
    case ok
    case recovering
    case degraded
    case starting
    case unreachable
    case unknown
    /// Something answers, but not with metrics (last: recordings store the case's index).
    case notMetrics = "not_metrics"

    public init(_ state: ProcessState) {
        switch state {
        case .ok: self = .ok
        case .recovering: self = .recovering
        case .degraded: self = .degraded
        case .starting: self = .starting
        }
    }

    /// The state a failed scrape shows: an HTTP answer that is not metrics (a page, a 404)
    /// is not "unreachable"; no answer (refused, reset, timed out, not HTTP) is.
    public init(failure error: ScrapeError) {
        switch error {
        case .notMetrics, .httpStatus: self = .notMetrics
        default: self = .unreachable
        }
    }

    /// Upper-case label for badges.
    public var label: String { self == .notMetrics ? "NOT METRICS" : rawValue.uppercased() }
}
