import Foundation
import Synchronization
import TeleportCore
import TeleportTopData
import TeleportTopUI

/// The recording's seam on the one event stream: every event posted is seen here before any
/// coalescing, and what a replay needs (the target's scrape outcomes with their bodies, log
/// lines) is written as frames. Spans are tapped at the span store (they reach the stream
/// only as counts).
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
        case .scrape(let scrape):
            guard scrape.instance == nil, let outcome = scrape.outcome else { return }
            recorder.scrape(outcome, interval: scrape.snapshot.interval)
        case .logLines(let lines):
            recorder.logs(lines)
        case .profile(.saved(_, let path, _)):
            recorder.profile(path: path)
        default:
            break
        }
    }
}
