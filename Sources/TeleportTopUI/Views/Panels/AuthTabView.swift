import TeleportCore

/// Tab 2: the view bar, then the family table or one of tctl top's boxes.
public enum AuthTabView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int, symbols: Symbols) {
        let y = AuthViewBar.draw(state, into: &screen, y: top)
        switch state.tables.authView {
        case .families: TableView.draw(state, into: &screen, top: y, bottom: bottom, symbols: symbols)
        case .backend, .cache:
            guard let component = state.tables.authView.component else { return }
            BackendPanelView.draw(state, component: component, into: &screen, top: y, bottom: bottom, symbols: symbols)
        case .watcher: WatcherPanelView.draw(state, into: &screen, top: y, bottom: bottom, symbols: symbols)
        case .audit: AuditPanelView.draw(state, into: &screen, top: y, bottom: bottom, symbols: symbols)
        }
    }
}
