import Foundation
import TeleportDiagnostics

/// One histogram series: p50/p90/p99 over the last interval, 1 min and 5 min (honest
/// "≥ 32.768s" when the rank is in +Inf), the count rate, and the distribution of the last
/// interval's observations as bars per bucket.
public enum HistogramView {
    public static func draw(_ state: DashboardState, _ selection: HistogramSelection, into screen: inout Screen, top: Int, bottom: Int, symbols: Symbols) {
        var y = top
        guard let family = state.snapshot.family(selection.family),
            let histogram = family.histograms.first(where: { $0.labels == selection.labels })
        else {
            screen.write(" \(selection.family): this series is gone from the target", x: 0, y: y, role: .dim)
            return
        }
        let labels = histogram.labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",")
        screen.write(" \(family.name){\(labels)}", x: 0, y: y, role: .accent)
        y += 1
        if let help = family.help { screen.write("  \(help)", x: 0, y: y, role: .dim); y += 1 }
        screen.write("  observations \(Format.number(histogram.count))   rate \(histogram.countRate.map { Format.number($0) + "/s" } ?? "-")   mean \(histogram.count > 0 ? Format.seconds(histogram.sum / histogram.count) : "-")", x: 0, y: y)
        y += 2
        screen.write("  window      observations        p50          p90          p99", x: 0, y: y, role: .dim)
        y += 1
        for window in QuantileWindow.allCases where y < bottom {
            let w = histogram.windows[window]
            func q(_ e: QuantileEstimate?) -> String { e.map { ($0.atLeast ? "≥ " : "") + Format.seconds($0.value) } ?? "-" }
            let name = window == .lastInterval ? "last \(DurationText.format(state.snapshot.interval))" : window.rawValue
            let line = "  " + name.padding(toLength: 12, withPad: " ", startingAt: 0)
                + Format.number(w?.observations ?? 0).padding(toLength: 20, withPad: " ", startingAt: 0)
                + q(w?.p50).padding(toLength: 13, withPad: " ", startingAt: 0)
                + q(w?.p90).padding(toLength: 13, withPad: " ", startingAt: 0) + q(w?.p99)
            screen.write(line, x: 0, y: y, role: (w?.p99?.atLeast ?? false) ? .error : .text)
            y += 1
        }
        y += 1
        guard y < bottom, let buckets = histogram.windows[.lastInterval]?.buckets ?? histogram.windows[.oneMinute]?.buckets else { return }
        screen.write("  last interval, per bucket", x: 0, y: y, role: .accent)
        y += 1
        var counts: [(String, Double)] = []
        var previous = 0.0
        for bucket in buckets {
            let label = bucket.upperBound == .infinity ? "+Inf" : "≤ " + Format.seconds(bucket.upperBound)
            counts.append((label, max(0, bucket.cumulativeCount - previous)))
            previous = bucket.cumulativeCount
        }
        let peak = counts.map(\.1).max() ?? 0
        let barWidth = max(5, screen.width - 30)
        for (label, count) in counts where y < bottom {
            screen.write("  " + label.padding(toLength: 12, withPad: " ", startingAt: 0), x: 0, y: y, role: .dim)
            let length = peak > 0 ? Int((count / peak * Double(barWidth)).rounded(.up)) : 0
            for i in 0..<length { screen[14 + i, y] = Cell(symbols.full, role: StyleRole.chart(level: peak > 0 ? count / peak : 0)) }
            screen.write(" " + Format.number(count), x: 14 + length, y: y, role: .text)
            y += 1
        }
    }
}
