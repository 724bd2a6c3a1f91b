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
        if state.editing == .replayTime {
            let x = screen.write(" jump to ", x: 0, y: y, role: .accent)
            let end = screen.write(state.replayJump, x: x, y: y, role: .text)
            screen.write("▏", x: end, y: y, role: .accent)
            // The syntax, as long as it fits after what is typed.
            let room = screen.width - end - 3
            let syntax = [
                "05:32 (UTC, the last day) · -5m (from the end) · 2026-12-02T05:32:40Z · Enter go · Esc cancel ",
                "05:32 UTC · -5m · ISO 8601 · Enter · Esc ", "Enter · Esc ",
            ].first { $0.count <= room }
            if let syntax { screen.writeRight(syntax, right: screen.width, y: y, role: .dim) }
            return
        }
        if let field = state.editing {
            let x = screen.write(field == .labels ? " labels " : field == .component ? " component " : " filter /", x: 0, y: y, role: .accent)
            let text =
                state.showsFleet
                ? (field == .labels ? state.fleet?.labelFilter : state.fleet?.filter) ?? ""
                : state.tab == .logs
                    ? (field == .component ? state.logs.componentText : state.logs.patternText)
                    : state.tab == .profiles && state.profiles.viewer != nil
                        ? (state.profiles.viewer?.showsFlame == true
                            ? state.profiles.viewer?.flame?.search : state.profiles.viewer?.options.focus) ?? ""
                        : field == .labels ? state.tables.labelFilter : state.tables.filter
            let end = screen.write(text, x: x, y: y, role: .text)
            screen.write("▏", x: end, y: y, role: .accent)
            let syntax = field == .labels ? "name=v name!=v name=~re name!~re, comma-separated · " : ""
            screen.writeRight(syntax + "Enter keep · Esc clear ", right: screen.width, y: y, role: .dim)
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
