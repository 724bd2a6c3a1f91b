import TeleportDiagnostics

/// The Spans tab's part of the reducer: moving in the feed, the operations table and the
/// waterfall, opening traces, folding, and its filters.
enum SpansReducer {
    /// The rows of the current spans view.
    static func rowCount(_ state: DashboardState) -> Int {
        if state.spansTab.trace != nil { return waterfallNodes(state).count }
        return state.spansTab.view == .feed ? state.spans.feed.count : state.spans.operations.count
    }

    static func waterfallNodes(_ state: DashboardState) -> [TraceTree.Node] {
        guard let trace = state.spans.trace, trace.traceID == state.spansTab.trace else { return [] }
        return trace.visible(folded: state.spansTab.folded)
    }

    static func move(_ state: inout DashboardState, by delta: Int) {
        let count = rowCount(state)
        guard count > 0 else { return }
        func clamp(_ value: Int) -> Int { max(0, min(count - 1, value.addingReportingOverflow(delta).partialValue)) }
        if state.spansTab.trace != nil {
            state.spansTab.waterfallRow = clamp(state.spansTab.waterfallRow)
            return
        }
        let row = clamp(state.selection[.spans] ?? 0)
        state.selection[.spans] = row
        // Moving away from the newest span stops following; going back to it resumes.
        if state.spansTab.view == .feed && state.spansTab.query.order == .time { state.spansTab.follow = row == 0 }
    }

    static func enter(_ state: inout DashboardState) {
        if state.spansTab.trace != nil {
            fold(&state, open: nil)
            return
        }
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

    /// A click on a row of the feed or the operations table selects it; on the selected row,
    /// opens it as Enter does. Rows are placed as the views place them (the selection kept
    /// in the middle of the lines).
    static func click(_ state: inout DashboardState, line: Int, height: Int) {
        let firstLine = SpansTabView.firstRowLine(state, top: 3)
        let count = rowCount(state)
        let lines = max(1, height - 1 - firstLine)
        guard count > 0, line >= firstLine, line - firstLine < lines else { return }
        let (selected, first, _) = TableView.window(rows: count, selected: state.selection[.spans] ?? 0, lines: lines)
        let index = first + line - firstLine
        guard index < count else { return }
        if index == selected {
            enter(&state)
            return
        }
        state.selection[.spans] = index
        if state.spansTab.view == .feed && state.spansTab.query.order == .time { state.spansTab.follow = index == 0 }
    }

    /// `S`: keep only the selected span's (or operation's) service; again, every service.
    static func toggleService(_ state: inout DashboardState) {
        guard state.spansTab.trace == nil else { return }
        if state.spansTab.query.service != nil {
            state.spansTab.query.service = nil
            state.message = "every service"
        } else {
            let row = state.selection[.spans] ?? 0
            let service: String? = state.spansTab.view == .feed
                ? (row < state.spans.feed.count ? state.spans.feed[row].service : nil)
                : (row < state.spans.operations.count ? state.spans.operations[row].service : nil)
            guard let service else { return }
            state.spansTab.query.service = service
            state.message = "only service \(Sanitized.quote(service))"
        }
        state.selection[.spans] = 0
    }

    /// Esc: close the waterfall, else clear the filters.
    static func back(_ state: inout DashboardState) {
        if state.spansTab.trace != nil {
            state.spansTab.trace = nil
            state.spansTab.folded = []
            return
        }
        var query = SpanQuery(order: state.spansTab.query.order, limit: state.spansTab.query.limit)
        query.errorsOnly = false
        state.spansTab.query = query
        state.spansTab.attributeText = ""
        state.selection[.spans] = 0
    }

    /// Folds (`open == false`), unfolds (`true`) or toggles (`nil`) the selected span.
    static func fold(_ state: inout DashboardState, open: Bool?) {
        let nodes = waterfallNodes(state)
        guard state.spansTab.waterfallRow < nodes.count else { return }
        let node = nodes[state.spansTab.waterfallRow]
        guard node.descendants > 0 else { return }
        let id = node.span.spanID
        let isFolded = state.spansTab.folded.contains(id)
        if open ?? isFolded { state.spansTab.folded.remove(id) } else { state.spansTab.folded.insert(id) }
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
            if labels, SpanQuery.attributePairs(state.spansTab.attributeText) == nil {
                state.message = "attributes: expected key=value, key=value"
                return
            }
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
}
