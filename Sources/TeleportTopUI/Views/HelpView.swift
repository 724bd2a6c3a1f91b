import TeleportCore

/// The `?` screen: every key of the current context, generated from the key table.
public enum HelpView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int) {
        var y = top
        let context = Reducer.context(state)
        screen.write(" Keys (\(context.rawValue)) — Esc or ? closes", x: 0, y: y, role: .accent)
        y += 1
        // The ten tab keys read as one line.
        var lines: [(String, String)] = []
        var tabsListed = false
        // A replay's keys first: they come before the screen's (whose same keys are left out).
        let replay = state.replay == nil ? [] : KeyTable.help(for: .replay)
        let taken = Set(replay.flatMap(\.keys))
        for binding in replay + KeyTable.help(for: context).filter({ !$0.keys.allSatisfy(taken.contains) }) {
            if case .selectTab = binding.action {
                if !tabsListed { lines.append(("1-9, 0", "show that tab")) }
                tabsListed = true
            } else {
                lines.append((binding.label, binding.help))
            }
        }
        let rows = max(1, bottom - y)
        let columns = max(1, min((lines.count + rows - 1) / rows, max(1, screen.width / 38)))
        if columns == 1, y + lines.count < bottom - 2 {
            // Room left: the filter syntaxes.
            let notes = [
                "/ matches names, HELP and label values, case-insensitive; !re keeps what does not match",
                "f takes PromQL matchers: name=v, name!=v, name=~re, name!~re, comma-separated",
            ]
            for (i, note) in notes.enumerated() where context == .table { screen.write(note, x: 1, y: bottom - 2 + i, role: .dim) }
        }
        let perColumn = (lines.count + columns - 1) / columns
        let width = screen.width / columns
        for (i, line) in lines.enumerated() {
            let row = y + i % perColumn
            let x = (i / perColumn) * width + 1
            guard row < bottom else { continue }
            screen.write(line.0, x: x, y: row, role: .accent, maxWidth: 7)
            screen.write(line.1, x: x + 8, y: row, role: .text, maxWidth: width - 9)
        }
    }
}
