import Foundation
import TeleportCore

/// The fleet table's keys: move, open an instance (Enter, or a tab key: that tab of it),
/// filter, sort, and act on the selected instance (`p` profile, `x` fail it, `r` retry it).
enum FleetReducer: ScreenReducer {
    /// The span attribute an instance's spans are matched by.
    static let hostAttribute = "teleport.host.name"

    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]? {
        guard let fleet = state.fleet, fleet.open == nil else { return nil }
        let rows = FleetRows.visible(fleet)
        let index = fleet.selectedIndex(in: rows)
        let selected = rows.isEmpty ? nil : rows[index]
        if let delta = Reducer.movement(action) {
            guard !rows.isEmpty else { return [] }
            state.fleet?.selectedID = rows[Reducer.clamp(index, by: delta, count: rows.count)].id
            return []
        }
        switch action {
        case .click(.fleetRow(let clicked)):
            guard rows.indices.contains(clicked) else { return [] }
            if rows[clicked].id == selected?.id { return open(&state, rows[clicked], tab: state.tab) }
            state.fleet?.selectedID = rows[clicked].id
            return []
        case .enter:
            guard let selected else { return [] }
            return open(&state, selected, tab: state.tab)
        case .selectTab(let tab), .click(.tab(let tab)):
            guard let selected else { return [] }
            return open(&state, selected, tab: tab)
        case .startFilter:
            state.editing = .regex
            return []
        case .startLabelFilter:
            state.editing = .labels
            return []
        case .cycleSort:
            let all = FleetColumn.sortable
            let next = all[((all.firstIndex(of: fleet.sort) ?? -1) + 1) % all.count]
            state.fleet?.sort = next
            state.message = "sorted by state, then \(next.title)"
            return []
        case .back:
            if !fleet.filter.isEmpty || !fleet.labelFilter.isEmpty {
                state.fleet?.filter = ""
                state.fleet?.labelFilter = ""
                state.message = "filters cleared"
            }
            return []
        case .retryNow:
            guard let selected else { return [] }
            state.message = "refreshing \(selected.name) now"
            return [.retryInstance(selected.id)]
        case .toggleDirect:
            guard let selected else { return [] }
            state.message = selected.source == .direct ? "\(selected.name): switching…" : "asking \(selected.name) directly…"
            return [.toggleDirect(selected.id)]
        case .injectFailure:
            guard state.isEmbedded, let selected else { return nil }
            state.message = "heartbeat failure injected into \(selected.name)"
            return [.injectFailureInstance(selected.id)]
        case .captureProfile:
            guard let selected else { return [] }
            var effects = open(&state, selected, tab: .profiles)
            effects += ProfilesReducer.oneKey(&state)
            return effects
        case .nextTab, .previousTab, .cycleView, .toggleErrorsOnly, .toggleFollow, .toggleServiceFilter:
            return []
        default:
            return nil
        }
    }

    /// Opens an instance's dashboard at `tab`.
    static func open(_ state: inout DashboardState, _ row: FleetRow, tab: Tab) -> [Effect] {
        if state.fleet?.open != row.id {
            // Another instance: its own captures, none of the previous one's open.
            state.profiles.viewer = nil
            state.profiles.cursor = min(state.profiles.cursor, ProfilesTabState.kinds.count - 1)
        }
        state.fleet?.open = row.id
        state.tab = tab
        state.histogram = nil
        state.heatmap = nil
        state.selection = [:]
        state.tables.expanded = []
        state.snapshot = .empty(target: row.name, interval: state.latest.interval)
        state.latest = state.snapshot
        // The instance's own logs: a fresh screen, opened when shown (if its socket is known).
        let previous = state.logs
        state.logs = LogsState(maxLines: previous.buffer.maxLines, maxBytes: previous.buffer.maxBytes, hasSocket: row.hasSocket)
        state.logs.restorePolicy = previous.restorePolicy
        narrowSpans(&state, to: row.hostName)
        return [.focusInstance(row.id)]
    }

    /// Back to the fleet table (`I`, or Esc where the screen has nothing to close).
    static func close(_ state: inout DashboardState) -> [Effect] {
        guard state.fleet?.open != nil else { return [] }
        state.fleet?.open = nil
        state.histogram = nil
        state.heatmap = nil
        narrowSpans(&state, to: nil)
        return [.focusInstance(nil)]
    }

    /// The span feed shows the open instance's spans (matched by `teleport.host.name`).
    static func narrowSpans(_ state: inout DashboardState, to host: String?) {
        state.spansTab.query.attributes.removeAll { $0.key == hostAttribute }
        if let host { state.spansTab.query.attributes.append((key: hostAttribute, value: host)) }
    }

    /// A row arrived.
    static func receive(_ state: inout DashboardState, _ row: FleetRow) {
        state.fleet?.receive(row)
    }

    /// The `/` and `f` filters of the fleet table.
    static func filter(_ state: inout DashboardState, _ action: Action) {
        let labels = state.editing == .labels
        switch action {
        case .filterInput(let character):
            if labels { state.fleet?.labelFilter.append(character) } else { state.fleet?.filter.append(character) }
            state.fleet?.selectedID = nil
        case .filterBackspace:
            if labels { _ = state.fleet?.labelFilter.popLast() } else { _ = state.fleet?.filter.popLast() }
        case .filterDone:
            state.editing = nil
        case .filterCancel:
            if labels { state.fleet?.labelFilter = "" } else { state.fleet?.filter = "" }
            state.editing = nil
        default:
            break
        }
    }
}
