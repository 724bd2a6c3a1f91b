/// Tab 2's first line: its views (`families · backend · cache · watcher · audit`), the
/// current one highlighted, and the key that cycles them.
public enum AuthViewBar {
    /// Draws the bar and returns the next free row.
    public static func draw(_ state: DashboardState, into screen: inout Screen, y: Int) -> Int {
        var x = screen.write(" view", x: 0, y: y, role: .dim)
        for view in AuthView.allCases {
            x = screen.write(" ", x: x, y: y)
            x = screen.write(" \(view.rawValue) ", x: x, y: y, role: view == state.authView ? .selection : .accent)
        }
        screen.write("  v next view", x: x, y: y, role: .dim)
        return y + 1
    }

    /// The view whose label covers a column of the bar (for mouse clicks).
    public static func view(atColumn column: Int) -> AuthView? {
        var x = " view".count
        for view in AuthView.allCases {
            x += 1
            let width = view.rawValue.count + 2
            if column >= x && column < x + width { return view }
            x += width
        }
        return nil
    }
}
