import TeleportCore

/// Why a metric could not be registered. Registration never traps: a conflict is an error.
public enum MetricRegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name is registered already with another type, help text, label names or buckets.
    case conflict(name: String, reason: String)
    /// The name or a label name is not a valid Prometheus name.
    case invalidName(String)

    public var description: String {
        switch self {
        case .conflict(let name, let reason): return "metric \(name) is registered already with \(reason)"
        case .invalidName(let name): return "invalid metric or label name \"\(Sanitized.quote(name))\""
        }
    }
}
