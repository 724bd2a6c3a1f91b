import Foundation

/// Reads log lines: JSON objects (what `/log-stream` and Teleport's JSON log files hold),
/// Teleport's text form (`2026-12-02T05:32:40Z INFO [AUTH]      message key:value caller`),
/// and anything else as a raw line. Lines past `LogLine.maxBytes` are cut and marked.
public enum LogLineParser {
    /// The keys the model has fields for; every other key is an attribute.
    static let known: Set<String> = ["timestamp", "time", "ts", "level", "severity", "message", "msg", "caller", "component", "trace_id", "span_id"]

    /// One line (without its newline).
    public static func parse(_ bytes: ArraySlice<UInt8>) -> LogLine {
        var bytes = bytes
        var truncated = false
        if bytes.count > LogLine.maxBytes {
            bytes = bytes.prefix(LogLine.maxBytes)
            truncated = true
        }
        while let last = bytes.last, last == 0x0D || last == 0x20 { bytes.removeLast() }
        if !truncated, bytes.first == UInt8(ascii: "{"), var line = json(bytes) {
            line.truncated = truncated
            return line
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if !truncated, let line = teleportText(text) { return line }
        return LogLine(time: nil, level: nil, message: text, isRaw: true, truncated: truncated)
    }

    public static func parse(_ text: String) -> LogLine { parse(Array(text.utf8)[...]) }

    /// A JSON object line; nil when it is not one.
    static func json(_ bytes: ArraySlice<UInt8>) -> LogLine? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) as? [String: Any] else { return nil }
        func string(_ key: String) -> String? {
            guard let value = object[key] else { return nil }
            return text(value)
        }
        let message = string("message") ?? string("msg") ?? ""
        let timeText = string("timestamp") ?? string("time") ?? string("ts")
        var attributes: [(key: String, value: String)] = []
        // Keep the sender's order where JSON allows: sorted keys (JSONSerialization loses order).
        for key in object.keys.sorted() where !known.contains(key) {
            attributes.append((key, text(object[key]!)))
        }
        var traceID = string("trace_id")
        if let id = traceID, !(id.count == 32 && id.allSatisfy(\.isHexDigit)) { attributes.append(("trace_id", id)); traceID = nil }
        return LogLine(time: timeText.flatMap(parseTime), level: (string("level") ?? string("severity")).map { $0.uppercased() },
            message: message, caller: string("caller"), component: string("component"), traceID: traceID?.lowercased(),
            spanID: string("span_id"), attributes: attributes)
    }

    static func text(_ value: Any) -> String {
        switch value {
        case let string as String: return string
        case let number as NSNumber:
            // JSON's true and false arrive as booleans (objCType "c"), numbers as numbers.
            if String(cString: number.objCType) == "c" { return number.boolValue ? "true" : "false" }
            return number.stringValue
        case is NSNull: return "null"
        default:
            if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) {
                return String(decoding: data, as: UTF8.self)
            }
            return String(describing: value)
        }
    }

    /// Teleport's text form: `TIME LEVEL [COMPONENT] message key:value ... file.go:123`.
    static func teleportText(_ text: String) -> LogLine? {
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, let time = parseTime(String(parts[0])) else { return nil }
        let level = parts[1].uppercased()
        guard LogLine.levels.contains(level) || level == "WARNING" else { return nil }
        var rest = parts.count > 2 ? String(parts[2]).trimmingCharacters(in: .whitespaces) : ""
        var component: String?
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            component = String(rest[rest.index(after: rest.startIndex)..<close]).lowercased()
            rest = String(rest[rest.index(after: close)...]).trimmingCharacters(in: .whitespaces)
        }
        var caller: String?
        if let last = rest.split(separator: " ").last, last.contains(".go:") {
            caller = String(last)
            rest = String(rest.dropLast(last.count)).trimmingCharacters(in: .whitespaces)
        }
        // Trailing key:value pairs after the message.
        var attributes: [(key: String, value: String)] = []
        var words = rest.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        while let last = words.last, let colon = last.firstIndex(of: ":"), colon != last.startIndex,
            last[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." })
        {
            attributes.insert((String(last[..<colon]), String(last[last.index(after: colon)...])), at: 0)
            words.removeLast()
        }
        var traceID: String?
        if let index = attributes.firstIndex(where: { $0.key == "trace_id" }), attributes[index].value.count == 32 {
            traceID = attributes[index].value
            attributes.remove(at: index)
        }
        var spanID: String?
        if let index = attributes.firstIndex(where: { $0.key == "span_id" }) {
            spanID = attributes[index].value
            attributes.remove(at: index)
        }
        return LogLine(time: time, level: level == "WARNING" ? "WARN" : level, message: words.joined(separator: " "), caller: caller,
            component: component, traceID: traceID, spanID: spanID, attributes: attributes)
    }

    /// RFC 3339 with up to nanoseconds.
    public static func parseTime(_ text: String) -> Date? {
        guard text.count >= 19, text.count <= 40 else { return nil }
        return PrometheusAnswer.parseTime(text)
    }
}

/// Splits a byte stream into lines, holding a partial line between chunks; a line past
/// `LogLine.maxBytes` is cut (what follows up to its newline is skipped and counted).
public struct LogLineSplitter: Sendable {
    private var pending: [UInt8] = []
    private var skipping = false
    /// Lines cut because they were too long.
    public private(set) var cut = 0

    public init() {}

    /// The whole lines of `chunk` (with what came before).
    public mutating func feed(_ chunk: some Collection<UInt8>) -> [LogLine] {
        var lines: [LogLine] = []
        for byte in chunk {
            if byte == 0x0A {
                if skipping {
                    skipping = false
                } else {
                    lines.append(LogLineParser.parse(pending[...]))
                }
                pending.removeAll(keepingCapacity: true)
                continue
            }
            if skipping { continue }
            pending.append(byte)
            if pending.count > LogLine.maxBytes {
                var line = LogLineParser.parse(pending.prefix(LogLine.maxBytes))
                line.truncated = true
                lines.append(line)
                cut += 1
                pending.removeAll(keepingCapacity: false)
                skipping = true
            }
        }
        return lines
    }

    /// The partial line at the end of the stream, if any.
    public mutating func finish() -> LogLine? {
        defer { pending.removeAll() }
        return pending.isEmpty || skipping ? nil : LogLineParser.parse(pending[...])
    }
}
