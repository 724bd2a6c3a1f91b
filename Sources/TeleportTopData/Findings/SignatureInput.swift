import Foundation
import TeleportCore

/// What a signature reads: the history's slots, the state timeline, the ranked changes,
/// and whether the history covers a baseline (checks against a baseline need it).
struct SignatureInput: Sendable {
    var slots: HistorySlots
    var timeline: StateTimeline
    var changes: [Finding]
    var hasBaseline: Bool
    var instance: String?
    /// Slots over a longer window for slow climbs (nil when the history is shorter).
    var longSlots: HistorySlots?

    var end: Date { slots.end }
    var windows: FindingsWindows { slots.windows }

    /// Series of the family called `name`, with or without the `teleport_` prefix and the
    /// `_total` suffix (Teleport exposes both spellings).
    func series(_ name: String) -> [HistorySlots.Series] {
        slots.series(named: Self.spellings(name))
    }

    static func spellings(_ name: String) -> Set<String> {
        var bare = name.hasPrefix("teleport_") ? String(name.dropFirst("teleport_".count)) : name
        if bare.hasSuffix("_total") { bare = String(bare.dropLast("_total".count)) }
        return [bare, bare + "_total", "teleport_" + bare, "teleport_" + bare + "_total"]
    }

    /// The newest slot value of a series (the mean of its last slot with points).
    static func latest(_ series: HistorySlots.Series) -> Double? {
        series.values.last { !$0.isNaN }
    }

    /// A counter's increase over the recent window.
    func recentIncrease(_ series: HistorySlots.Series) -> Double {
        guard series.isCounter else { return 0 }
        return slots.recentRange.reduce(0) { $0 + ($1 < series.increases.count ? series.increases[$1] : 0) }
    }

    /// Sum of the recent increases of a family's series matching `filter`.
    func recentIncrease(_ name: String, where filter: ([Label]) -> Bool = { _ in true }) -> Double {
        series(name).filter { filter($0.key.labels) }.reduce(0) { $0 + recentIncrease($1) }
    }

    /// The start of the first recent slot where the counter increased (the trouble's start).
    func firstRecentIncrease(_ series: [HistorySlots.Series]) -> Date? {
        for slot in slots.recentRange where series.contains(where: { slot < $0.increases.count && $0.increases[slot] > 0 }) {
            return slots.slotStart(slot)
        }
        return nil
    }

    /// The start of the first slot of the window whose value is above `level`.
    func firstRecentRise(_ series: HistorySlots.Series, above level: Double) -> Date? {
        series.values.indices.first { !series.values[$0].isNaN && series.values[$0] > level }.map(slots.slotStart)
    }

    func finding(
        _ check: String, _ severity: FindingSeverity, _ title: String, family: String? = nil, labels: [Label] = [], since: Date? = nil,
        value: Double? = nil, baseline: Double? = nil, evidence: String, score: Double
    ) -> Finding {
        Finding(
            instance: instance, severity: severity, check: check, title: title, family: family, labels: labels, since: since, value: value,
            baseline: baseline, evidence: evidence, score: score)
    }

    /// A latency quantile the ranking found risen: 3× its baseline and `atLeast` seconds is a
    /// warning, 10× and `critical` seconds critical.
    struct LatencyRise {
        var change: Finding
        var family: String
        var value: Double
        var baseline: Double
        var severity: FindingSeverity

        /// "48 ms, 20× its baseline of 2.4 ms, since 05:31:10 UTC".
        var sentence: String {
            var text =
                "\(FindingFigure.text(value, unit: .seconds)), \(FindingFigure.ratio(value / baseline)) its baseline of \(FindingFigure.text(baseline, unit: .seconds))"
            if let since = change.since { text += ", since \(FindingFigure.clock(since))" }
            return text
        }
    }

    /// The quantile changes of histograms in `families` that rose as `LatencyRise` says
    /// (none without a baseline).
    func latencyRises(in families: Set<String>, atLeast: Double, critical: Double) -> [LatencyRise] {
        guard hasBaseline else { return [] }
        return changes.compactMap { change in
            guard change.check == "changed-quantile", let family = change.family, families.contains(family),
                let value = change.value, let baseline = change.baseline, baseline > 0
            else { return nil }
            let ratio = value / baseline
            guard ratio >= 3, value >= atLeast else { return nil }
            return LatencyRise(
                change: change, family: family, value: value, baseline: baseline, severity: ratio >= 10 && value >= critical ? .critical : .warning)
        }
    }
}
