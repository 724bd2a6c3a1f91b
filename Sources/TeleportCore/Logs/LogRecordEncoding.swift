import Foundation

extension LogLine {
    /// The line as `/log-stream` sends it: one JSON object, `timestamp` in RFC 3339 with
    /// nanoseconds (UTC), then `level`, `message`, `caller`, `component`, `trace_id`,
    /// `span_id` when set, then the attributes as string keys; no newline.
    public func ndjson(nanoseconds: Int? = nil) -> String {
        var out = "{\"timestamp\":\"\(LogLine.rfc3339(time ?? Date(), nanoseconds: nanoseconds))\""
        out += ",\"level\":\(LogLine.quote(level ?? "INFO")),\"message\":\(LogLine.quote(message))"
        if let caller { out += ",\"caller\":\(LogLine.quote(caller))" }
        if let component { out += ",\"component\":\(LogLine.quote(component))" }
        if let traceID { out += ",\"trace_id\":\(LogLine.quote(traceID))" }
        if let spanID { out += ",\"span_id\":\(LogLine.quote(spanID))" }
        for (key, value) in attributes where !LogLineParser.known.contains(key) {
            out += ",\(LogLine.quote(key)):\(LogLine.quote(value))"
        }
        return out + "}"
    }

    /// `2026-12-02T05:32:40.123456789Z`.
    public static func rfc3339(_ date: Date, nanoseconds: Int? = nil) -> String {
        let seconds = floor(date.timeIntervalSince1970)
        let nanos = nanoseconds ?? Int(((date.timeIntervalSince1970 - seconds) * 1e9).rounded())
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), min(999_999_999, max(0, nanos)))
    }

    /// A JSON string literal.
    public static func quote(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
