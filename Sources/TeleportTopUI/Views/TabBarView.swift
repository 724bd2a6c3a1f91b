/// The tab bar: `1 Overview  2 Auth & backends ...`, the current tab highlighted; short
/// titles when the full ones do not fit.
public enum TabBarView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, y: Int) {
        let full = Tab.ordered.map { " \($0.key) \($0.title) " }.joined().count
        var x = 0
        for tab in Tab.ordered {
            let title = full <= screen.width ? tab.title : tab.shortTitle
            let label = " \(tab.key) \(title) "
            x = screen.write(label, x: x, y: y, role: tab == state.tab ? .selection : .accent)
            if x >= screen.width { break }
        }
    }
}

extension TabBarView {
    /// The tab whose label covers a column (for mouse clicks).
    public static func tab(atColumn column: Int, state: DashboardState, width: Int) -> Tab? {
        let full = Tab.ordered.map { " \($0.key) \($0.title) " }.joined().count
        var x = 0
        for tab in Tab.ordered {
            let label = " \(tab.key) \(full <= width ? tab.title : tab.shortTitle) "
            if column >= x && column < x + label.count { return tab }
            x += label.count
        }
        return nil
    }
}

/// The hint bar at the bottom: the keys of the current context, or the filter being typed.
public enum HintBarView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, y: Int) {
        screen.fill(row: y, role: .dim)
        if state.editingFilter {
            let x = screen.write(" filter /", x: 0, y: y, role: .accent)
            let end = screen.write(state.filter, x: x, y: y, role: .text)
            screen.write("▏", x: end, y: y, role: .accent)
            screen.writeRight("Enter keep · Esc clear ", right: screen.width, y: y, role: .dim)
            return
        }
        var x = 1
        if let message = state.message {
            x = screen.write(message + "  ", x: x, y: y, role: .accent)
        } else if !state.filter.isEmpty {
            x = screen.write("filter /\(state.filter)  ", x: x, y: y, role: .accent)
        }
        for binding in KeyTable.hints(for: Reducer.context(state)) {
            if binding.action == .injectFailure && !state.isEmbedded { continue }
            let hint = binding.hint ?? ""
            guard x + binding.label.count + hint.count + 3 < screen.width else { break }
            x = screen.write(binding.label, x: x, y: y, role: .accent)
            x = screen.write(" \(hint)  ", x: x, y: y, role: .dim)
        }
    }
}
