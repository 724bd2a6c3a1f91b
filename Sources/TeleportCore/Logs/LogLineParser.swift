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

    /// A JSON object line; nil when it is not one. Flat objects (what log lines are) are read
    /// by `FlatJSON`; anything else by Foundation.
    static func json(_ bytes: ArraySlice<UInt8>) -> LogLine? {
        if let pairs = FlatJSON.parse(bytes) { return line(pairs) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) as? [String: Any] else { return nil }
        func string(_ key: String) -> String? {
            guard let value = object[key] else { return nil }
            return text(value)
        }
        let message = string("message") ?? string("msg") ?? ""
        let timeText = string("timestamp") ?? string("time") ?? string("ts")
        var attributes: [(key: String, value: String)] = []
        // Keep the sender's order where JSON allows: sorted keys (JSONSerialization loses order).
        for (key, value) in object.sorted(by: { $0.key < $1.key }) where !known.contains(key) {
            attributes.append((key, text(value)))
        }
        var traceID = string("trace_id")
        if let id = traceID, !(id.count == 32 && id.allSatisfy(\.isHexDigit)) {
            attributes.append(("trace_id", id))
            traceID = nil
        }
        return LogLine(
            time: timeText.flatMap(parseTime), level: (string("level") ?? string("severity")).map { $0.uppercased() },
            message: message, caller: string("caller"), component: string("component"), traceID: traceID?.lowercased(),
            spanID: string("span_id"), attributes: attributes)
    }

    /// The line of a flat object's pairs (attributes sorted by key, as the other path does).
    static func line(_ pairs: [(key: String, value: String)]) -> LogLine {
        var fields: [String: String] = [:]
        var attributes: [(key: String, value: String)] = []
        for (key, value) in pairs {
            if known.contains(key) { if fields[key] == nil { fields[key] = value } } else { attributes.append((key, value)) }
        }
        attributes.sort { $0.key < $1.key }
        var traceID = fields["trace_id"]
        if let id = traceID, !(id.count == 32 && id.allSatisfy(\.isHexDigit)) {
            attributes.append(("trace_id", id))
            traceID = nil
        }
        let timeText = fields["timestamp"] ?? fields["time"] ?? fields["ts"]
        return LogLine(
            time: timeText.flatMap(parseTime), level: (fields["level"] ?? fields["severity"]).map { $0.uppercased() },
            message: fields["message"] ?? fields["msg"] ?? "", caller: fields["caller"], component: fields["component"],
            traceID: traceID?.lowercased(), spanID: fields["span_id"], attributes: attributes)
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
        return LogLine(
            time: time, level: level == "WARNING" ? "WARN" : level, message: words.joined(separator: " "), caller: caller,
            component: component, traceID: traceID, spanID: spanID, attributes: attributes)
    }

    /// RFC 3339 with up to nanoseconds (UTC `Z` read without a formatter: one per line is slow).
    public static func parseTime(_ text: String) -> Date? {
        guard text.utf8.count >= 19, text.utf8.count <= 40 else { return nil }
        if let fast = utc(Array(text.utf8)) { return fast }
        return PrometheusAnswer.parseTime(text)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`.
    static func utc(_ b: [UInt8]) -> Date? {
        func digits(_ at: Int, _ count: Int) -> Int? {
            var value = 0
            for k in at..<(at + count) {
                guard k < b.count, b[k] >= 0x30, b[k] <= 0x39 else { return nil }
                value = value * 10 + Int(b[k] - 0x30)
            }
            return value
        }
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x20, b[13] == 0x3A, b[16] == 0x3A, b.last == 0x5A,
            let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2), let hour = digits(11, 2), let minute = digits(14, 2),
            let second = digits(17, 2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if b.count > 20 {
            guard b[19] == 0x2E, b.count - 21 >= 1, b.count - 21 <= 9, let value = digits(20, b.count - 21) else { return nil }
            fraction = Double(value) / pow(10, Double(b.count - 21))
        } else if b.count != 20 {
            return nil
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
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
