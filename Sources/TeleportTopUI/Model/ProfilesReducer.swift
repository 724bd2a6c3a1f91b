import Foundation
import TeleportDiagnostics

/// The Profiles tab's part of the reducer: the checklist, the duration, captures and the
/// viewer's options.
enum ProfilesReducer {
    static func rowCount(_ state: DashboardState) -> Int {
        if let viewer = state.profiles.viewer {
            guard let data = viewer.data else { return 0 }
            return viewer.groups && !data.groups.isEmpty ? data.groups.count : data.report?.rows.count ?? 0
        }
        return ProfilesTabState.kinds.count + state.profiles.captures.count
    }

    static func move(_ state: inout DashboardState, by delta: Int) {
        let count = rowCount(state)
        guard count > 0 else { return }
        func clamp(_ value: Int) -> Int { max(0, min(count - 1, value.addingReportingOverflow(delta).partialValue)) }
        if state.profiles.viewer != nil { state.profiles.viewer!.row = clamp(state.profiles.viewer!.row) } else { state.profiles.cursor = clamp(state.profiles.cursor) }
    }

    /// A click on the checklist or the captures (laid out as `ProfilesTabView` draws them,
    /// from line 4): the row under it is selected; a second click checks a kind or opens a
    /// capture, as Space and Enter do.
    static func click(_ state: inout DashboardState, line: Int, height: Int) -> [Effect] {
        guard state.profiles.viewer == nil else { return [] }
        let kinds = ProfilesTabState.kinds.count
        let firstKind = 4
        var row: Int?
        if line >= firstKind && line < firstKind + kinds {
            row = line - firstKind
        } else {
            let firstCapture = firstKind + kinds + 2
            let captures = state.profiles.captures.count
            let visible = max(1, height - 1 - firstCapture)
            let first = captures == 0 ? 0 : TableView.window(rows: captures, selected: state.profiles.cursor - kinds, lines: visible).first
            let index = first + line - firstCapture
            if line >= firstCapture, line - firstCapture < visible, index < captures { row = kinds + index }
        }
        guard let row else { return [] }
        guard row == state.profiles.cursor else {
            state.profiles.cursor = row
            return []
        }
        if row < kinds {
            toggle(&state)
            return []
        }
        return open(&state, state.profiles.captures[row - kinds])
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
        if state.profiles.viewer != nil { return [] }
        let cursor = state.profiles.cursor
        if cursor < ProfilesTabState.kinds.count {
            let kinds = ProfilesTabState.kinds.filter { state.profiles.checked.contains($0) }
            guard !kinds.isEmpty else {
                state.message = "check a kind with Space first"
                return []
            }
            return capture(&state, kinds, seconds: state.profiles.seconds, open: false)
        }
        let entry = state.profiles.captures[cursor - ProfilesTabState.kinds.count]
        return open(&state, entry)
    }

    /// `p` from any tab: a CPU profile of the configured length whose top-N opens when done.
    static func oneKey(_ state: inout DashboardState) -> [Effect] {
        capture(&state, [.profile], seconds: state.profiles.seconds, open: true)
    }

    static func capture(_ state: inout DashboardState, _ kinds: [ProfileKind], seconds: Int, open: Bool) -> [Effect] {
        if state.profiles.isCapturing {
            state.message = "a capture is running (c cancels it)"
            return []
        }
        let requests = state.profiles.begin(kinds, seconds: seconds, now: state.now)
        if open { state.profiles.autoOpen = requests.first?.id }
        state.message = "capturing " + kinds.map(\.rawValue).joined(separator: ", ") + (kinds.contains { $0.isTimed } ? " for \(seconds)s" : "")
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
        let viewer = ProfileViewerState(path: path, kind: entry.kind)
        state.profiles.viewer = viewer
        state.tab = .profiles
        return [.loadProfile(path: path, options: viewer.options)]
    }

    /// Viewer keys: sort, sample type, lines, focus; each asks for the report again.
    static func viewer(_ state: inout DashboardState, _ action: Action) -> [Effect] {
        guard var viewer = state.profiles.viewer else { return [] }
        switch action {
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
            viewer.groups.toggle()
            state.profiles.viewer = viewer
            return []
        default:
            return []
        }
        viewer.row = 0
        state.profiles.viewer = viewer
        return [.loadProfile(path: viewer.path, options: viewer.options)]
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
        if action == .filterDone || action == .filterCancel { state.editing = nil }
        viewer.options.focus = text.isEmpty ? nil : text
        viewer.row = 0
        state.profiles.viewer = viewer
        return action == .filterDone || action == .filterCancel ? [.loadProfile(path: viewer.path, options: viewer.options)] : []
    }

    /// A capture's progress or outcome, or a computed report.
    static func receive(_ state: inout DashboardState, _ event: ProfileEvent) -> [Effect] {
        func update(_ id: Int, _ status: ProfileCaptureEntry.Status) {
            guard let index = state.profiles.captures.firstIndex(where: { $0.id == id }) else { return }
            state.profiles.captures[index].status = status
        }
        switch event {
        case .progress(let id, let remaining): update(id, .running(remaining: remaining))
        case .saved(let id, let path, let bytes):
            update(id, .saved(path: path, bytes: bytes))
            if state.profiles.autoOpen == id, let entry = state.profiles.captures.first(where: { $0.id == id }) {
                state.profiles.autoOpen = nil
                return open(&state, entry)
            }
        case .failed(let id, let message):
            update(id, .failed(message))
            if state.profiles.autoOpen == id { state.profiles.autoOpen = nil }
            state.message = message
        case .cancelled(let id): update(id, .cancelled)
        case .viewer(let data):
            guard state.profiles.viewer?.path == data.path else { return [] }
            state.profiles.viewer?.data = data
        }
        return []
    }
}
