import Foundation
import TeleportCore

/// The process state's signatures: flapping, degraded or recovering now, restarts, missed
/// heartbeats.
enum StateSignatures {
    /// teleport-diagnostics.md §7 "state flapping" and §1: heartbeats every ~60 s, recovery in
    /// 60-70 s, so repeated degraded -> ok cycles within the window are a sign of their own.
    /// Threshold: 2 or more entries into degraded within the window (one episode is `stateNow`'s).
    static func flapping(_ input: SignatureInput) -> Finding? {
        let start = input.end.addingTimeInterval(-input.windows.total)
        let entries = input.timeline.transitions.filter { $0.time >= start && $0.time <= input.end && $0.to == .degraded && $0.from != nil }
        guard entries.count >= 2, let first = entries.first else { return nil }
        let changes = input.timeline.changes(since: start)
        return input.finding(
            "state-flapping", .warning,
            "state flapping: degraded \(entries.count) times in the last \(Int(input.windows.total)) s", family: "process_state",
            since: first.time, value: Double(entries.count),
            evidence: "\(changes) state changes since \(FindingFigure.clock(start)); recovery takes 60-70 s after a heartbeat succeeds",
            score: Double(entries.count))
    }

    /// §1 process state: degraded (/readyz 503) is critical; recovering (400) a warning; and
    /// time spent degraded within the window while ok now is a warning.
    static func stateNow(_ input: SignatureInput) -> Finding? {
        switch input.timeline.current {
        case .degraded, .recovering, .unreachable, .notMetrics:
            return present(input.timeline, instance: input.instance)
        default:
            let start = input.end.addingTimeInterval(-input.windows.total)
            let times = input.timeline.timeInState(from: start, to: input.end)
            let bad = (times[.degraded] ?? 0) + (times[.recovering] ?? 0)
            guard bad > 0 else { return nil }
            let entered = input.timeline.transitions.last { $0.time >= start && ($0.to == .degraded || $0.to == .recovering) }?.time
            return input.finding(
                "state-degraded-recently", .warning,
                "process was degraded or recovering \(Int(bad.rounded())) s of the last \(Int(input.windows.total)) s", family: "process_state",
                since: entered, value: bad,
                evidence:
                    "time in state since \(FindingFigure.clock(start)): degraded \(Int((times[.degraded] ?? 0).rounded())) s, recovering \(Int((times[.recovering] ?? 0).rounded())) s",
                score: bad)
        }
    }

    /// The state now, when it is trouble: degraded (critical), recovering (a warning), no
    /// metrics at the last scrape because nothing answered (unreachable) or something that is
    /// not Teleport's diag listener did (a page, a 404), both critical. Read from the timeline
    /// alone, so told also before two scrapes are held (or any).
    static func present(_ timeline: StateTimeline, instance: String?) -> Finding? {
        let since = timeline.since
        let sinceText = since.map { ", since \(FindingFigure.clock($0))" } ?? ""
        switch timeline.current {
        case .degraded:
            return Finding(
                instance: instance, severity: .critical, check: "state-degraded", title: "process degraded\(sinceText)", family: "process_state",
                since: since, value: 2, evidence: "process_state 2 (degraded) / readyz 503: a heartbeat or a component failed", score: 100)
        case .recovering:
            return Finding(
                instance: instance, severity: .warning, check: "state-recovering", title: "process recovering\(sinceText)", family: "process_state",
                since: since, value: 1, evidence: "process_state 1 (recovering) / readyz 400: ok again after 60-70 s of good heartbeats",
                score: 50)
        case .unreachable:
            return Finding(
                instance: instance, severity: .critical, check: "unreachable", title: "target unreachable\(sinceText)", family: "process_state",
                since: since, evidence: "neither /readyz nor /metrics answered the last scrape", score: 100)
        case .notMetrics:
            return Finding(
                instance: instance, severity: .critical, check: "not-metrics", title: "target answers, but not with metrics\(sinceText)",
                family: "process_state", since: since, evidence: "/metrics answered with something other than metrics (a page, an error status)",
                score: 100)
        default:
            return nil
        }
    }

    /// §7 "restart storms": a new pid or process start time within the window.
    static func restarts(_ input: SignatureInput) -> Finding? {
        let start = input.end.addingTimeInterval(-input.windows.total)
        let recent = input.timeline.restarts.filter { $0.time >= start && $0.time <= input.end }
        guard let last = recent.last, let first = recent.first else { return nil }
        let title =
            recent.count == 1 ? "restarted at \(FindingFigure.clock(last.time))" : "restarted \(recent.count) times since \(FindingFigure.clock(first.time))"
        return input.finding(
            "restarts", .warning, title, family: "process_start_time_seconds", since: first.time, value: Double(recent.count),
            evidence: last.description.isEmpty ? "process start time changed" : last.description, score: Double(recent.count))
    }

    /// §7 via the catalog: `heartbeats_missed_total` is a gauge in Teleport (heartbeats
    /// missed now), a running count in some builds. Sustained, not a blip: the median of the
    /// recent slots at least 1, and risen within the window (a count that stopped rising is an
    /// old episode; a one-scrape 1 is noise).
    static func heartbeats(_ input: SignatureInput) -> Finding? {
        for series in input.series("heartbeats_missed_total") {
            let recent = Array(series.values[input.slots.recentRange])
            guard let median = RobustStats.median(recent), median >= 1,
                let low = series.values.filter({ !$0.isNaN }).min(), let high = recent.filter({ !$0.isNaN }).max(), high > low
            else { continue }
            return input.finding(
                "heartbeats-missed", .warning, "heartbeats missed: \(FindingFigure.number(median)) in the last \(Int(input.windows.recent)) s",
                family: "heartbeats_missed_total", since: input.firstRecentRise(series, above: low), value: median, baseline: low,
                evidence: "heartbeats_missed_total rose from \(FindingFigure.number(low)) to \(FindingFigure.number(high))", score: median)
        }
        return nil
    }
}
