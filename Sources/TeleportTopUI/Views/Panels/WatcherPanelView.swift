import TeleportCore

/// tctl top's Watcher tab: events/s and bytes/s over time (from `watcher_event_sizes`, else
/// `watcher_events`), then the events emitted per resource with counts, rates and mean size.
public enum WatcherPanelView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int, symbols: Symbols) {
        let snapshot = state.snapshot
        var y = top
        let source = snapshot.family("watcher_event_sizes") != nil ? "watcher_event_sizes" : "watcher_events"
        let events = PanelFigures.trend(snapshot, family: source, suffix: "_count")
        let bytes = PanelFigures.trend(snapshot, family: source, suffix: "_sum")
        let sparkWidth = max(10, screen.width - 30)
        for (title, trend, format) in [("events/s", events, Format.number), ("bytes/s", bytes, Format.bytes)] where y < bottom {
            screen.write(" " + title, x: 0, y: y, role: .accent)
            screen.writeRight(trend.rate.map(format) ?? "-", right: 24, y: y)
            Sparkline.draw(trend.spark, into: &screen, x: 26, y: y, width: sparkWidth, symbols: symbols)
            y += 1
        }
        guard y + 2 < bottom else { return }
        screen.rule(y: y)
        y += 1
        let resources = PanelFigures.watcherResources(snapshot)
        screen.write(" top events emitted (watcher_events)", x: 0, y: y, role: .accent)
        screen.writeRight("\(resources.count) resources ", right: screen.width, y: y, role: .dim)
        y += 1
        guard !resources.isEmpty else {
            screen.write("   watcher_events is not exposed by this target", x: 0, y: y, role: .dim)
            return
        }
        let right = [12, 24, 36, 48]
        for (i, title) in ["count", "events/s", "avg size", "bytes/s"].enumerated() { screen.writeRight(title, right: right[i], y: y, role: .dim) }
        screen.write("resource", x: 51, y: y, role: .dim)
        y += 1
        for resource in resources where y < bottom {
            screen.writeRight(Format.number(resource.events), right: right[0], y: y)
            screen.writeRight(resource.eventRate.map(Format.number) ?? "-", right: right[1], y: y)
            screen.writeRight(resource.averageSize.map(Format.bytes) ?? "-", right: right[2], y: y)
            screen.writeRight(resource.byteRate.map(Format.bytes) ?? "-", right: right[3], y: y)
            screen.write(resource.resource, x: 51, y: y, role: .text, maxWidth: max(0, screen.width - 52))
            y += 1
        }
    }
}
