import Foundation
import Synchronization
import TeleportCore
import TeleportTopData
import TeleportTopUI

/// The recording's tap on the one event stream: every event posted is seen here before any
/// coalescing, and the log lines and saved profiles a replay needs are written as frames.
/// Scrapes are recorded where they are folded (the source's `ScrapeSeam`, with their raw
/// bodies), spans at the span store (they reach the stream only as counts).
public final class RecordingTap: Sendable {
    private let recorder = Mutex<Recorder?>(nil)

    public init() {}

    /// Starts recording into `recorder`.
    public func attach(_ recorder: Recorder) {
        self.recorder.withLock { $0 = recorder }
    }

    public var current: Recorder? { recorder.withLock { $0 } }

    /// Sees one event.
    public func see(_ event: DashboardEvent) {
        guard let recorder = current else { return }
        switch event {
        case .logLines(let lines):
            recorder.logs(lines)
        case .profile(.saved(_, let path, _)):
            recorder.profile(path: path)
        default:
            break
        }
    }
}
