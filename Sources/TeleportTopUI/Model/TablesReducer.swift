import TeleportCore

/// The metric tables (section tabs 2-7 and the raw browser): moving, expanding families,
/// opening histograms, filters, sort, tab 2's views.
enum TablesReducer: ScreenReducer {
    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]? {
        if let delta = Reducer.movement(action) {
            move(&state, by: delta)
            return []
        }
        switch action {
        case .enter:
            enter(&state)
        case .back:
            state.tables.filter = ""
            state.tables.labelFilter = ""
        case .startFilter, .startLabelFilter:
            guard state.tab != .auth || state.tables.authView == .families else { return [] }
            state.editing = action == .startFilter ? .regex : .labels
        case .cycleSort:
            state.tables.sort = state.tables.sort.next
            state.message = "sorted by \(state.tables.sort.rawValue)"
        case .cycleView:
            guard state.tab == .auth else {
                state.message = "v switches the views of tabs 2 and 8"
                return []
            }
            state.tables.authView = state.tables.authView.next
        case .click(.authView(let view)):
            state.tables.authView = view
        case .click(.tableRow(let row)):
            // A click on the selected row opens it, as Enter does.
            if row == state.selectedRow { enter(&state) } else { state.selection[state.tab] = row }
        default:
            return nil
        }
        return []
    }

    static func move(_ state: inout DashboardState, by delta: Int) {
        let count = TableRows.rows(state).count
        guard count > 0 else { return }
        state.selection[state.tab] = Reducer.clamp(state.selection[state.tab] ?? 0, by: delta, count: count)
    }

    static func enter(_ state: inout DashboardState) {
        let rows = TableRows.rows(state)
        guard state.selectedRow < rows.count else { return }
        switch rows[state.selectedRow] {
        case .family(let index):
            let family = state.snapshot.families[index]
            guard state.tab != .raw else {
                if let first = family.histograms.first { state.histogram = HistogramSelection(family: family.name, labels: first.labels) }
                return
            }
            if state.tables.expanded.contains(family.name) { state.tables.expanded.remove(family.name) } else { state.tables.expanded.insert(family.name) }
        case .histogram(let family, let histogram):
            let f = state.snapshot.families[family]
            state.histogram = HistogramSelection(family: f.name, labels: f.histograms[histogram].labels)
        case .series:
            break
        }
    }
}

/// The histogram view: Esc goes back to the table, whose keys act on the table behind it.
enum HistogramReducer: ScreenReducer {
    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]? {
        switch action {
        case .back:
            state.histogram = nil
            return []
        case .startFilter, .startLabelFilter:
            return []  // filters belong to the table, not to one series
        default:
            return TablesReducer.reduce(&state, action)
        }
    }

    /// Asks the store for the open histogram's heatmap (none when no histogram is open).
    static func request(_ state: inout DashboardState) -> [Effect] {
        guard let selection = state.histogram else {
            state.requests.heatmap = nil
            return []
        }
        let id = state.requests.next()
        state.requests.heatmap = id
        return [.queryHeatmap(request: id, selection)]
    }
}

/// Typing a filter in the hint bar: the tables' regex and label filters, the spans' regex
/// and attribute filters, the profile viewer's focus.
enum FilterReducer: ScreenReducer {
    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]? {
        switch action {
        case .filterInput, .filterBackspace, .filterDone, .filterCancel: break
        default: return nil
        }
        // Enter on text that cannot be used keeps the prompt open and says why (Esc leaves).
        if action == .filterDone, let problem = PromptCheck.problem(state) {
            state.message = problem + " · Esc leaves"
            return []
        }
        if state.editing == .replayTime { return ReplayReducer.jump(&state, action) }
        if state.editing == .baseline { return FindingsReducer.baselinePrompt(&state, action) }
        if state.showsFleet {
            FleetReducer.filter(&state, action)
            return []
        }
        if state.tab == .logs {
            LogsReducer.filter(&state, action)
            return []
        }
        switch state.tab {
        case .profiles:
            if state.profiles.viewer?.showsFlame == true {
                FlameReducer.search(&state, action)
                return []
            }
            return ViewerReducer.focus(&state, action)
        case .spans:
            SpansReducer.filter(&state, action)
            return []
        default:
            tables(&state, action)
            return []
        }
    }

    static func tables(_ state: inout DashboardState, _ action: Action) {
        let labels = state.editing == .labels
        switch action {
        case .filterInput(let character):
            if labels { state.tables.labelFilter.append(character) } else { state.tables.filter.append(character) }
            state.selection[state.tab] = 0
        case .filterBackspace:
            if labels {
                if !state.tables.labelFilter.isEmpty { state.tables.labelFilter.removeLast() }
            } else if !state.tables.filter.isEmpty {
                state.tables.filter.removeLast()
            }
        case .filterDone:
            state.editing = nil
        case .filterCancel:
            if labels { state.tables.labelFilter = "" } else { state.tables.filter = "" }
            state.editing = nil
        default:
            break
        }
    }
}
