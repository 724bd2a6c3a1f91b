import TeleportCore

/// The tab bar: `1 Overview  2 Auth & backends ...`, the current tab highlighted; short
/// titles when the full ones do not fit.
public enum TabBarView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, y: Int) {
        var x = 0
        if state.fleet != nil {
            // The fleet comes first; the instance's tabs follow (dim while the fleet is shown).
            x = screen.write(" I Fleet ", x: 0, y: y, role: state.showsFleet ? .selection : .accent)
            screen.mark(.fleetTab, x: 0, y: y, width: x)
            x += 1
        }
        let room = screen.width - x
        for tab in Tab.ordered {
            let label = TabBarView.label(tab, width: room)
            let start = x
            x = screen.write(label, x: x, y: y, role: state.showsFleet ? .dim : tab == state.tab ? .selection : .accent)
            screen.mark(.tab(tab), x: start, y: y, width: x - start)
            if x >= screen.width { break }
        }
    }
}

extension TabBarView {
    /// A tab's label: full titles when all fit, else short titles, else short and tight.
    static func label(_ tab: Tab, width: Int) -> String {
        if Tab.ordered.map({ " \($0.key) \($0.title) " }).joined().count <= width { return " \(tab.key) \(tab.title) " }
        if Tab.ordered.map({ " \($0.key) \($0.shortTitle) " }).joined().count <= width { return " \(tab.key) \(tab.shortTitle) " }
        if Tab.ordered.map({ "\($0.key) \($0.shortTitle) " }).joined().count <= width { return "\(tab.key) \(tab.shortTitle) " }
        return "\(tab.key) \(tab.tinyTitle) "
    }
}

/// The hint bar at the bottom: the keys of the current context, or the filter being typed.
public enum HintBarView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, y: Int) {
        screen.fill(row: y, role: .dim)
        if let field = state.editing {
            prompt(state, field, into: &screen, y: y)
            return
        }
        var x = 1
        let reserved = 16  // "? help  q quit " at the right end
        if let message = state.message {
            x = screen.write(message + "  ", x: x, y: y, role: .accent, maxWidth: max(0, screen.width - reserved - 2))
        } else if let fleet = state.fleet, state.showsFleet {
            if !fleet.filter.isEmpty { x = screen.write("filter /\(fleet.filter)  ", x: x, y: y, role: .accent) }
            if !fleet.labelFilter.isEmpty { x = screen.write("labels \(fleet.labelFilter)  ", x: x, y: y, role: .accent) }
        } else {
            if !state.tables.filter.isEmpty { x = screen.write("filter /\(state.tables.filter)  ", x: x, y: y, role: .accent) }
            if !state.tables.labelFilter.isEmpty { x = screen.write("labels \(state.tables.labelFilter)  ", x: x, y: y, role: .accent) }
        }
        let replayHints = state.replay == nil ? [] : KeyTable.hints(for: .replay)
        let hints =
            replayHints
            + KeyTable.hints(for: Reducer.context(state)).filter { binding in
                !(state.replay != nil && replayHints.contains { $0.label == binding.label }) && !(binding.action == .injectFailure && !state.isEmbedded)
                    && !(binding.action == .cycleView && state.tab != .auth && state.tab != .spans)
                    && !(state.fileViewer && binding.context == .global && ![.toggleHelp, .quit].contains(binding.action))
                    && !(state.fileViewer && binding.action == .back)
                    && !(state.showsFleet && (binding.action == .nextTab || binding.action == .previousTab))
                    && !(binding.action == .showFleet && (state.fleet == nil || state.showsFleet))
            }
        // Help and quit always show, at the right end; the rest fill what is left.
        let pinned = hints.filter { $0.action == .toggleHelp || $0.action == .quit }
        let pinnedText = pinned.map { "\($0.label) \($0.hint ?? "")" }.joined(separator: "  ") + " "
        let gap = pinned.count - 1
        let limit = screen.width - pinnedText.count - 2
        for binding in hints where !pinned.contains(where: { $0.action == binding.action }) {
            let hint = binding.hint ?? ""
            guard x + binding.label.count + hint.count + 3 < limit else { break }
            x = screen.write(binding.label, x: x, y: y, role: .accent)
            x = screen.write(" \(hint)  ", x: x, y: y, role: .dim)
        }
        var px = screen.width - pinnedText.count
        for (i, binding) in pinned.enumerated() {
            px = screen.write(binding.label, x: px, y: y, role: .accent)
            px = screen.write(" \(binding.hint ?? "")" + (i < gap ? "  " : ""), x: px, y: y, role: .dim)
        }
    }
}

extension HintBarView {
    /// A prompt being typed: its name, the text, and at the right what Enter would refuse
    /// (the reason it was refused, or the problem as typed) or else the syntax.
    static func prompt(_ state: DashboardState, _ field: FilterField, into screen: inout Screen, y: Int) {
        let name: String
        switch field {
        case .replayTime: name = " jump to "
        case .labels: name = !state.showsFleet && state.tab == .spans ? " attributes " : " labels "
        case .component: name = " component "
        case .regex: name = " filter /"
        case .baseline: name = " baseline "
        }
        let x = screen.write(name, x: 0, y: y, role: .accent)
        let text = Sanitized.quote(PromptCheck.text(state) ?? "")
        // The end of a long text stays in view.
        let room = max(1, screen.width - x - 2)
        let shown = text.count > room ? "…" + String(text.suffix(room - 1)) : text
        let end = screen.write(shown, x: x, y: y, role: .text)
        screen.write("▏", x: end, y: y, role: .accent)
        let space = screen.width - end - 3
        guard space > 0 else { return }
        // The problem as typed; after a refused Enter, the refusal (it says Esc leaves).
        if let live = PromptCheck.problem(state) {
            let problem = "✗ " + (state.message ?? live)
            let cut = problem.count > space ? String(problem.prefix(max(0, space - 1))) + "…" : problem
            screen.writeRight(cut + " ", right: screen.width, y: y, role: .error)
            return
        }
        let syntaxes: [String]
        switch field {
        case .replayTime:
            syntaxes = [
                "05:32 (UTC, the last day) · -5m (from the end) · 2026-12-02T05:32:40Z · Enter go · Esc cancel ",
                "05:32 UTC · -5m · ISO 8601 · Enter · Esc ", "Enter · Esc ",
            ]
        case .labels:
            syntaxes = ["name=v name!=v name=~re name!~re, comma-separated · Enter keep · Esc clear ", "Enter keep · Esc clear "]
        case .regex, .component:
            syntaxes = ["Enter keep · Esc clear "]
        case .baseline:
            syntaxes = [BaselineWindow.syntax + " · Enter · Esc ", "10m · 05:10-05:20 · -30m..-20m · off · Enter · Esc ", "Enter · Esc "]
        }
        if let syntax = syntaxes.first(where: { $0.count <= space }) { screen.writeRight(syntax, right: screen.width, y: y, role: .dim) }
    }
}
