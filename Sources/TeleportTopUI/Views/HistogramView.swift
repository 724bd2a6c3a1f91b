import Foundation
import TeleportCore

/// One histogram series: p50/p90/p99 over the last interval, 1 min and 5 min (honest
/// "≥ 32.768s" when the rank is in +Inf), the count rate, and per bucket: the last
/// interval's observations as bars beside a heatmap of the bucket increases of every
/// interval in the history (oldest left, newest right).
public enum HistogramView {
    public static func draw(_ state: DashboardState, _ selection: HistogramSelection, into screen: inout Screen, top: Int, bottom: Int, symbols: Symbols) {
        var y = top
        guard let family = state.snapshot.family(selection.family),
            let histogram = family.histograms.first(where: { $0.labels == selection.labels })
        else {
            screen.write(" \(selection.family): this series is gone from the target", x: 0, y: y, role: .dim)
            return
        }
        let unit = QuantileText.unit(forFamily: family.name)
        let labels = histogram.labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",")
        screen.write(" \(family.name){\(labels)}", x: 0, y: y, role: .accent)
        y += 1
        let roomy = bottom - top >= 30
        if let help = family.help {
            screen.write("  \(help)", x: 0, y: y, role: .dim)
            y += 1
        }
        screen.write(
            "  observations \(Format.number(histogram.count))   rate \(histogram.countRate.map { Format.number($0) + "/s" } ?? "-")   mean \(histogram.count > 0 ? unit(histogram.sum / histogram.count) : "-")",
            x: 0, y: y)
        y += roomy ? 2 : 1
        screen.write("  window      observations        p50          p90          p99", x: 0, y: y, role: .dim)
        y += 1
        for window in QuantileWindow.allCases where y < bottom {
            let w = histogram.windows[window]
            let name = window == .lastInterval ? "last \(DurationText.format(state.snapshot.interval))" : window.rawValue
            let line =
                "  " + name.padding(toLength: 12, withPad: " ", startingAt: 0)
                + Format.number(w?.observations ?? 0).padding(toLength: 20, withPad: " ", startingAt: 0)
                + QuantileText.format(w?.p50, unit: unit).padding(toLength: 13, withPad: " ", startingAt: 0)
                + QuantileText.format(w?.p90, unit: unit).padding(toLength: 13, withPad: " ", startingAt: 0)
                + QuantileText.format(w?.p99, unit: unit)
            screen.write(line, x: 0, y: y, role: (w?.p99?.atLeast ?? false) ? .error : .text)
            y += 1
        }
        if roomy { y += 1 }
        guard y + 1 < bottom else { return }
        let heatmap = state.heatmap.flatMap { $0.family == family.name && $0.labels == histogram.labels ? $0 : nil }
        drawBuckets(histogram, heatmap: heatmap, unit: unit, interval: state.snapshot.interval, into: &screen, top: y, bottom: bottom, symbols: symbols)
    }

    /// Rows per bucket: label, bar of the last interval's count, the count, then the heatmap.
    static func drawBuckets(
        _ histogram: HistogramSnapshot, heatmap: Heatmap?, unit: (Double) -> String, interval: Duration,
        into screen: inout Screen, top: Int, bottom: Int, symbols: Symbols
    ) {
        var y = top
        let buckets = histogram.windows[.lastInterval]?.buckets ?? histogram.windows[.oneMinute]?.buckets ?? []
        var counts: [(bound: Double, count: Double)] = []
        var previous = 0.0
        for bucket in buckets {
            counts.append((bucket.upperBound, max(0, bucket.cumulativeCount - previous)))
            previous = max(previous, bucket.cumulativeCount)
        }
        let bounds = heatmap?.bounds ?? counts.map(\.bound)
        guard !bounds.isEmpty else {
            screen.write("  no buckets yet: quantiles need two scrapes", x: 0, y: y, role: .dim)
            return
        }
        let lastCount: [Double: Double] = Dictionary(counts.map { ($0.bound, $0.count) }, uniquingKeysWith: +)
        let columns = heatmap?.columns ?? []
        // Only the buckets between the lowest and highest that saw anything.
        let used = bounds.indices.filter { i in (lastCount[bounds[i]] ?? 0) > 0 || columns.contains { i < $0.count && $0[i] > 0 } }
        guard let low = used.first, let high = used.last else {
            screen.write("  no observations in the history yet", x: 0, y: y, role: .dim)
            return
        }
        let labelWidth = 12
        let barWidth = max(5, min(30, (screen.width - 24) / 3))
        let heatX = labelWidth + 2 + barWidth + 9
        let heatWidth = max(0, screen.width - heatX - 1)
        screen.write("  last \(DurationText.format(interval)), per bucket", x: 0, y: y, role: .accent)
        if heatWidth >= 10 {
            screen.write("│ each interval, oldest ← → newest", x: heatX - 2, y: y, role: .accent, maxWidth: heatWidth + 2)
        }
        y += 1
        let peak = counts.map(\.count).max() ?? 0
        let heatPeak = columns.flatMap { $0 }.max() ?? 0
        let shown = Array(columns.suffix(heatWidth))
        let rows = Array(low...high)
        for (n, i) in rows.enumerated() where y < bottom {
            if y == bottom - 1 && n < rows.count - 1 {
                screen.write("  … \(rows.count - n) more buckets up to \(bounds[high] == .infinity ? "+Inf" : unit(bounds[high]))", x: 0, y: y, role: .dim)
                break
            }
            let bound = bounds[i]
            let label = bound == .infinity ? "+Inf" : "≤ " + unit(bound)
            screen.write("  " + label, x: 0, y: y, role: .dim, maxWidth: labelWidth + 2)
            let count = lastCount[bound] ?? 0
            let length = peak > 0 && count > 0 ? max(1, Int((count / peak * Double(barWidth)).rounded())) : 0
            for k in 0..<length { screen[labelWidth + 2 + k, y] = Cell(symbols.full, role: StyleRole.chart(level: count / peak)) }
            screen.writeRight(Format.number(count), right: heatX - 3, y: y, role: count > 0 ? .text : .dim)
            if heatWidth >= 10 {
                screen.write("│", x: heatX - 2, y: y, role: .border)
                let offset = heatWidth - shown.count
                for (c, column) in shown.enumerated() {
                    screen[heatX + offset + c, y] = heatCell(column.isEmpty ? nil : (i < column.count ? column[i] : 0), peak: heatPeak, symbols: symbols)
                }
            }
            y += 1
        }
    }

    /// A heatmap cell: blank for none, a shade and chart colour by share of the peak, a dim
    /// dot for a gap.
    static func heatCell(_ value: Double?, peak: Double, symbols: Symbols) -> Cell {
        guard let value else { return Cell("·", role: .dim) }
        guard value > 0, peak > 0 else { return Cell(" ") }
        let level = value / peak
        let shades = symbols.shades
        let index = min(shades.count - 1, Int(level * Double(shades.count)))
        return Cell(shades[index], role: StyleRole.chart(level: max(level, 0.13)))
    }
}
