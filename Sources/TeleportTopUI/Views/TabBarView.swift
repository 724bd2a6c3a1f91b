/// The tab bar: `1 Overview  2 Auth & backends ...`, the current tab highlighted; short
/// titles when the full ones do not fit.
public enum TabBarView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, y: Int) {
        var x = 0
        for tab in Tab.ordered {
            let label = TabBarView.label(tab, width: screen.width)
            x = screen.write(label, x: x, y: y, role: tab == state.tab ? .selection : .accent)
            if x >= screen.width { break }
        }
    }
}

extension TabBarView {
    /// A tab's label: full titles when all fit, else short titles, else short and tight.
    static func label(_ tab: Tab, width: Int) -> String {
        if Tab.ordered.map({ " \($0.key) \($0.title) " }).joined().count <= width { return " \(tab.key) \(tab.title) " }
        if Tab.ordered.map({ " \($0.key) \($0.shortTitle) " }).joined().count <= width { return " \(tab.key) \(tab.shortTitle) " }
        return "\(tab.key) \(tab.shortTitle) "
    }

    /// The tab whose label covers a column (for mouse clicks).
    public static func tab(atColumn column: Int, state: DashboardState, width: Int) -> Tab? {
        var x = 0
        for tab in Tab.ordered {
            let label = TabBarView.label(tab, width: width)
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
            if binding.action == .cycleAuthView && state.tab != .auth { continue }
            let hint = binding.hint ?? ""
            guard x + binding.label.count + hint.count + 3 < screen.width else { break }
            x = screen.write(binding.label, x: x, y: y, role: .accent)
            x = screen.write(" \(hint)  ", x: x, y: y, role: .dim)
        }
    }
}
