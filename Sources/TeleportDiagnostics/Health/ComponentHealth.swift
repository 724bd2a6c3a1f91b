import Foundation
import TeleportCore

/// One component's state machine (auth, proxy, node, kube, db...), exactly as Teleport's
/// `processState.update`:
/// - starting -> ok on the first OK heartbeat;
/// - any failed heartbeat -> degraded;
/// - OK while degraded -> recovering, and the recovery clock restarts;
/// - OK while recovering -> ok once more than 2 x the check period has passed since recovery began.
public struct ComponentHealth: Sendable, Hashable {
    public private(set) var state: ProcessState = .starting
    /// When the component entered `recovering` (or was registered).
    public private(set) var recoveryStart: Date

    public init(registeredAt: Date) {
        recoveryStart = registeredAt
    }

    /// Applies one heartbeat and returns the new state.
    @discardableResult
    public mutating func apply(_ result: HeartbeatResult, at now: Date, checkPeriod: Duration) -> ProcessState {
        switch result {
        case .failed:
            state = .degraded
        case .ok:
            switch state {
            case .starting:
                state = .ok
            case .degraded:
                state = .recovering
                recoveryStart = now
            case .recovering:
                if now.timeIntervalSince(recoveryStart) > 2 * checkPeriod.seconds {
                    state = .ok
                }
            case .ok:
                break
            }
        }
        return state
    }
}
