import Foundation
import TeleportCore

/// Checks of the log-stream reader: the line splitter and the line parser.
enum LogChecks {
    /// The stream split in two at every cut point that matters gives the lines it gives
    /// whole; a JSON line written back as `/log-stream` writes it reads back the same.
    static func logLines(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        var whole = LogLineSplitter()
        var lines = whole.feed(bytes)
        if let last = whole.finish() { lines.append(last) }
        for cut in Set([0, bytes.count / 3, bytes.count / 2, bytes.count - 1].filter { $0 > 0 && $0 < bytes.count }).sorted() {
            var split = LogLineSplitter()
            var parts = split.feed(bytes[..<cut])
            parts += split.feed(bytes[cut...])
            if let last = split.finish() { parts.append(last) }
            if parts != lines { broken.append("log-lines: fed in two at \(cut), the lines differ") }
        }
        for line in lines where !line.isRaw && line.time != nil {
            let written = line.ndjson(nanoseconds: 0)
            let again = LogLineParser.parse(written)
            if again.isRaw {
                broken.append("log-lines: our ndjson of a line does not parse: \(written.debugDescription.prefix(500))")
            } else if again.ndjson(nanoseconds: 0) != written {
                broken.append(
                    "log-lines: written and read back, the line differs: \(written.debugDescription.prefix(500)) / \(again.ndjson(nanoseconds: 0).debugDescription.prefix(500))"
                )
            }
        }
        return broken
    }
}
