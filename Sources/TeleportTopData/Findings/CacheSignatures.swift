import Foundation
import TeleportCore

/// The cache's signatures.
enum CacheSignatures {
    /// §7 "cache stale": HELP of teleport_cache_stale_events: "A high percentage of stale
    /// events can indicate a degraded backend". Thresholds (ours): at least 20 events in the
    /// recent window, 10% stale a warning, 50% critical.
    static func staleShare(_ input: SignatureInput) -> Finding? {
        let events = input.recentIncrease("teleport_cache_events")
        let stale = input.recentIncrease("teleport_cache_stale_events")
        guard events >= 20 else { return nil }
        let share = stale / events
        guard share >= 0.1 else { return nil }
        return input.finding(
            "cache-stale", share >= 0.5 ? .critical : .warning,
            "cache events stale: \(FindingFigure.percent(share)) in the last \(Int(input.windows.recent)) s (a degraded backend?)",
            family: "teleport_cache_stale_events", since: input.firstRecentIncrease(input.series("teleport_cache_stale_events")), value: share,
            evidence: "\(FindingFigure.number(stale)) stale of \(FindingFigure.number(events)) cache events", score: share * 100)
    }

    /// §7 "cache stale": `teleport_cache_health` 0 when unhealthy.
    static func health(_ input: SignatureInput) -> Finding? {
        let unhealthy = input.series("teleport_cache_health").filter { (SignatureInput.latest($0) ?? 1) < 0.5 }
        guard let first = unhealthy.first else { return nil }
        return input.finding(
            "cache-unhealthy", .critical, "cache unhealthy" + (first.key.labels.isEmpty ? "" : " (\(first.key.description))"),
            family: "teleport_cache_health", labels: first.key.labels, value: 0, evidence: "teleport_cache_health 0", score: 90)
    }
}
