import Foundation
import TeleportCore

/// The Profiles tab's checklist and captures: moving, checking kinds, the duration,
/// capturing, cancelling, opening a saved capture; and the captures' progress.
enum ProfilesReducer: ScreenReducer {
    /// How the hint line says a capture runs.
    static let capturingPrefix = "capturing "

    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]? {
        if let delta = Reducer.movement(action) {
            let count = ProfilesTabState.kinds.count + shown(state).count
            state.profiles.cursor = Reducer.clamp(state.profiles.cursor, by: delta, count: count)
            return []
        }
        switch action {
        case .toggleKind: toggle(&state)
        case .longer: adjust(&state, by: 5)
        case .shorter: adjust(&state, by: -5)
        case .cancelCapture: return state.profiles.isCapturing ? [.cancelCaptures] : []
        case .enter: return enter(&state)
        case .markBaseline:
            let captures = shown(state)
            let index = state.profiles.cursor - ProfilesTabState.kinds.count
            guard captures.indices.contains(index) else {
                state.message = "b marks a saved capture as its kind's baseline: choose one below"
                return []
            }
            let entry = captures[index]
            guard case .saved(let path, _) = entry.status, entry.kind.isPprof else {
                state.message = "only a saved pprof capture can be a baseline"
                return []
            }
            BaselineMarking.toggle(&state, ProfileBaseline(path: path, kind: entry.kind, started: entry.started, pid: entry.pid))
        case .click(.profileRow(let row)):
            // A click selects the row; a second click checks a kind or opens a capture, as
            // Space and Enter do.
            guard row == state.profiles.cursor else {
                state.profiles.cursor = row
                return []
            }
            if row < ProfilesTabState.kinds.count {
                toggle(&state)
                return []
            }
            let captures = shown(state)
            guard captures.indices.contains(row - ProfilesTabState.kinds.count) else { return [] }
            return open(&state, captures[row - ProfilesTabState.kinds.count])
        default:
            return nil
        }
        return []
    }

    /// Space on the checklist: check or uncheck the kind under the cursor.
    static func toggle(_ state: inout DashboardState) {
        let cursor = state.profiles.cursor
        guard cursor < ProfilesTabState.kinds.count else { return }
        let kind = ProfilesTabState.kinds[cursor]
        if state.profiles.checked.contains(kind) { state.profiles.checked.remove(kind) } else { state.profiles.checked.insert(kind) }
    }

    /// ←/→: the duration of timed captures, in steps of 5 s within 1...300 (as `tctl debug live`).
    static func adjust(_ state: inout DashboardState, by step: Int) {
        let current = state.profiles.seconds
        let next = step > 0 ? (current < 5 ? 5 : current + 5) : (current <= 5 ? 1 : current - 5)
        state.profiles.seconds = max(1, min(300, next))
    }

    /// Enter: on the checklist, capture every checked kind; on a saved capture, open it.
    static func enter(_ state: inout DashboardState) -> [Effect] {
        let cursor = state.profiles.cursor
        if cursor < ProfilesTabState.kinds.count {
            let kinds = ProfilesTabState.kinds.filter { state.profiles.checked.contains($0) }
            guard !kinds.isEmpty else {
                state.message = "check a kind with Space first"
                return []
            }
            return capture(&state, kinds, seconds: state.profiles.seconds, open: false)
        }
        let captures = shown(state)
        guard captures.indices.contains(cursor - ProfilesTabState.kinds.count) else { return [] }
        return open(&state, captures[cursor - ProfilesTabState.kinds.count])
    }

    /// The captures of the target or instance on screen.
    static func shown(_ state: DashboardState) -> [ProfileCaptureEntry] {
        state.profiles.shown(for: state.fleet?.open)
    }

    /// `p` from any tab: a CPU profile of `--profile-seconds` whose top-N opens when done.
    static func oneKey(_ state: inout DashboardState) -> [Effect] {
        capture(&state, [.profile], seconds: state.profiles.oneKeySeconds, open: true)
    }

    static func capture(_ state: inout DashboardState, _ kinds: [ProfileKind], seconds: Int, open: Bool) -> [Effect] {
        if state.profiles.isCapturing {
            state.message = "a capture is running (c cancels it)"
            return []
        }
        let requests = state.profiles.begin(kinds, seconds: seconds, now: state.now, instance: state.fleet?.open, pid: state.snapshot.pid)
        if open { state.profiles.autoOpen = requests.first?.id }
        state.message = capturingPrefix + kinds.map(\.rawValue).joined(separator: ", ") + (kinds.contains { $0.isTimed } ? " for \(seconds)s" : "")
        return [.captureProfiles(requests)]
    }

    static func open(_ state: inout DashboardState, _ entry: ProfileCaptureEntry) -> [Effect] {
        guard case .saved(let path, _) = entry.status else {
            state.message = "this capture has no file to open"
            return []
        }
        guard entry.kind.isPprof else {
            state.message = "\(entry.kind.rawValue) is saved as is: \(path)"
            return []
        }
        state.profiles.viewer = ProfileViewerState(path: path, kind: entry.kind, started: entry.started, pid: entry.pid)
        state.tab = .profiles
        return ViewerReducer.load(&state)
    }

    /// A capture's progress or outcome.
    static func receive(_ state: inout DashboardState, _ event: ProfileEvent) -> [Effect] {
        func update(_ id: Int, _ status: ProfileCaptureEntry.Status) {
            guard let index = state.profiles.captures.firstIndex(where: { $0.id == id }) else { return }
            state.profiles.captures[index].status = status
        }
        // "capturing … for 30s" is true while a capture runs, and only then.
        func finished() {
            guard !state.profiles.isCapturing, state.message?.hasPrefix(capturingPrefix) == true else { return }
            state.message = "captures done: saved in \(state.profiles.directory)"
        }
        switch event {
        case .progress(let id, let remaining): update(id, .running(remaining: remaining))
        case .saved(let id, let path, let bytes):
            update(id, .saved(path: path, bytes: bytes))
            finished()
            if state.profiles.autoOpen == id, let entry = state.profiles.captures.first(where: { $0.id == id }) {
                state.profiles.autoOpen = nil
                return open(&state, entry)
            }
        case .failed(let id, let message):
            update(id, .failed(message))
            if state.profiles.autoOpen == id { state.profiles.autoOpen = nil }
            state.message = message
        case .cancelled(let id):
            update(id, .cancelled)
            if !state.profiles.isCapturing, state.message?.hasPrefix(capturingPrefix) == true { state.message = "capture cancelled" }
        case .replayed(let kind, let started, let path, let bytes):
            state.profiles.addSaved(kind: kind, started: started, path: path, bytes: bytes)
        }
        return []
    }
}

/// The pprof viewer: moving, sort, sample type, lines, goroutine groups, the focus regex,
/// back to the captures; each change of options asks for the report again.
enum ViewerReducer: ScreenReducer {
    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]? {
        guard var viewer = state.profiles.viewer else { return nil }
        if let delta = Reducer.movement(action) {
            let count = rowCount(viewer)
            if count > 0 { state.profiles.viewer?.row = Reducer.clamp(viewer.row, by: delta, count: count) }
            return []
        }
        switch action {
        case .back:
            state.profiles.viewer = nil
            return []
        case .startFilter:
            state.editing = .regex
            return []
        case .click(.viewerRow(let row)):
            state.profiles.viewer?.row = row
            return []
        case .enter:
            return []
        case .cycleSort:
            viewer.options.order = viewer.options.order == .flat ? .cum : .flat
        case .cycleSampleIndex:
            let types = viewer.data?.sampleTypes ?? []
            guard types.count > 1 else { return [] }
            let current = viewer.data?.report?.sampleTypeIndex ?? types.count - 1
            viewer.options.sampleIndex = types[(current + 1) % types.count]
        case .toggleLines:
            viewer.options.granularity = viewer.options.granularity == .functions ? .lines : .functions
        case .toggleGroups:
            state.profiles.viewer?.groups.toggle()
            return []
        case .toggleFlame:
            return FlameReducer.open(&state)
        case .markBaseline:
            BaselineMarking.toggle(&state, ProfileBaseline(path: viewer.path, kind: viewer.kind, started: viewer.started, pid: viewer.pid))
            return []
        case .toggleDiff:
            return BaselineMarking.toggleDiff(&state)
        case .toggleNormalize:
            return BaselineMarking.toggleNormalize(&state)
        case .peek:
            guard let function = selectedFunction(viewer) else {
                state.message = "no function selected"
                return []
            }
            return PeekReducer.open(&state, function: function)
        default:
            return nil
        }
        viewer.row = 0
        state.profiles.viewer = viewer
        return load(&state)
    }

    /// The function of the selected row (of a goroutine group: its top frame).
    static func selectedFunction(_ viewer: ProfileViewerState) -> String? {
        guard let data = viewer.data else { return nil }
        if viewer.groups && !data.groupChanges.isEmpty {
            return data.groupChanges[min(viewer.row, data.groupChanges.count - 1)].frames.first?.function
        }
        if viewer.groups && !data.groups.isEmpty {
            return data.groups[min(viewer.row, data.groups.count - 1)].frames.first?.function
        }
        guard let rows = data.report?.rows, !rows.isEmpty else { return nil }
        return rows[min(viewer.row, rows.count - 1)].name
    }

    static func rowCount(_ viewer: ProfileViewerState) -> Int {
        guard let data = viewer.data else { return 0 }
        if viewer.groups && !data.groupChanges.isEmpty { return data.groupChanges.count }
        return viewer.groups && !data.groups.isEmpty ? data.groups.count : data.report?.rows.count ?? 0
    }

    /// Asks for the open profile's report under the viewer's options.
    static func load(_ state: inout DashboardState) -> [Effect] {
        guard let viewer = state.profiles.viewer else { return [] }
        let id = state.requests.next()
        state.profiles.viewer?.request = id
        return [.loadProfile(request: id, path: viewer.path, options: viewer.options, diff: diff(state))]
    }

    /// The diff the open viewer shows, if any.
    static func diff(_ state: DashboardState) -> ProfileDiffRequest? {
        guard let viewer = state.profiles.viewer else { return nil }
        return viewer.diff(against: state.profiles.baselines[viewer.kind])
    }

    /// The focus regex typed with `/` in the viewer.
    static func focus(_ state: inout DashboardState, _ action: Action) -> [Effect] {
        guard var viewer = state.profiles.viewer else { return [] }
        var text = viewer.options.focus ?? ""
        switch action {
        case .filterInput(let c): text.append(c)
        case .filterBackspace: if !text.isEmpty { text.removeLast() }
        case .filterCancel: text = ""
        default: break
        }
        let done = action == .filterDone || action == .filterCancel
        if done { state.editing = nil }
        viewer.options.focus = text.isEmpty ? nil : text
        viewer.row = 0
        state.profiles.viewer = viewer
        return done ? load(&state) : []
    }
}
