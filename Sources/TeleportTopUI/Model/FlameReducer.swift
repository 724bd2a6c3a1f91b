import Foundation
import TeleportCore

/// The flame graph's keys: ↑/↓ parent and heaviest child, ←/→ the frames beside on the row
/// (measured on the layout of the last frame drawn), Enter zooms, Esc zooms out and at the
/// root goes back to the table, `/` highlights matching frames, `i` the next sample type,
/// `P` callers and callees, `F` the table.
enum FlameReducer: ScreenReducer {
    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]? {
        guard let viewer = state.profiles.viewer, viewer.showsFlame, var flame = viewer.flame else { return nil }
        switch action {
        case .toggleFlame:
            state.profiles.viewer?.showsFlame = false
            return []
        case .back:
            if flame.zoom != CallTree.root {
                flame.zoom = CallTree.root
                state.profiles.viewer?.flame = flame
            } else {
                state.profiles.viewer?.showsFlame = false
            }
            return []
        case .startFilter:
            state.editing = .regex
            return []
        case .markBaseline:
            BaselineMarking.toggle(&state, ProfileBaseline(path: viewer.path, kind: viewer.kind, started: viewer.started, pid: viewer.pid))
            return []
        case .toggleDiff:
            return BaselineMarking.toggleDiff(&state)
        case .toggleNormalize:
            return BaselineMarking.toggleNormalize(&state)
        case .cycleSampleIndex:
            let types = viewer.data?.sampleTypes ?? []
            guard types.count > 1 else { return [] }
            let current = flame.tree?.sampleTypeIndex ?? viewer.data?.report?.sampleTypeIndex ?? types.count - 1
            state.profiles.viewer?.options.sampleIndex = types[(current + 1) % types.count]
            state.profiles.viewer?.row = 0
            return ViewerReducer.load(&state) + load(&state)
        case .peek:
            guard let tree = flame.tree, flame.selected != CallTree.root else {
                state.message = "select a function first (↓)"
                return []
            }
            return PeekReducer.open(&state, function: tree.name(of: flame.selected))
        case .click(.flameFrame(let node)):
            if node == flame.selected { flame.zoom = node } else { flame.selected = node }
            state.profiles.viewer?.flame = flame
            return []
        case .up, .down, .left, .right, .top, .enter:
            guard let tree = flame.tree else { return [] }
            move(&flame, tree, action, width: state.columns)
            state.profiles.viewer?.flame = flame
            return []
        default:
            return nil
        }
    }

    /// Moves the selection (or zooms) on the layout of the last frame drawn.
    static func move(_ flame: inout FlameViewState, _ tree: CallTree, _ action: Action, width: Int) {
        let layout = FlameLayout(tree, zoom: flame.zoom, width: width)
        let selected = flame.selected
        switch action {
        case .up:
            let parent = tree.nodes[Int(selected)].parent
            if parent >= 0 { flame.selected = parent }
        case .down:
            if let child = layout.firstChild(of: selected) {
                flame.selected = child.node
            } else if layout.frame(of: selected) == nil, let child = tree.children(of: selected).first {
                flame.selected = child
            }
        case .left, .right:
            if let next = layout.neighbour(of: selected, step: action == .left ? -1 : 1) { flame.selected = next.node }
        case .top:
            flame.selected = CallTree.root
        case .enter:
            flame.zoom = selected
        default:
            break
        }
    }

    /// Opens the flame graph and asks for the tree under the viewer's options.
    static func open(_ state: inout DashboardState) -> [Effect] {
        guard state.profiles.viewer != nil else { return [] }
        state.profiles.viewer?.showsFlame = true
        if state.profiles.viewer?.flame == nil { state.profiles.viewer?.flame = FlameViewState() }
        if let flame = state.profiles.viewer?.flame, flame.tree != nil, flame.options == state.profiles.viewer?.options,
            flame.diff == ViewerReducer.diff(state)
        {
            return []
        }
        return load(&state)
    }

    /// Asks for the call tree under the viewer's options.
    static func load(_ state: inout DashboardState) -> [Effect] {
        guard let viewer = state.profiles.viewer, viewer.flame != nil else { return [] }
        let id = state.requests.next()
        state.profiles.viewer?.flame?.request = id
        return [.loadFlame(request: id, path: viewer.path, options: viewer.options, diff: ViewerReducer.diff(state))]
    }

    /// The tree arrived (only the newest request's shows).
    static func receive(
        _ state: inout DashboardState, request: Int, options: TopOptions, diff: ProfileDiffRequest?, _ result: Result<CallTree, PprofFailure>
    ) {
        guard var flame = state.profiles.viewer?.flame, flame.request == request else { return }
        switch result {
        case .success(let tree):
            flame.tree = tree
            flame.error = nil
        case .failure(let failure):
            flame.tree = nil
            flame.error = failure.message
        }
        flame.options = options
        flame.diff = diff
        flame.selected = CallTree.root
        flame.zoom = CallTree.root
        flame.applySearch()
        state.profiles.viewer?.flame = flame
    }

    /// The `/` search typed in the flame graph: the matches follow every key.
    static func search(_ state: inout DashboardState, _ action: Action) {
        guard var flame = state.profiles.viewer?.flame else { return }
        switch action {
        case .filterInput(let c): flame.search.append(c)
        case .filterBackspace: if !flame.search.isEmpty { flame.search.removeLast() }
        case .filterCancel: flame.search = ""
        default: break
        }
        if action == .filterDone || action == .filterCancel { state.editing = nil }
        flame.applySearch()
        state.profiles.viewer?.flame = flame
    }
}
