import Foundation
import TeleportCore

/// Keeps findings open across evaluations: a finding missing from an evaluation stays
/// (as last seen) until it has been missing `clearAfter` evaluations in a row, and keeps
/// the earliest `since` it was given; a finding of the present state (degraded now,
/// unreachable) clears as soon as it is missing. Pure value.
public struct FindingsTracker: Sendable {
    private struct Open: Sendable {
        var finding: Finding
        var misses: Int
    }

    private var open: [String: Open] = [:]
    public let clearAfter: Int

    public init(clearAfter: Int = ChangeThresholds().clearAfter) {
        self.clearAfter = max(0, clearAfter)
    }

    /// The checks that tell the state now, held open by no hysteresis.
    static let presentState: Set<String> = ["state-degraded", "state-recovering", "unreachable", "not-metrics"]

    /// The keys open now (the evaluator keeps them on the lower thresholds).
    public var openKeys: Set<String> { Set(open.keys) }

    /// Folds an evaluation in; returns the report with the findings held open.
    public mutating func update(_ report: FindingsReport) -> FindingsReport {
        var seen = Set<String>()
        for var finding in report.findings {
            let key = finding.key
            seen.insert(key)
            if let before = open[key]?.finding.since {
                finding.since = min(before, finding.since ?? before)
            }
            open[key] = Open(finding: finding, misses: 0)
        }
        for key in open.keys where !seen.contains(key) {
            // A finding of the present state (degraded now, unreachable) is untrue once the
            // state has changed: it clears at once.
            if let check = open[key]?.finding.check, Self.presentState.contains(check) {
                open[key] = nil
                continue
            }
            open[key]?.misses += 1
            if (open[key]?.misses ?? 0) > clearAfter { open[key] = nil }
        }
        return FindingsReport(time: report.time, coverage: report.coverage, findings: open.values.map(\.finding), baseline: report.baseline)
    }
}
