import TeleportCore

/// Tab 8: the view bar (feed · operations), the sources line, then the live feed or the
/// operations table; the waterfall when a trace is open.
public enum SpansTabView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int, symbols: Symbols) {
        if state.spansTab.trace != nil {
            WaterfallView.draw(state, into: &screen, top: top, bottom: bottom)
            return
        }
        var y = top
        var x = screen.write(" view", x: 0, y: y, role: .dim)
        for view in SpansTabState.View.allCases {
            x = screen.write(" ", x: x, y: y)
            let start = x
            x = screen.write(" \(view.rawValue) ", x: x, y: y, role: view == state.spansTab.view ? .selection : .accent)
            screen.mark(.spansView(view), x: start, y: y, width: x - start)
        }
        x = screen.write("  v next view", x: x, y: y, role: .dim)
        let spans = state.spans
        screen.writeRight(
            "held \(Format.number(Double(spans.held)))/\(Format.number(Double(spans.capacity))) · received \(Format.number(Double(spans.received)))"
                + (spans.rejected > 0 ? " · rejected \(spans.rejected)" : "") + " ", right: screen.width, y: y, role: .dim)
        y += 1
        let sources = spans.sources.isEmpty ? "no span source" : "from " + spans.sources.joined(separator: ", ")
        screen.write(" " + sources, x: 0, y: y, role: .dim)
        y += 1
        for warning in spans.warnings where y < bottom - 2 {
            screen.write(" ⚠ " + warning, x: 0, y: y, role: .error)
            y += 1
        }
        switch state.spansTab.view {
        case .feed: SpanFeedView.draw(state, into: &screen, top: y, bottom: bottom)
        case .operations: OperationsView.draw(state, into: &screen, top: y, bottom: bottom)
        }
    }
}
