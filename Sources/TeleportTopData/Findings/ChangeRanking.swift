import Foundation
import TeleportCore

/// "What changed": every series' recent window against the baseline before it (medians
/// and MAD of slots; counters as rates, histograms by p50 and p99 of each slot), ranked by
/// magnitude. Series new since the baseline are told per family. Pure.
enum ChangeRanking {
    /// The changes that pass (`open` keys use the thresholds that keep a finding open).
    static func rank(_ slots: HistorySlots, thresholds: ChangeThresholds, open: Set<String>, instance: String?) -> [Finding] {
        var findings: [Finding] = []
        var newByFamily: [String: Int] = [:]
        let scored = scoreAll(slots, minMagnitude: thresholds.keepMagnitude)
        for index in 0..<slots.count {
            switch scored[index] {
            case .skipped: continue
            case .new: newByFamily[slots.family(at: index), default: 0] += 1
            case .scored(let score):
                let key = slots.key(at: index)
                let isCounter = slots.isCounter(at: index)
                var finding = Finding(
                    instance: instance, severity: .info, check: "changed", title: "", family: slots.family(at: index), labels: key.labels,
                    evidence: "", score: score.magnitude)
                guard score.passes(thresholds, open: open.contains(finding.key)) else { continue }
                let unit = FindingFigure.unit(of: key.name)
                let what = key.description + (isCounter ? " rate" : "")
                finding.title = sentence(what, score: score, unit: unit, perSecond: isCounter, since: score.sinceSlot.map(slots.slotStart))
                finding.since = score.sinceSlot.map(slots.slotStart)
                finding.value = score.recent
                finding.baseline = score.baseline
                finding.evidence = evidence(score, slots: slots, unit: unit, perSecond: isCounter)
                findings.append(finding)
            }
        }
        for (histogram, best) in zip(slots.histograms, bestQuantiles(slots, minMagnitude: thresholds.keepMagnitude)) {
            guard let (q, score) = best else { continue }
            let unit = FindingFigure.unit(of: histogram.family)
            var finding = Finding(
                instance: instance, severity: .info, check: "changed-quantile", title: "", family: histogram.family, labels: histogram.labels,
                evidence: "", score: score.magnitude)
            guard score.passes(thresholds, open: open.contains(finding.key)) else { continue }
            let what = SeriesKey(name: histogram.family, labels: histogram.labels).description + " " + q
            finding.since = score.sinceSlot.map(slots.slotStart)
            finding.title = sentence(what, score: score, unit: unit, perSecond: false, since: finding.since)
            finding.value = score.recent
            finding.baseline = score.baseline
            finding.evidence = evidence(score, slots: slots, unit: unit, perSecond: false) + ", \(q) of each slot's buckets"
            findings.append(finding)
        }
        for (family, count) in newByFamily.sorted(by: { $0.key < $1.key }) {
            findings.append(
                Finding(
                    instance: instance, severity: .info, check: "new-series",
                    title: "\(family): \(count) series new since the baseline", family: family,
                    evidence: "absent from \(slots.baselineText), present in most of the last \(Int(slots.windows.recent)) s",
                    score: 0))
        }
        return findings
    }

    /// The quantiles a histogram is ranked by (the strongest change of them is told).
    static let quantiles: [(String, Double)] = [("p99", 0.99), ("p90", 0.9), ("p50", 0.5)]

    /// Observations a slot needs for its quantile `q` to count: 5 above it (p99: 500, p90:
    /// 50, p50: 10). Fewer, and a slot's p99 is whether one rare observation fell in it.
    static func minObservations(_ q: Double) -> Double { 5 / (1 - q) }

    /// What the ranking made of one series.
    enum Scored: Sendable, Equatable {
        /// Not ranked, too few points, or under the magnitude asked.
        case skipped
        /// No point in the baseline, points in most of the recent window.
        case new
        case scored(ChangeScore)
    }

    /// Every slotted series scored (on every core for a large target: each is independent;
    /// `workers` forces the split).
    static func scoreAll(_ slots: HistorySlots, minMagnitude: Double, workers forced: Int? = nil) -> [Scored] {
        let count = slots.count
        var out = [Scored](repeating: .skipped, count: count)
        guard count > 0 else { return out }
        let baselineSlots = slots.windows.baselineSlots
        let recentSlots = slots.windows.recentSlots
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let results = buffer
            SlotFrame.inRuns(count, workers: SlotFrame.workers(for: count, forced: forced)) { range in
                for index in range {
                    let key = slots.key(at: index)
                    guard isRanked(name: key.name, labels: key.labels, type: slots.type(at: index), family: slots.family(at: index)) else { continue }
                    let floor = ChangeThresholds.floor(name: key.name, isRate: slots.isCounter(at: index))
                    results[index] = slots.withValues(at: index) { values -> Scored in
                        if RobustStats.count(values[0..<baselineSlots]) == 0 {
                            return RobustStats.count(values[baselineSlots...]) * 2 > recentSlots ? .new : .skipped
                        }
                        return ChangeScore.score(values, baselineSlots: baselineSlots, floor: floor, minMagnitude: minMagnitude).map { .scored($0) } ?? .skipped
                    }
                }
            }
        }
        return out
    }

    /// Each histogram's strongest quantile change (nil: none reaches `minMagnitude`), on
    /// every core for a large target.
    static func bestQuantiles(_ slots: HistorySlots, minMagnitude: Double, workers forced: Int? = nil) -> [(q: String, score: ChangeScore)?] {
        let histograms = slots.histograms
        var out = [(q: String, score: ChangeScore)?](repeating: nil, count: histograms.count)
        guard !histograms.isEmpty else { return out }
        let baselineSlots = slots.windows.baselineSlots
        let workers = SlotFrame.workers(for: histograms.reduce(0) { $0 + $1.bounds.count }, forced: forced)
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let results = buffer
            SlotFrame.inRuns(histograms.count, workers: workers) { range in
                for index in range {
                    let histogram = histograms[index]
                    let floor = ChangeThresholds.floor(name: histogram.family, isRate: false)
                    var best: (q: String, score: ChangeScore)?
                    for (name, q) in quantiles {
                        guard
                            let score = ChangeScore.score(
                                histogram.slotQuantiles(q, minObservations: minObservations(q)), baselineSlots: baselineSlots, floor: floor,
                                minMagnitude: minMagnitude)
                        else { continue }
                        if best.map({ score.magnitude > $0.score.magnitude }) ?? true { best = (name, score) }
                    }
                    results[index] = best
                }
            }
        }
        return out
    }

    /// Series ranked on their own: not buckets or sums (histograms are ranked by quantiles),
    /// not timestamps, info or the state (a check of its own).
    static func isRanked(_ series: HistorySlots.Series) -> Bool {
        isRanked(name: series.key.name, labels: series.key.labels, type: series.type, family: series.family)
    }

    static func isRanked(name: String, labels: [Label], type: MetricType, family: String) -> Bool {
        if name.hasSuffix("_sum") && type != .gauge && type != .untyped { return false }
        if name.hasSuffix("_created") || name.hasSuffix("_timestamp_seconds") || name.hasSuffix("_timestamp") || name.hasSuffix("start_time_seconds") {
            return false
        }
        if name.hasSuffix("_info") || type == .info || type == .stateset { return false }
        if family == "process_state" { return false }
        // A summary's high quantiles jump as one rare observation enters or leaves its
        // sliding window: only its median is ranked.
        if type == .summary, let q = labels[label: "quantile"].flatMap(Double.init), q > 0.5 { return false }
        return true
    }

    /// `backend_read_seconds p99 48 ms, 20× its baseline of 2.4 ms, since 05:31:10 UTC`.
    static func sentence(_ what: String, score: ChangeScore, unit: FindingFigure.Unit, perSecond: Bool, since: Date?) -> String {
        let now = FindingFigure.text(score.recent, unit: unit, perSecond: perSecond)
        let before = FindingFigure.text(score.baseline, unit: unit, perSecond: perSecond)
        var text = "\(what) \(now), "
        if score.recent > score.baseline {
            let ratio = score.baseline > 0 ? score.recent / score.baseline : .infinity
            text += score.baseline > 0 ? "\(FindingFigure.ratio(ratio)) its baseline of \(before)" : "up from \(before)"
        } else {
            text += "down from its baseline of \(before)"
        }
        if let since { text += ", since \(FindingFigure.clock(since))" }
        return text
    }

    static func evidence(_ score: ChangeScore, slots: HistorySlots, unit: FindingFigure.Unit, perSecond: Bool) -> String {
        let w = slots.windows
        return "median of \(FindingFigure.number(w.slot)) s slots: last \(FindingFigure.number(w.recent)) s "
            + FindingFigure.text(score.recent, unit: unit, perSecond: perSecond) + " vs \(slots.baselineText) "
            + FindingFigure.text(score.baseline, unit: unit, perSecond: perSecond) + " (spread "
            + FindingFigure.text(score.spread, unit: unit, perSecond: perSecond) + ", z " + FindingFigure.number(score.z) + ")"
    }
}

extension FindingsEvaluator {
    /// Every ranked series' score, largest magnitude first, whether it passes or not: the
    /// figures thresholds are decided from (`check --scores`).
    public static func scores(history: MetricHistory, windows: FindingsWindows = .init()) -> [(series: String, magnitude: Double, z: Double)] {
        guard let slots = HistorySlots(history, windows: windows) else { return [] }
        var out: [(String, Double, Double)] = []
        for (index, scored) in ChangeRanking.scoreAll(slots, minMagnitude: 0).enumerated() {
            guard case .scored(let score) = scored else { continue }
            out.append((slots.key(at: index).description + (slots.isCounter(at: index) ? " rate" : ""), score.magnitude, score.z))
        }
        for histogram in slots.histograms {
            let floor = ChangeThresholds.floor(name: histogram.family, isRate: false)
            for (name, q) in ChangeRanking.quantiles {
                guard
                    let score = ChangeScore.score(
                        histogram.slotQuantiles(q, minObservations: ChangeRanking.minObservations(q)), baselineSlots: windows.baselineSlots, floor: floor)
                else { continue }
                out.append((SeriesKey(name: histogram.family, labels: histogram.labels).description + " " + name, score.magnitude, score.z))
            }
        }
        return out.sorted { $0.1 > $1.1 }
    }
}
