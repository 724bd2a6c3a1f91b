import TeleportCore

/// Tab 2's first line: its views (`families · backend · cache · watcher · audit`), the
/// current one highlighted, and the key that cycles them.
public enum AuthViewBar {
    /// Draws the bar and returns the next free row.
    public static func draw(_ state: DashboardState, into screen: inout Screen, y: Int) -> Int {
        var x = screen.write(" view", x: 0, y: y, role: .dim)
        for view in AuthView.allCases {
            x = screen.write(" ", x: x, y: y)
            let start = x
            x = screen.write(" \(view.rawValue) ", x: x, y: y, role: view == state.tables.authView ? .selection : .accent)
            screen.mark(.authView(view), x: start, y: y, width: x - start)
        }
        screen.write("  v next view", x: x, y: y, role: .dim)
        return y + 1
    }
}
