import Foundation

/// The history of a target's observed state: every transition with its time, bounded,
/// with time spent per state and the number of transitions over a window.
public struct StateTimeline: Sendable, Hashable {
    public struct Transition: Sendable, Hashable, Codable {
        public var time: Date
        public var from: ObservedState?
        public var to: ObservedState
    }

    public private(set) var transitions: [Transition] = []
    /// The target's restarts (its pid or process start time changed), oldest first, bounded.
    public private(set) var restarts: [Restart] = []
    public private(set) var current: ObservedState?
    public private(set) var since: Date?
    public let limit: Int

    public init(limit: Int = 2000) {
        self.limit = max(2, limit)
    }

    /// Records the state observed at `time`; returns whether it changed.
    @discardableResult
    public mutating func observe(_ state: ObservedState, at time: Date) -> Bool {
        guard state != current else { return false }
        transitions.append(Transition(time: time, from: current, to: state))
        if transitions.count > limit { transitions.removeFirst(transitions.count - limit) }
        current = state
        since = time
        return true
    }

    /// Notes a restart seen at `restart.time`.
    public mutating func markRestart(_ restart: Restart) {
        restarts.append(restart)
        if restarts.count > limit { restarts.removeFirst(restarts.count - limit) }
    }

    /// Seconds spent in each state between `start` and `end`.
    public func timeInState(from start: Date, to end: Date) -> [ObservedState: Double] {
        var totals: [ObservedState: Double] = [:]
        for (i, transition) in transitions.enumerated() {
            let segmentStart = max(transition.time, start)
            let segmentEnd = min(i + 1 < transitions.count ? transitions[i + 1].time : end, end)
            if segmentEnd > segmentStart {
                totals[transition.to, default: 0] += segmentEnd.timeIntervalSince(segmentStart)
            }
        }
        return totals
    }

    /// Transitions after `start` (the first observation does not count as a change).
    public func changes(since start: Date) -> Int {
        transitions.filter { $0.from != nil && $0.time >= start }.count
    }

    /// Whether `since` is only a lower bound: the current state is the first one observed,
    /// so it began before the watching did (shown as `≥ 3s`).
    public var sinceIsLowerBound: Bool {
        guard let last = transitions.last else { return false }
        return last.from == nil
    }

    /// The state whose time in `timeInState(from:to:)` is only a lower bound: the first one
    /// observed, when it was observed after `start` (it began before the watching did).
    public func lowerBoundState(from start: Date) -> ObservedState? {
        guard let first = transitions.first, first.from == nil, first.time > start else { return nil }
        return first.to
    }

    /// When the current state began, if it is `state` (e.g. down since when).
    public func since(_ state: ObservedState) -> Date? {
        current == state ? since : nil
    }

    /// The state at a given time (nil before the first observation).
    public func state(at time: Date) -> ObservedState? {
        transitions.last { $0.time <= time }?.to
    }
}

/// A restart of the target seen between two scrapes: a new pid or a new process start time,
/// with the versions before and after when they are known.
public struct Restart: Sendable, Hashable, Codable {
    public var time: Date
    public var oldPid: Int?
    public var newPid: Int?
    public var oldVersion: String?
    public var newVersion: String?

    public init(time: Date, oldPid: Int?, newPid: Int?, oldVersion: String?, newVersion: String?) {
        self.time = time
        self.oldPid = oldPid
        self.newPid = newPid
        self.oldVersion = oldVersion
        self.newVersion = newVersion
    }

    /// `pid 4242 → 4300, v17.2.1 → v17.3.0` (the version only when it changed).
    public var description: String {
        var parts: [String] = []
        if let oldPid, let newPid, oldPid != newPid { parts.append("pid \(oldPid) → \(newPid)") } else if let newPid { parts.append("pid \(newPid)") }
        if let oldVersion, let newVersion, oldVersion != newVersion { parts.append("v\(oldVersion) → v\(newVersion)") }
        // Known by its start time alone (read through a Prometheus-API engine: no pid).
        return parts.isEmpty ? "a new process start time" : parts.joined(separator: ", ")
    }
}
