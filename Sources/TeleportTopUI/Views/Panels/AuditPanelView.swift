import TeleportCore

/// tctl top's Audit tab: emitted, failed and trimmed events per second over time, then the
/// size of emitted events (mean, and quantiles over the last minute).
public enum AuditPanelView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int, symbols: Symbols) {
        let snapshot = state.snapshot
        var y = top
        screen.write(" events per second", x: 0, y: y, role: .accent)
        y += 1
        let lines: [(String, PanelFigures.Trend, Bool)] = [
            ("emitted", PanelFigures.trend(snapshot, family: "teleport_audit_emitted_event_sizes", suffix: "_count"), false),
            ("failed to emit", PanelFigures.trend(snapshot, family: "audit_failed_emit_events"), true),
            ("trimmed before storing", PanelFigures.trend(snapshot, family: "teleport_audit_stored_trimmed_events"), true),
        ]
        let sparkWidth = max(10, screen.width - 40)
        for (title, trend, bad) in lines where y < bottom {
            screen.write("   " + title, x: 0, y: y, role: .text)
            let role: StyleRole = bad && (trend.rate ?? 0) > 0 ? .error : .text
            screen.writeRight(trend.rate.map { Format.number($0) + "/s" } ?? "not exposed", right: 36, y: y, role: trend.rate == nil ? .dim : role)
            Sparkline.draw(trend.spark, into: &screen, x: 38, y: y, width: sparkWidth, symbols: symbols)
            y += 1
        }
        guard y + 2 < bottom else { return }
        screen.rule(y: y)
        y += 1
        screen.write(" event sizes (teleport_audit_emitted_event_sizes)", x: 0, y: y, role: .accent)
        y += 1
        guard let family = snapshot.family("teleport_audit_emitted_event_sizes"), let h = family.histograms.first else {
            screen.write("   not exposed by this target", x: 0, y: y, role: .dim)
            return
        }
        let bytes = PanelFigures.trend(snapshot, family: family.name, suffix: "_sum")
        let facts = [
            ("mean since start", h.count > 0 ? Format.bytes(h.sum / h.count) : "-"),
            ("bytes/s", bytes.rate.map(Format.bytes) ?? "-"),
        ]
        for (title, value) in facts where y < bottom {
            screen.write("   " + title, x: 0, y: y)
            screen.writeRight(value, right: 36, y: y)
            y += 1
        }
        for window in QuantileWindow.allCases where y < bottom {
            let w = h.windows[window]
            let name = window == .lastInterval ? "last \(DurationText.format(snapshot.interval))" : window.rawValue
            screen.write("   p50 / p90 / p99, \(name)", x: 0, y: y)
            let text = w.map { w in [w.p50, w.p90, w.p99].map { QuantileText.format($0, unit: Format.bytes) }.joined(separator: " / ") } ?? "-"
            screen.write(text, x: 38, y: y)
            y += 1
        }
    }
}
