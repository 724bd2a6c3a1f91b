import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime
import TeleportTopUI

/// `teleport-top pprof FILE` on a terminal: the dashboard's profile viewer alone, over the
/// dashboard's loop (keys, help, themes, resize); each change of options decodes the file
/// again off the UI thread. Esc or q quits.
enum PprofViewer {
    static func run(file: String, options: TopOptions, kind: ProfileKind) async throws {
        let queue = EventQueue()
        var state = DashboardState(snapshot: .empty(target: file, interval: .seconds(2)), isEmbedded: false, now: Date())
        state.fileViewer = true
        state.tab = .profiles
        var viewer = ProfileViewerState(path: file, kind: kind, options: options)
        viewer.data = ProfileRunner.report(path: file, options: options)
        state.profiles.viewer = viewer
        let environment = ProcessInfo.processInfo.environment
        let logPath = "/tmp/teleport-top-\(getuid()).log"
        let runner = EffectRunner(queue: queue, parts: .init(profiles: ProfileRunner(client: nil, directory: nil, queue: queue)))
        let loop = DashboardLoop(
            initial: state, queue: queue,
            settings: .init(symbols: .block, themeName: "default", environment: environment, logPath: logPath),
            effects: { runner.run($0) },
            makeTerminal: { Terminal(theme: $0, logPath: logPath) })
        let outcome = await loop.runOnOwnThread()
        await runner.finish()
        if case .failure(let error) = outcome { throw fail(String(describing: error)) }
    }
}
