import Foundation
import TeleportCore

/// The traces the Findings screen draws: each finding's series (or the sum of the series its
/// labels pick; a histogram's p99) slot by slot over the findings windows. Pure.
public enum FindingTraces {
    /// Traces of the first `limit` findings that name a family, by finding key.
    public static func traces(for findings: [Finding], history: MetricHistory, windows: FindingsWindows, limit: Int = 64) -> [String: FindingTrace] {
        let wanted = findings.filter { $0.family != nil }.prefix(limit)
        let families = Set(wanted.compactMap(\.family))
        guard !families.isEmpty, let slots = HistorySlots(history, windows: windows, include: { families.contains($0) }) else { return [:] }
        var out: [String: FindingTrace] = [:]
        for finding in wanted {
            guard let family = finding.family, let points = points(finding, family: family, slots: slots) else { continue }
            out[finding.key] = FindingTrace(points: points, baselineSlots: windows.baselineSlots)
        }
        return out
    }

    static func points(_ finding: Finding, family: String, slots: HistorySlots) -> [Double]? {
        func picked(_ labels: [Label]) -> Bool { finding.labels.allSatisfy { labels.contains($0) } }
        if let histogram = slots.histograms.first(where: { $0.family == family && picked($0.labels) }) {
            return histogram.slotQuantiles(0.99)
        }
        let series = slots.series(named: [family]).filter { $0.family == family && picked($0.key.labels) && !$0.key.name.hasSuffix("_bucket") }
        // A histogram's or summary's count stands for it when no buckets are held.
        let chosen = series.filter { !$0.key.name.hasSuffix("_sum") && !$0.key.name.hasSuffix("_created") }
        guard let first = chosen.first else { return nil }
        var sums = first.values
        for other in chosen.dropFirst() {
            for i in sums.indices where i < other.values.count {
                let v = other.values[i]
                if v.isNaN { continue }
                sums[i] = sums[i].isNaN ? v : sums[i] + v
            }
        }
        return sums
    }
}
