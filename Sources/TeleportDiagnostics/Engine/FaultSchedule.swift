import TeleportCore

/// A repeating pattern of heartbeat results, written `ok:N,fail:M` (any number of steps):
/// N good heartbeats, then M failed ones, then again from the start.
public struct FaultSchedule: Sendable, Hashable, CustomStringConvertible {
    public struct Step: Sendable, Hashable {
        public var result: HeartbeatResult
        public var count: Int
    }

    public let steps: [Step]
    private let period: Int

    /// Parses `ok:N,fail:M[,...]`; counts are whole numbers from 1 to 1,000,000.
    public init(parsing text: String) throws(FaultScheduleError) {
        var steps: [Step] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count == 2 else { throw FaultScheduleError(text: text, reason: "expected ok:N or fail:N, got \"\(part)\"") }
            let result: HeartbeatResult
            switch pieces[0].lowercased() {
            case "ok": result = .ok
            case "fail": result = .failed
            default: throw FaultScheduleError(text: text, reason: "unknown step \"\(pieces[0])\" (use ok or fail)")
            }
            guard let count = Int(pieces[1]), count >= 1, count <= 1_000_000 else {
                throw FaultScheduleError(text: text, reason: "count \"\(pieces[1])\" is not a whole number from 1 to 1000000")
            }
            steps.append(Step(result: result, count: count))
        }
        self.init(steps: steps)
    }

    public init(steps: [Step]) {
        self.steps = steps
        self.period = steps.reduce(0) { $0 + $1.count }
    }

    /// The result of the heartbeat with this 0-based index.
    public func result(at index: Int) -> HeartbeatResult {
        guard period > 0 else { return .ok }
        var position = index % period
        for step in steps {
            if position < step.count { return step.result }
            position -= step.count
        }
        return .ok
    }

    public var description: String {
        steps.map { "\($0.result == .ok ? "ok" : "fail"):\($0.count)" }.joined(separator: ",")
    }
}

/// A malformed `--fault-schedule`.
public struct FaultScheduleError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "invalid fault schedule \"\(text)\": \(reason)" }
}
