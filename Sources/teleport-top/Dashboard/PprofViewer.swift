import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime
import TeleportTopUI

/// `teleport-top pprof FILE` on a terminal: the dashboard's profile viewer alone, over the
/// dashboard's loop (keys, help, themes, resize); each change of options decodes the file
/// again off the UI thread. Esc or q quits; `--flame` opens on the flame graph.
enum PprofViewer {
    static func run(
        file: String, options: TopOptions, kind: ProfileKind, flame: Bool = false, baseline: (path: String, meaning: DiffMeaning)? = nil,
        normalize: Bool = false, settings: DashboardLoop.Settings
    ) async throws {
        let queue = EventQueue()
        var state = DashboardState(snapshot: .empty(target: file, interval: .seconds(2)), isEmbedded: false, now: Date())
        state.fileViewer = true
        state.tab = .profiles
        var viewer = ProfileViewerState(path: file, kind: kind, options: options)
        if let baseline {
            // --diff-base / --base: the baseline marked and the diff shown from the start.
            state.profiles.baselines[kind] = ProfileBaseline(path: baseline.path, kind: kind)
            viewer.showsDiff = true
            viewer.normalize = normalize
            viewer.meaning = baseline.meaning
        }
        let diff = viewer.diff(against: state.profiles.baselines[kind])
        viewer.data = ProfileRunner.report(path: file, options: options, diff: diff)
        if flame {
            // --flame: open on the flame graph, its tree built before the first frame.
            var flameState = FlameViewState()
            switch ProfileRunner.flame(path: file, options: options, diff: diff) {
            case .success(let tree): flameState.tree = tree
            case .failure(let failure): flameState.error = failure.message
            }
            flameState.options = options
            flameState.diff = diff
            viewer.flame = flameState
            viewer.showsFlame = true
        }
        state.profiles.viewer = viewer
        let logPath = settings.logPath
        let runner = EffectRunner(queue: queue, parts: .init(profiles: ProfileRunner(client: nil, directory: nil, queue: queue)))
        let loop = DashboardLoop(
            initial: state, queue: queue,
            settings: settings,
            effects: { runner.run($0) },
            makeTerminal: { Terminal(theme: $0, logPath: logPath) })
        let outcome = await loop.runOnOwnThread()
        await runner.finish()
        if case .failure(let error) = outcome { throw fail(String(describing: error)) }
    }
}
