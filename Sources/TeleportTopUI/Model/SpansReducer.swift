import TeleportCore

/// The Spans tab's feed and operations table: moving, opening a trace or an operation,
/// filters, order, errors only, follow, the service filter; and the span queries the tab
/// sends to the span store.
enum SpansReducer: ScreenReducer {
    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]? {
        if let delta = Reducer.movement(action) {
            move(&state, by: delta)
            return []
        }
        switch action {
        case .enter: enter(&state)
        case .back: clearFilters(&state)
        case .startFilter: state.editing = .regex
        case .startLabelFilter: state.editing = .labels
        case .cycleView, .click(.spansView):
            if case .click(.spansView(let view)) = action {
                state.spansTab.view = view
            } else {
                state.spansTab.view = state.spansTab.view == .feed ? .operations : .feed
            }
            state.selection[.spans] = 0
        case .toggleErrorsOnly:
            state.spansTab.query.errorsOnly.toggle()
            state.selection[.spans] = 0
        case .toggleServiceFilter: toggleService(&state)
        case .toggleFollow:
            state.spansTab.follow.toggle()
            if state.spansTab.follow { state.selection[.spans] = 0 }
            state.message = state.spansTab.follow ? "following the newest span" : "follow off"
        case .cycleSort:
            state.spansTab.query.order = state.spansTab.query.order == .time ? .duration : .time
            state.selection[.spans] = 0
            state.message = "spans ordered by \(state.spansTab.query.order == .time ? "time, newest first" : "duration, slowest first")"
        case .click(.spanRow(let row)):
            // A click on the selected row opens it, as Enter does.
            if row == state.selection[.spans] ?? 0 { enter(&state) } else { select(&state, row) }
        default:
            return nil
        }
        return []
    }

    /// The rows of the current view.
    static func rowCount(_ state: DashboardState) -> Int {
        state.spansTab.view == .feed ? state.spans.feed.count : state.spans.operations.count
    }

    static func move(_ state: inout DashboardState, by delta: Int) {
        let count = rowCount(state)
        guard count > 0 else { return }
        select(&state, Reducer.clamp(state.selection[.spans] ?? 0, by: delta, count: count))
    }

    /// Moving away from the newest span stops following; going back to it resumes.
    static func select(_ state: inout DashboardState, _ row: Int) {
        state.selection[.spans] = row
        if state.spansTab.view == .feed && state.spansTab.query.order == .time { state.spansTab.follow = row == 0 }
    }

    static func enter(_ state: inout DashboardState) {
        let row = state.selection[.spans] ?? 0
        switch state.spansTab.view {
        case .feed:
            guard row < state.spans.feed.count else { return }
            let span = state.spans.feed[row]
            state.spansTab.trace = span.traceID
            state.spansTab.folded = []
            state.spansTab.waterfallRow = 0
            state.spansTab.openedSpan = span.spanID
        case .operations:
            guard row < state.spans.operations.count else { return }
            let op = state.spans.operations[row]
            state.spansTab.query.service = op.service
            state.spansTab.query.operation = op.operation
            state.spansTab.view = .feed
            state.selection[.spans] = 0
        }
    }

    /// `S`: keep only the selected span's (or operation's) service; again, every service.
    static func toggleService(_ state: inout DashboardState) {
        if state.spansTab.query.service != nil {
            state.spansTab.query.service = nil
            state.message = "every service"
        } else {
            let row = state.selection[.spans] ?? 0
            let service: String? =
                state.spansTab.view == .feed
                ? (row < state.spans.feed.count ? state.spans.feed[row].service : nil)
                : (row < state.spans.operations.count ? state.spans.operations[row].service : nil)
            guard let service else { return }
            state.spansTab.query.service = service
            state.message = "only service \(Sanitized.quote(service))"
        }
        state.selection[.spans] = 0
    }

    /// Esc: clear the filters.
    static func clearFilters(_ state: inout DashboardState) {
        var query = SpanQuery(order: state.spansTab.query.order, limit: state.spansTab.query.limit)
        query.errorsOnly = false
        state.spansTab.query = query
        state.spansTab.attributeText = ""
        state.selection[.spans] = 0
    }

    /// `/` edits the regex over the spans, `f` the attribute pairs.
    static func filter(_ state: inout DashboardState, _ action: Action) {
        let labels = state.editing == .labels
        switch action {
        case .filterInput(let character):
            if labels { state.spansTab.attributeText.append(character) } else { state.spansTab.query.pattern.append(character) }
        case .filterBackspace:
            if labels {
                if !state.spansTab.attributeText.isEmpty { state.spansTab.attributeText.removeLast() }
            } else if !state.spansTab.query.pattern.isEmpty {
                state.spansTab.query.pattern.removeLast()
            }
        case .filterDone:
            state.editing = nil
        case .filterCancel:
            if labels { state.spansTab.attributeText = "" } else { state.spansTab.query.pattern = "" }
            state.editing = nil
        default:
            return
        }
        if labels, let pairs = SpanQuery.attributePairs(state.spansTab.attributeText) { state.spansTab.query.attributes = pairs }
        state.selection[.spans] = 0
    }

    // MARK: Span queries

    /// Asks the span store for the tab's query and open trace now.
    static func request(_ state: inout DashboardState, byUser: Bool = false) -> [Effect] {
        let id = state.requests.next()
        state.requests.spans = id
        state.requests.spansAnswered = false
        state.requests.spansStale = false
        state.requests.spansAskedByUser = byUser
        return [.querySpans(request: id, state.spansTab.query, trace: state.spansTab.trace)]
    }

    /// Spans arrived: ask again, unless a query is on its way (then ask once it is answered,
    /// so a flood of spans costs one query at a time).
    static func refresh(_ state: inout DashboardState) -> [Effect] {
        guard state.requests.spansAnswered else {
            state.requests.spansStale = true
            return []
        }
        return request(&state)
    }

    /// The span store answered: shown at once unless paused, and while paused when the user
    /// changed the query (an answer to an older query is dropped).
    static func answer(_ state: inout DashboardState, request: Int, _ snapshot: SpanSnapshot) -> [Effect] {
        guard request == state.requests.spans else { return [] }
        state.requests.spansAnswered = true
        receive(&state, snapshot, evenPaused: state.requests.spansAskedByUser)
        return state.requests.spansStale ? self.request(&state) : []
    }

    /// A new span picture: shown unless paused; a following feed selects the newest.
    static func receive(_ state: inout DashboardState, _ snapshot: SpanSnapshot, evenPaused: Bool = false) {
        state.latestSpans = snapshot
        guard !state.paused || evenPaused else {
            // A trace opened while paused is shown when it arrives, and as its late spans
            // arrive; the feed stays frozen.
            if let wanted = state.spansTab.trace, snapshot.trace?.traceID == wanted {
                state.spans.trace = snapshot.trace
            }
            return
        }
        state.spans = snapshot
        if state.spansTab.follow && state.spansTab.query.order == .time && state.spansTab.view == .feed { state.selection[.spans] = 0 }
    }
}

/// The trace waterfall: moving, folding, back to the feed.
enum WaterfallReducer: ScreenReducer {
    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]? {
        if let delta = Reducer.movement(action) {
            let count = nodes(state).count
            if count > 0 { state.spansTab.waterfallRow = Reducer.clamp(state.spansTab.waterfallRow, by: delta, count: count) }
            return []
        }
        switch action {
        case .enter: fold(&state, open: nil)
        case .fold, .unfold: fold(&state, open: action == .unfold)
        case .back:
            state.spansTab.trace = nil
            state.spansTab.folded = []
        case .click(.waterfallRow(let row)):
            // A click on the selected span folds or unfolds it, as Enter does.
            if row == state.spansTab.waterfallRow { fold(&state, open: nil) } else { state.spansTab.waterfallRow = row }
        default:
            return nil
        }
        return []
    }

    static func nodes(_ state: DashboardState) -> [TraceTree.Node] {
        guard let trace = state.spans.trace, trace.traceID == state.spansTab.trace else { return [] }
        return trace.visible(folded: state.spansTab.folded)
    }

    /// Folds (`open == false`), unfolds (`true`) or toggles (`nil`) the selected span.
    static func fold(_ state: inout DashboardState, open: Bool?) {
        let nodes = nodes(state)
        guard state.spansTab.waterfallRow < nodes.count else { return }
        let node = nodes[state.spansTab.waterfallRow]
        guard node.descendants > 0 else { return }
        let id = node.span.spanID
        let isFolded = state.spansTab.folded.contains(id)
        if open ?? isFolded { state.spansTab.folded.remove(id) } else { state.spansTab.folded.insert(id) }
    }
}
