import Foundation
import TeleportDiagnostics

/// The pure heart of the dashboard: (state, action) -> new state + effects for the run loop.
public enum Reducer {
    /// The polling intervals `+` and `-` step through.
    public static let intervals: [Duration] = [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60)]

    /// Rows a page moves.
    public static let pageRows = 10

    /// A new snapshot arrived: shown at once unless paused.
    public static func receive(_ state: inout DashboardState, _ snapshot: MetricsSnapshot) {
        state.latest = snapshot
        if !state.paused { state.snapshot = snapshot }
    }

    /// New spans arrived: shown at once unless paused; a following feed selects the newest.
    public static func receiveSpans(_ state: inout DashboardState, _ snapshot: SpanSnapshot) {
        state.latestSpans = snapshot
        guard !state.paused else {
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

    /// A capture's progress or outcome, or a report, from the run loop.
    public static func receiveProfile(_ state: inout DashboardState, _ event: ProfileEvent) -> [Effect] {
        ProfilesReducer.receive(&state, event)
    }

    /// The key context of the current screen.
    public static func context(_ state: DashboardState) -> KeyContext {
        if state.editingFilter { return .filter }
        if state.histogram != nil { return .histogram }
        switch state.tab {
        case .spans: return state.spansTab.trace != nil ? .waterfall : .spans
        case .profiles: return state.profiles.viewer != nil ? .profileViewer : .profiles
        case .overview: return .global
        default: return .table
        }
    }

    /// Applies an action; when the histogram on screen changes, the store is asked to
    /// focus its heatmap on the new one.
    public static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect] {
        let before = state.histogram
        let (query, trace) = (state.spansTab.query, state.spansTab.trace)
        var effects = apply(&state, action)
        if state.histogram != before { effects.append(.focusHistogram(state.histogram)) }
        if state.spansTab.query != query { effects.append(.spanQuery(state.spansTab.query)) }
        if state.spansTab.trace != trace { effects.append(.openTrace(state.spansTab.trace)) }
        return effects
    }

    static func apply(_ state: inout DashboardState, _ action: Action) -> [Effect] {
        // A message stays until the next key (the clock's tick leaves it).
        if case .tick = action {} else { state.message = nil }
        if state.fileViewer && state.editing == nil && !state.showHelp {
            switch action {
            case .back, .quit:
                state.quit = true
                return [.quit]
            case .selectTab, .nextTab, .previousTab, .captureProfile, .injectFailure, .togglePause, .faster, .slower, .click:
                return []  // nothing but the viewer here
            default: break
            }
        }
        if state.tab == .profiles, state.editing != nil {
            switch action {
            case .filterInput, .filterBackspace, .filterDone, .filterCancel:
                return ProfilesReducer.focus(&state, action)
            default: break
            }
        }
        if state.tab == .profiles && !state.showHelp {
            switch action {
            case .toggleKind: ProfilesReducer.toggle(&state); return []
            case .longer: ProfilesReducer.adjust(&state, by: 5); return []
            case .shorter: ProfilesReducer.adjust(&state, by: -5); return []
            case .cancelCapture: return state.profiles.isCapturing ? [.cancelCaptures] : []
            case .cycleSort, .cycleSampleIndex, .toggleLines, .toggleGroups: return ProfilesReducer.viewer(&state, action)
            case .enter: return ProfilesReducer.enter(&state)
            case .back where state.profiles.viewer != nil:
                state.profiles.viewer = nil
                return []
            case .startFilter where state.profiles.viewer != nil:
                state.editing = .regex
                return []
            default: break
            }
        }
        if state.tab == .spans, state.editing != nil {
            switch action {
            case .filterInput, .filterBackspace, .filterDone, .filterCancel:
                SpansReducer.filter(&state, action)
                return []
            default: break
            }
        }
        switch action {
        case .tick(let now):
            state.now = now
        case .selectTab(let tab):
            state.tab = tab
            state.histogram = nil
            state.showHelp = false
        case .nextTab:
            state.tab = state.tab.next
            state.histogram = nil
        case .previousTab:
            state.tab = state.tab.previous
            state.histogram = nil
        case .up: move(&state, by: -1)
        case .down: move(&state, by: 1)
        case .pageUp: move(&state, by: -pageRows)
        case .pageDown: move(&state, by: pageRows)
        case .top: move(&state, by: -Int.max / 2)
        case .bottom: move(&state, by: Int.max / 2)
        case .enter: enter(&state)
        case .back where state.tab == .spans && !state.showHelp:
            SpansReducer.back(&state)
        case .back:
            if state.showHelp { state.showHelp = false } else if state.histogram != nil { state.histogram = nil } else if !state.filter.isEmpty || !state.labelFilter.isEmpty {
                state.filter = ""
                state.labelFilter = ""
            }
        case .startFilter:
            guard context(state) == .table || context(state) == .spans, state.tab != .auth || state.authView == .families else { break }
            state.editing = .regex
        case .startLabelFilter:
            guard context(state) == .table || context(state) == .spans, state.tab != .auth || state.authView == .families else { break }
            state.editing = .labels
        case .filterInput(let character):
            state.editing == .labels ? state.labelFilter.append(character) : state.filter.append(character)
            state.selection[state.tab] = 0
        case .filterBackspace:
            if state.editing == .labels {
                if !state.labelFilter.isEmpty { state.labelFilter.removeLast() }
            } else if !state.filter.isEmpty {
                state.filter.removeLast()
            }
        case .filterDone:
            if state.editing == .labels, case .failure(let error) = Result(catching: { try LabelFilter(parsing: state.labelFilter) }) {
                state.message = "label filter: \(error)"
                break
            }
            state.editing = nil
        case .filterCancel:
            if state.editing == .labels { state.labelFilter = "" } else { state.filter = "" }
            state.editing = nil
        case .cycleView:
            if state.tab == .spans {
                state.spansTab.view = state.spansTab.view == .feed ? .operations : .feed
                state.selection[.spans] = 0
                break
            }
            guard state.tab == .auth else {
                state.message = "v switches the views of tabs 2 and 8"
                break
            }
            state.authView = state.authView.next
        case .toggleErrorsOnly:
            state.spansTab.query.errorsOnly.toggle()
            state.selection[.spans] = 0
        case .toggleServiceFilter:
            SpansReducer.toggleService(&state)
        case .toggleFollow:
            state.spansTab.follow.toggle()
            if state.spansTab.follow { state.selection[.spans] = 0 }
            state.message = state.spansTab.follow ? "following the newest span" : "follow off"
        case .fold, .unfold:
            SpansReducer.fold(&state, open: action == .unfold)
        case .cycleSort where state.tab == .spans:
            state.spansTab.query.order = state.spansTab.query.order == .time ? .duration : .time
            state.selection[.spans] = 0
            state.message = "spans ordered by \(state.spansTab.query.order == .time ? "time, newest first" : "duration, slowest first")"
        case .cycleSort:
            state.sort = state.sort.next
            state.message = "sorted by \(state.sort.rawValue)"
        case .togglePause:
            state.paused.toggle()
            if !state.paused {
                state.snapshot = state.latest
                state.spans = state.latestSpans
            }
        case .faster, .slower:
            let current = state.latest.interval
            let index = intervals.firstIndex { $0 >= current } ?? intervals.count - 1
            let next = intervals[max(0, min(intervals.count - 1, index + (action == .faster ? -1 : 1)))]
            state.message = "polling every \(DurationText.format(next))"
            return next == current ? [] : [.setInterval(next)]
        case .cycleTheme:
            return [.setTheme(state.themeName)]
        case .injectFailure:
            guard state.isEmbedded else {
                state.message = "x injects failures into the embedded simulation only"
                return []
            }
            state.message = "heartbeat failure injected"
            return [.injectFailure]
        case .toggleHelp:
            state.showHelp.toggle()
        case .captureProfile:
            return ProfilesReducer.oneKey(&state)
        case .toggleKind, .longer, .shorter, .cancelCapture, .cycleSampleIndex, .toggleLines, .toggleGroups:
            break  // the Profiles tab's keys, handled above on that tab
        case .quit:
            state.quit = true
            return [.quit]
        case .click(let x, let y, let width, let height):
            return click(&state, x: x, y: y, width: width, height: height)
        }
        return []
    }

    /// A click on a tab selects it; on tab 2's view bar, a view; on a table row, the row
    /// (a click on the selected row opens it, as Enter does).
    static func click(_ state: inout DashboardState, x: Int, y: Int, width: Int, height: Int) -> [Effect] {
        if y == 2, let tab = TabBarView.tab(atColumn: x, state: state, width: width) {
            return apply(&state, .selectTab(tab))
        }
        if state.tab == .profiles, !state.showHelp, !state.fileViewer {
            return ProfilesReducer.click(&state, line: y, height: height)
        }
        if state.tab == .spans, !state.showHelp, state.spansTab.trace == nil {
            SpansReducer.click(&state, line: y, height: height)
            return []
        }
        guard !state.showHelp, state.histogram == nil, context(state) == .table else { return [] }
        if state.tab == .auth, y == 3, let view = AuthViewBar.view(atColumn: x) {
            state.authView = view
            return []
        }
        guard let row = TableView.row(atLine: y, state: state, height: height) else { return [] }
        if row == state.selectedRow { return apply(&state, .enter) }
        state.selection[state.tab] = row
        return []
    }

    static func move(_ state: inout DashboardState, by delta: Int) {
        if state.tab == .profiles && !state.showHelp {
            ProfilesReducer.move(&state, by: delta)
            return
        }
        if state.tab == .spans && !state.showHelp {
            SpansReducer.move(&state, by: delta)
            return
        }
        let count = TableRows.rows(state).count
        guard count > 0 else { return }
        let current = state.selection[state.tab] ?? 0
        state.selection[state.tab] = max(0, min(count - 1, current.addingReportingOverflow(delta).partialValue))
    }

    static func enter(_ state: inout DashboardState) {
        if state.tab == .spans {
            SpansReducer.enter(&state)
            return
        }
        let rows = TableRows.rows(state)
        guard state.selectedRow < rows.count else { return }
        switch rows[state.selectedRow] {
        case .family(let index):
            let family = state.snapshot.families[index]
            guard state.tab != .raw else {
                if let first = family.histograms.first { state.histogram = HistogramSelection(family: family.name, labels: first.labels) }
                return
            }
            if state.expanded.contains(family.name) { state.expanded.remove(family.name) } else { state.expanded.insert(family.name) }
        case .histogram(let family, let histogram):
            let f = state.snapshot.families[family]
            state.histogram = HistogramSelection(family: f.name, labels: f.histograms[histogram].labels)
        case .series:
            break
        }
    }
}
