import Foundation
import TeleportDiagnostics
import TeleportTopUI

/// `teleport-top pprof FILE` on a terminal: the dashboard's profile viewer alone, over the
/// dashboard's loop (keys, help, themes, resize); each change of options decodes the file
/// again off the UI thread. Esc or q quits.
enum PprofViewer {
    static func run(file: String, options: TopOptions, kind: ProfileKind) async throws {
        let events = EventQueue<ProfileEvent>()
        var state = DashboardState(snapshot: .empty(target: file, interval: .seconds(2)), isEmbedded: false, now: Date())
        state.fileViewer = true
        state.tab = .profiles
        var viewer = ProfileViewerState(path: file, kind: kind, options: options)
        viewer.data = ProfileRunner.report(path: file, options: options)
        state.profiles.viewer = viewer
        let environment = ProcessInfo.processInfo.environment
        let loop = DashboardLoop(
            initial: state, mailbox: Mailbox(), spanMailbox: Mailbox(), profileEvents: events,
            settings: .init(symbols: .block, themeName: "default", environment: environment, logPath: "/tmp/teleport-top-\(getuid()).log"),
            onEffect: { effect in
                guard case .loadProfile(let path, let options) = effect else { return }
                Task.detached { events.put(.viewer(ProfileRunner.report(path: path, options: options))) }
            })
        let outcome = await loop.runOnOwnThread()
        if case .failure(let error) = outcome { throw fail(String(describing: error)) }
    }
}
