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

    /// The state at a given time (nil before the first observation).
    public func state(at time: Date) -> ObservedState? {
        transitions.last { $0.time <= time }?.to
    }
}
