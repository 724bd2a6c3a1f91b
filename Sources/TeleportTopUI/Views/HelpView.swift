/// The `?` screen: every key of the current context, generated from the key table.
public enum HelpView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int) {
        var y = top
        let context = Reducer.context(state)
        screen.write(" Keys (\(context.rawValue)) — Esc or ? closes", x: 0, y: y, role: .accent)
        y += 1
        let bindings = KeyTable.help(for: context)
        let columns = screen.width >= 100 ? 2 : 1
        let perColumn = (bindings.count + columns - 1) / columns
        let width = screen.width / columns
        for (i, binding) in bindings.enumerated() {
            let row = y + i % perColumn
            let x = (i / perColumn) * width + 2
            guard row < bottom else { continue }
            screen.write(binding.label, x: x, y: row, role: .accent, maxWidth: 8)
            screen.write(binding.help, x: x + 9, y: row, role: .text, maxWidth: width - 12)
        }
    }
}

/// Tabs whose issue has not landed yet say so.
public enum ComingView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int) {
        let what = state.tab == .spans ? "the live span feed and trace waterfall" : "profile capture and the pprof viewer"
        screen.write(" \(state.tab.title): coming — \(what) land with their issue.", x: 0, y: top + 1, role: .dim)
    }
}
