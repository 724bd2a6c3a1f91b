import TeleportCore

/// tctl top's Backend and Cache tabs, done right: read / batch read / write / batch write
/// latency quantiles over the last minute (not cumulative bucket shares), then
/// `backend_requests` by key with counts and measured rates, busiest first.
public enum BackendPanelView {
    public static func draw(_ state: DashboardState, component: String, into screen: inout Screen, top: Int, bottom: Int, symbols: Symbols) {
        let snapshot = state.snapshot
        var y = top
        let window: QuantileWindow = .oneMinute
        screen.write(" latency, component=\"\(component)\", last \(window.rawValue)", x: 0, y: y, role: .accent)
        let columns = [24, 36, 48, 60, 72]
        y += 1
        if y < bottom {
            for (i, title) in ["p50", "p90", "p99", "req/s"].enumerated() { screen.writeRight(title, right: columns[i + 1], y: y, role: .dim) }
            y += 1
        }
        for (title, name) in PanelFigures.latencyFamilies where y < bottom {
            screen.write("   " + title, x: 0, y: y, role: .text, maxWidth: columns[0])
            if let h = PanelFigures.histogram(snapshot, family: name, component: component) {
                let w = h.windows[window] ?? h.windows[.lastInterval]
                if let w, w.observations > 0 {
                    let values = [w.p50, w.p90, w.p99].map { QuantileText.format($0) }
                    for (i, value) in values.enumerated() {
                        screen.writeRight(value, right: columns[i + 1], y: y, role: ([w.p50, w.p90, w.p99][i]?.atLeast ?? false) ? .error : .text)
                    }
                } else {
                    screen.writeRight("no observations", right: columns[3], y: y, role: .dim)
                }
                screen.writeRight(h.countRate.map { Format.number($0) } ?? "-", right: columns[4], y: y)
            } else {
                screen.writeRight("not exposed", right: columns[3], y: y, role: .dim)
            }
            y += 1
        }
        guard y + 2 < bottom else { return }
        screen.rule(y: y)
        y += 1
        let requests = PanelFigures.backendRequests(snapshot, component: component)
        let total = requests.compactMap(\.rate).reduce(0, +)
        screen.write(" top backend requests, component=\"\(component)\"", x: 0, y: y, role: .accent)
        screen.writeRight("\(requests.count) keys, \(Format.number(total))/s ", right: screen.width, y: y, role: .dim)
        y += 1
        guard !requests.isEmpty else {
            screen.write("   backend_requests has no series for this component", x: 0, y: y, role: .dim)
            return
        }
        screen.writeRight("count", right: 12, y: y, role: .dim)
        screen.writeRight("req/s", right: 24, y: y, role: .dim)
        screen.write("key", x: 27, y: y, role: .dim)
        y += 1
        let sparkWidth = screen.width >= 120 ? 20 : 0
        let keyWidth = max(10, screen.width - 28 - (sparkWidth > 0 ? sparkWidth + 2 : 0))
        let rows = bottom - y
        for (i, request) in requests.enumerated() where y < bottom {
            if i == rows - 1 && requests.count > rows {
                screen.write("   … \(requests.count - i) more keys (families view: expand backend_requests)", x: 0, y: y, role: .dim)
                break
            }
            screen.writeRight(Format.number(request.count), right: 12, y: y)
            screen.writeRight(request.rate.map(Format.number) ?? "-", right: 24, y: y)
            let x = screen.write(request.key, x: 27, y: y, role: .text, maxWidth: keyWidth - 8)
            if request.isRange { screen.write(" (range)", x: x, y: y, role: .dim) }
            y += 1
        }
    }
}
