import Synchronization
import TeleportCore

/// The log lines received while collecting (the newest `limit`), from any thread.
final class LogHold: Sendable {
    private let state = Mutex<(lines: [LogLine], unsupported: Bool)>(([], false))
    let limit: Int

    init(limit: Int) { self.limit = limit }

    func add(_ new: [LogLine]) {
        state.withLock { state in
            state.lines += new
            if state.lines.count > limit { state.lines.removeFirst(state.lines.count - limit) }
        }
    }

    func unsupported() { state.withLock { $0.unsupported = true } }

    var lines: [LogLine] { state.withLock { $0.lines } }
    var isUnsupported: Bool { state.withLock { $0.unsupported } }
}
