import Foundation
import Synchronization
import TeleportCore

/// Reads a target's `/log-stream` on its debug socket: lines as they come, reconnecting
/// with the scrapes' backoff when the stream stalls or ends (with a marker line, since lines
/// may have been lost), backing off on 503 ("too many log readers"), stopping on 404.
public final class LogStreamClient: Sendable {
    public let client: DiagClient
    private let level = Mutex<String?>(nil)
    private let current = Mutex<Task<ScrapeError?, Never>?>(nil)

    /// One connection's status and partial line.
    final class Attempt: Sendable {
        let state = Mutex<(status: Int?, splitter: LogLineSplitter)>((nil, LogLineSplitter()))
    }

    public init(client: DiagClient) {
        self.client = client
    }

    /// Runs until cancelled. `level` is sent as `?level=`; `setLevel` reconnects with another.
    public func run(
        level initial: String?, onLines: @escaping @Sendable ([LogLine]) -> Void,
        onStatus: @escaping @Sendable (LogSourceStatus) -> Void
    ) async {
        level.withLock { $0 = initial }
        let schedule = PollSchedule(interval: .seconds(1))
        var failures = 0
        var connectedBefore = false
        while !Task.isCancelled {
            let wanted = level.withLock { $0 }
            let path = "/log-stream" + (wanted.map { "?level=\($0)" } ?? "")
            let state = Attempt()
            let reconnected = connectedBefore
            let client = self.client
            let attempt = Task<ScrapeError?, Never> {
                do throws(ScrapeError) {
                    try await client.stream(
                        path,
                        onStatus: { status in
                            state.state.withLock { $0.status = status }
                            if status == 200 {
                                onStatus(.streaming(source: "\(client.target)"))
                                if reconnected {
                                    onLines([
                                        LogLine(
                                            time: Date(), level: "WARN", message: "log stream reconnected: lines logged meanwhile are missing",
                                            component: "teleport-top")
                                    ])
                                }
                            }
                            return status == 200
                        },
                        onChunk: { bytes in
                            let lines = state.state.withLock { $0.splitter.feed(bytes) }
                            if !lines.isEmpty { onLines(lines) }
                        })
                    return nil
                } catch {
                    return error
                }
            }
            current.withLock { $0 = attempt }
            let error = await withTaskCancellationHandler {
                await attempt.value
            } onCancel: {
                attempt.cancel()
            }
            if Task.isCancelled { break }
            let (outcome, last) = state.state.withLock { ($0.status, $0.splitter.finish()) }
            if outcome == 200 { connectedBefore = true }
            if let last { onLines([last]) }
            switch outcome {
            case 404:
                onStatus(.unsupported)
                return
            case 400:
                onStatus(.failed("the target refused the level \(wanted ?? "")"))
                return
            default:
                break
            }
            if outcome == 200 { failures = 0 }
            // A level change cancelled the connection: reconnect at once.
            if error != nil, level.withLock({ $0 }) != wanted { continue }
            failures += 1
            let delay = schedule.backoff(failures: failures)
            let reason: String
            switch outcome {
            case 503: reason = "too many log readers"
            case 200?: reason = "the log stream ended"
            case let status?: reason = "HTTP \(status) on /log-stream"
            case nil: reason = error.map { "\($0)" } ?? "no answer"
            }
            onStatus(.retrying(reason: reason, retry: delay.seconds))
            try? await Task.sleep(for: delay)
        }
    }

    /// Reconnects with another minimum level (nil: everything the process logs).
    public func setLevel(_ newLevel: String?) {
        level.withLock { $0 = newLevel }
        current.withLock { $0?.cancel() }
    }
}
