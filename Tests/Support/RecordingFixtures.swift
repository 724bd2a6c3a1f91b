import Foundation
import TeleportTopData

/// Recordings as the tests write them.
package enum RecordingFixtures {
    /// Segment `number`'s header: one target, 2 s interval, 10 min history, a fixed date.
    package static func header(_ number: Int) -> RecordingFormat.Header {
        RecordingFormat.Header(
            created: Date(timeIntervalSince1970: 1_780_000_000), segment: number, sources: ["target test"], intervalSeconds: 2,
            historySeconds: 600, writer: "test")
    }
}
