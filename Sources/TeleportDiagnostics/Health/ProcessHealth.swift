import Foundation
import TeleportCore

/// The process state of a Teleport process: every component's state machine, the
/// aggregation rule, and a bounded history of transitions with their times.
///
/// Aggregation (`processState.getState`): degraded if any component is degraded; else
/// recovering if any is recovering; else ok if every component (at least one) is ok; else
/// starting. A pure value: time is always passed in.
public struct ProcessHealth: Sendable, Hashable {
    /// Teleport's `defaults.HeartbeatCheckPeriod`.
    public static let defaultCheckPeriod: Duration = .seconds(5)

    public var checkPeriod: Duration
    public private(set) var components: [String: ComponentHealth] = [:]
    public private(set) var state: ProcessState = .starting
    /// Transitions, oldest first, at most `historyLimit` of them.
    public private(set) var transitions: [StateTransition] = []
    public var historyLimit: Int

    public init(checkPeriod: Duration = ProcessHealth.defaultCheckPeriod, historyLimit: Int = 1000) {
        self.checkPeriod = checkPeriod
        self.historyLimit = max(1, historyLimit)
    }

    /// Registers a component in `starting` without a heartbeat (Teleport registers a
    /// component on its first event; registering earlier keeps the process `starting`
    /// until every expected component has reported).
    public mutating func register(_ component: String, at now: Date) {
        guard components[component] == nil else { return }
        components[component] = ComponentHealth(registeredAt: now)
        record(updateProcessState(at: now))
    }

    /// Applies one heartbeat result of one component; returns the transitions it caused
    /// (the component's, then the process's).
    @discardableResult
    public mutating func apply(_ result: HeartbeatResult, component: String, at now: Date) -> [StateTransition] {
        var caused: [StateTransition] = []
        var health = components[component] ?? ComponentHealth(registeredAt: now)
        let before = components[component]?.state ?? .starting
        let after = health.apply(result, at: now, checkPeriod: checkPeriod)
        components[component] = health
        if before != after {
            caused.append(StateTransition(time: now, component: component, from: before, to: after))
        }
        caused.append(contentsOf: updateProcessState(at: now))
        record(caused)
        return caused
    }

    /// The process state for a set of component states.
    public static func aggregate<S: Sequence>(_ states: S) -> ProcessState where S.Element == ProcessState {
        var result = ProcessState.starting
        var count = 0
        var notOK = 0
        for state in states {
            count += 1
            switch state {
            case .degraded: return .degraded
            case .recovering:
                result = .recovering
                notOK += 1
            case .starting: notOK += 1
            case .ok: break
            }
        }
        if result == .recovering { return .recovering }
        return count > 0 && notOK == 0 ? .ok : .starting
    }

    @discardableResult
    private mutating func updateProcessState(at now: Date) -> [StateTransition] {
        let next = Self.aggregate(components.values.map(\.state))
        guard next != state else { return [] }
        let transition = StateTransition(time: now, component: nil, from: state, to: next)
        state = next
        return [transition]
    }

    private mutating func record(_ new: [StateTransition]) {
        transitions.append(contentsOf: new)
        if transitions.count > historyLimit { transitions.removeFirst(transitions.count - historyLimit) }
    }
}
