import TeleportCore

extension ObservedState {
    /// The style role of the state's badge and timeline cells.
    public var role: StyleRole {
        switch self {
        case .ok: return .stateOK
        case .recovering: return .stateRecovering
        case .degraded: return .stateDegraded
        case .starting: return .stateStarting
        case .unreachable, .notMetrics: return .stateUnreachable
        case .unknown: return .dim
        }
    }
}
