import Foundation
import TeleportCore
import TeleportTopUI

/// Prints lines as they come (whole lines, never interleaved).
public final class LineOutput: Sendable {
    let json: Bool
    let filter: LogFilter

    public init(json: Bool, filter: LogFilter) {
        self.json = json
        self.filter = filter
    }

    public func print(_ lines: [LogLine]) {
        var text = ""
        for line in lines where filter.passes(line) {
            text += (json ? line.ndjson() : Self.text(line)) + "\n"
        }
        if !text.isEmpty { FileHandleOutput.streamOutput(text) }
    }

    public func note(_ message: String) {
        FileHandleOutput.standardError("teleport-top: \(Sanitized.quote(message))\n")
    }

    /// `2026-12-02T05:32:40.123Z WARN [auth] message key=value trace_id=...`, sanitized.
    public static func text(_ line: LogLine) -> String {
        if line.isRaw { return Sanitized.quote(line.message) + (line.truncated ? " [cut at 1 MiB]" : "") }
        var out = line.time.map { String(LogLine.rfc3339($0).prefix(23)) + "Z" } ?? "-"
        out += " \(line.level ?? "INFO")"
        if let component = line.component { out += " [\(component)]" }
        out += " \(line.message)"
        for (key, value) in line.attributes { out += " \(key)=\(value)" }
        if let trace = line.traceID { out += " trace_id=\(trace)" }
        if let span = line.spanID { out += " span_id=\(span)" }
        if let caller = line.caller { out += " caller=\(caller)" }
        if line.truncated { out += " [cut at 1 MiB]" }
        return Sanitized.quote(out)
    }
}
