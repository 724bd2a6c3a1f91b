import Foundation
import TeleportCore
import TeleportTopData

/// The recording a dashboard keeps without `--record`: its last `--history` in a private
/// folder (0700 under the temporary folder, segments of 8 MiB so the oldest go as the
/// history moves on, at most 256 MiB), removed at exit. `B` bundles it.
enum FlightRecorder {
    /// Starts one; nil when no folder can be made (B then says the history is missing).
    static func start(sources: RecordedSources, interval: Duration, history: Duration, onNotice: @escaping @Sendable (String) -> Void)
        -> (Recorder, String)?
    {
        var template = Array((NSTemporaryDirectory() + "/teleport-top-history-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { return nil }
        let folder = String(cString: made)
        let limits = RecordingWriter.Limits(segmentSize: 8 << 20, maxSize: 256 << 20, maxAge: history.seconds + 60)
        do {
            let writer = try RecordingWriter(
                directory: folder, limits: limits,
                header: { number in
                    RecordingFormat.Header(
                        created: Date(), segment: number, sources: sources, intervalSeconds: interval.seconds, historySeconds: history.seconds,
                        writer: TeleportTopVersion.current)
                }, onNotice: onNotice)
            return (Recorder(writer: writer), folder)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            return nil
        }
    }
}
