import Foundation
import TeleportCore

/// `B`: one diagnostics bundle at a time, of a live dashboard; its progress in the header,
/// its path (or why not) in the status line when done.
enum BundleReducer {
    static func start(_ state: inout DashboardState) -> [Effect] {
        if state.replay != nil {
            state.message = "B bundles a live dashboard; bundle a recording with: teleport-top bundle --from DIR"
            return []
        }
        if state.showsFleet {
            state.message = "B bundles the open instance: open one with Enter (a whole fleet: teleport-top bundle --targets FILE)"
            return []
        }
        if state.bundle?.isRunning == true {
            state.message = "a bundle is being written"
            return []
        }
        state.bundle = .running("starting")
        state.message = "writing a diagnostics bundle…"
        return [.writeBundle(BundleRequest(logLines: state.logs.buffer.all(LogFilter()), hasLogSource: state.logs.hasSocket))]
    }

    static func receive(_ state: inout DashboardState, _ status: BundleStatus) {
        state.bundle = status
        switch status {
        case .running: break
        case .done(let path, _): state.message = "bundle written: \(path)"
        case .failed(let why, _): state.message = "bundle not written: \(why)"
        }
    }
}
