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

    /// §7 "cache stale": "DynamoDB throttling shows as cache resets every 2-3 minutes without
    /// a clear log". A reset is the cache going unhealthy and back: a slot with an unhealthy
    /// scrape (`teleport_cache_health` below 1) after a healthy one. Two or more over the
    /// baseline and recent windows is a warning (ours: one reset is a hiccup, a rhythm is not).
    static func resets(_ input: SignatureInput) -> [Finding] {
        input.series("teleport_cache_health").compactMap { series in
            var resets: [Int] = []
            var healthyBefore = false
            for (slot, value) in series.values.enumerated() where !value.isNaN {
                if value < 1, healthyBefore { resets.append(slot) }
                healthyBefore = value >= 1
            }
            guard resets.count >= 2, let first = resets.first else { return nil }
            let span = Int(input.end.timeIntervalSince(input.slots.slotStart(0)).rounded())
            return input.finding(
                "cache-resets", .warning,
                "cache reset \(resets.count) times in the last \(span) s" + (series.key.labels.isEmpty ? "" : " (\(series.key.description))"),
                family: "teleport_cache_health", labels: series.key.labels, since: input.slots.slotStart(first), value: Double(resets.count),
                evidence: "teleport_cache_health went below 1 after being 1, in \(resets.count) slots; resets every few minutes are backend throttling's sign",
                score: Double(resets.count) * 10)
        }
    }
}
