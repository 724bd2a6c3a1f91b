import Foundation
import TeleportCore

/// `b`, `D` and `%` on the Profiles tab and in the viewer: a capture marked as its kind's
/// baseline for the session, the diff of the open capture against it (pprof's `-base` for a
/// cumulative kind of the same process, else `-diff_base`), and pprof's `-normalize`.
enum BaselineMarking {
    /// Marks `baseline` as its kind's (again on the same capture: unmarks it). A viewer whose
    /// diff changes meaning asks for its reports again.
    static func toggle(_ state: inout DashboardState, _ baseline: ProfileBaseline) {
        let kind = baseline.kind
        if state.profiles.baselines[kind]?.path == baseline.path {
            state.profiles.baselines[kind] = nil
            state.message = "no baseline for \(kind.rawValue) any more"
        } else {
            state.profiles.baselines[kind] = baseline
            let when = baseline.started.map { " (" + Self.time($0) + ")" } ?? ""
            state.message = "baseline for \(kind.rawValue)\(when): open a later \(kind.rawValue) capture, D diffs it against this one"
        }
    }

    /// `D`: the diff against the kind's baseline, or the capture alone again.
    static func toggleDiff(_ state: inout DashboardState) -> [Effect] {
        guard let viewer = state.profiles.viewer else { return [] }
        if !viewer.showsDiff {
            guard let baseline = state.profiles.baselines[viewer.kind] else {
                state.message = "no \(viewer.kind.rawValue) baseline yet: b marks one (here or on the Profiles tab)"
                return []
            }
            guard baseline.path != viewer.path else {
                state.message = "this capture is the \(viewer.kind.rawValue) baseline: open a later one to diff"
                return []
            }
        }
        state.profiles.viewer?.showsDiff.toggle()
        state.profiles.viewer?.row = 0
        return reload(&state)
    }

    /// `%`: pprof's -normalize (the capture scaled to the baseline's total) while diffing.
    static func toggleNormalize(_ state: inout DashboardState) -> [Effect] {
        guard let viewer = state.profiles.viewer else { return [] }
        guard ViewerReducer.diff(state) != nil else {
            state.message = "% normalizes a diff: D shows one first"
            return []
        }
        state.profiles.viewer?.normalize = !viewer.normalize
        return reload(&state)
    }

    /// The table's report again, and the flame tree when the flame graph was opened.
    static func reload(_ state: inout DashboardState) -> [Effect] {
        ViewerReducer.load(&state) + FlameReducer.load(&state)
    }

    /// `15:32:04` (UTC), as the captures list shows times.
    static func time(_ date: Date) -> String {
        String(Format.utc(date).dropFirst(11).prefix(8))
    }
}
