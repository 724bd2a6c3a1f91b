/// Teleport's process (and component) states, with the values of the `process_state`
/// gauge and the `/readyz` answers of `lib/service/state.go`.
public enum ProcessState: Int, Sendable, Hashable, Codable, CaseIterable {
    case ok = 0
    case recovering = 1
    case degraded = 2
    case starting = 3

    /// The value the `process_state` gauge reports.
    public var gaugeValue: Double { Double(rawValue) }

    /// The state a `process_state` gauge value stands for.
    public init?(gaugeValue: Double) {
        guard gaugeValue.isFinite, gaugeValue == gaugeValue.rounded(), let state = ProcessState(rawValue: Int(gaugeValue)) else {
            return nil
        }
        self = state
    }

    /// The HTTP status `/readyz` answers with.
    public var readyzStatusCode: Int {
        switch self {
        case .ok: return 200
        case .recovering, .starting: return 400
        case .degraded: return 503
        }
    }

    /// The `status` text of the `/readyz` body.
    public var readyzStatusText: String {
        switch self {
        case .ok: return "ok"
        case .recovering: return "teleport is recovering from a degraded state, check logs for details"
        case .degraded: return "teleport is in a degraded state, check logs for details"
        case .starting: return "teleport is starting and hasn't joined the cluster yet"
        }
    }

    /// The state a `/readyz` status text stands for (nil for text Teleport never writes).
    public init?(readyzStatusText text: String) {
        guard let state = ProcessState.allCases.first(where: { $0.readyzStatusText == text }) else { return nil }
        self = state
    }

    /// Lower-case name: `ok`, `recovering`, `degraded`, `starting`.
    public var name: String {
        switch self {
        case .ok: return "ok"
        case .recovering: return "recovering"
        case .degraded: return "degraded"
        case .starting: return "starting"
        }
    }
}
