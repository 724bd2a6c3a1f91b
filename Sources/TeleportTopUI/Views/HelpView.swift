import TeleportCore

/// The `?` screen: every key of the current context, generated from the key table.
public enum HelpView {
    /// Whether a key acts on this screen: a replay refuses what needs a live target, the
    /// standalone viewer (`pprof FILE`) has nothing but the viewer.
    static func acts(_ action: Action, in state: DashboardState) -> Bool {
        if state.fileViewer {
            switch action {
            case .selectTab, .nextTab, .previousTab, .captureProfile, .injectFailure, .retryNow, .togglePause, .faster, .slower, .levelPicker,
                .showFleet:
                return false
            default: return true
            }
        }
        if state.replay != nil, Reducer.refusedInReplay.contains(action) { return false }
        return true
    }

    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int) {
        var y = top
        let context = Reducer.context(state)
        screen.write(" Keys (\(context.rawValue)) — Esc or ? closes", x: 0, y: y, role: .accent)
        y += 1
        let lines = self.lines(state, context: context)
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
        // Lines that do not fit the columns scroll in one (↑/↓, PgUp/PgDn); the last row says
        // what is left.
        if lines.count > rows * columns {
            let offset = max(0, min(state.helpOffset, lines.count - (rows - 1)))
            let shown = Array(lines[offset..<min(lines.count, offset + rows - 1)])
            for (i, line) in shown.enumerated() {
                screen.write(line.0, x: 1, y: y + i, role: .accent, maxWidth: 7)
                screen.write(line.1, x: 9, y: y + i, role: .text, maxWidth: screen.width - 10)
            }
            let below = lines.count - offset - shown.count
            let text = below > 0 ? "↓ \(below) more (↓/PgDn)" : "↑ the start (↑/PgUp)"
            screen.write(offset == 0 && below == 0 ? "" : text, x: 1, y: bottom - 1, role: .dim)
            return
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

    /// The help's lines (key, what it does) for the screen on display.
    static func lines(_ state: DashboardState, context: KeyContext) -> [(String, String)] {
        // The ten tab keys read as one line.
        var lines: [(String, String)] = []
        var tabsListed = false
        // A replay's keys first: they come before the screen's (whose same keys are left out).
        let replay = state.replay == nil ? [] : KeyTable.help(for: .replay)
        let taken = Set(replay.flatMap(\.keys))
        let bindings = (replay + KeyTable.help(for: context).filter({ !$0.keys.allSatisfy(taken.contains) })).filter { acts($0.action, in: state) }
        for binding in bindings {
            if case .selectTab = binding.action {
                // L is listed with the tabs only where no key of the screen takes it.
                let logs = bindings.contains { $0.action == .selectTab(.logs) }
                if !tabsListed {
                    lines.append(logs ? ("1-9,0,L", "show that tab (L: the Logs screen, ! the Findings)") : ("1-9, 0", "show that tab (! the Findings)"))
                }
                tabsListed = true
            } else if state.fileViewer, binding.action == .back, context == .profileViewer {
                lines.append((binding.label, "quit"))
            } else {
                lines.append((binding.label, binding.help))
            }
        }
        return lines
    }
}
