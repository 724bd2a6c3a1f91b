import Foundation
import TeleportCore

/// What a recording session wrote, for the summary `record` prints at its end: frames and
/// bytes written, scrapes answered and failed (with the last failure), log lines, spans, and
/// the span of time covered.
public struct RecordingTally: Sendable, Hashable {
    public var frames = 0
    public var bytes = 0
    public var answered = 0
    public var failed = 0
    public var lastFailure: String?
    public var logLines = 0
    public var spans = 0
    public var first: Date?
    public var last: Date?

    public init() {}

    mutating func note(_ frame: RecordedFrame, bytes: Int) {
        frames += 1
        self.bytes += bytes
        first = min(first ?? frame.time, frame.time)
        last = max(last ?? frame.time, frame.time)
    }

    /// `31 scrapes (31 answered), 120 log lines, 0 spans; 48 frames, 1.2 MiB, 12:00:01 to 12:00:31 UTC`.
    public var summary: String {
        var text = "\(answered + failed) scrapes (\(answered) answered"
        if failed > 0 { text += ", \(failed) failed" }
        text += "), \(logLines) log lines, \(spans) spans; \(frames) frames, \(Self.size(bytes))"
        if let first, let last {
            text += ", \(Self.clock(first)) to \(Self.clock(last)) UTC (\(DurationText.format(.seconds(max(0, last.timeIntervalSince(first)).rounded(.down)))))"
        }
        return text
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1 << 20 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
        return String(format: "%.1f MiB", Double(bytes) / Double(1 << 20))
    }

    static func clock(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let c = calendar.dateComponents([.hour, .minute, .second], from: date)
        return String(format: "%02d:%02d:%02d", c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
