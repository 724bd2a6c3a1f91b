import Foundation

/// One line of a Teleport process's log, as `/log-stream` sends it (one JSON object:
/// `timestamp`, `level`, `message`, and when known `caller`, `component`, `trace_id`,
/// `span_id`, other attributes as top-level string keys) or as a log file holds it (JSON or
/// Teleport's text form). A line that is neither is kept raw. Every string is as received;
/// the screen sanitizes it.
public struct LogLine: Sendable, Hashable {
    public var time: Date?
    /// TRACE, DEBUG, INFO, WARN, ERROR (as written; nil for a raw line).
    public var level: String?
    public var message: String
    public var caller: String?
    public var component: String?
    /// 32 hex digits (Go's `trace.TraceID.String()`), when the line was logged inside a trace.
    public var traceID: String?
    public var spanID: String?
    /// The other attributes, in the order received.
    public var attributes: [(key: String, value: String)]
    /// Not JSON and not Teleport's text form: `message` is the line as it came.
    public var isRaw: Bool
    /// The line was longer than `LogLine.maxBytes` and was cut.
    public var truncated: Bool

    /// Lines past this many bytes are cut and marked.
    public static let maxBytes = 1 << 20

    public init(
        time: Date?, level: String?, message: String, caller: String? = nil, component: String? = nil, traceID: String? = nil,
        spanID: String? = nil, attributes: [(key: String, value: String)] = [], isRaw: Bool = false, truncated: Bool = false
    ) {
        self.time = time
        self.level = level
        self.message = message
        self.caller = caller
        self.component = component
        self.traceID = traceID
        self.spanID = spanID
        self.attributes = attributes
        self.isRaw = isRaw
        self.truncated = truncated
    }

    public static func == (a: LogLine, b: LogLine) -> Bool {
        a.time == b.time && a.level == b.level && a.message == b.message && a.caller == b.caller && a.component == b.component
            && a.traceID == b.traceID && a.spanID == b.spanID && a.isRaw == b.isRaw && a.truncated == b.truncated
            && a.attributes.map(\.key) == b.attributes.map(\.key) && a.attributes.map(\.value) == b.attributes.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(time)
        hasher.combine(message)
        hasher.combine(traceID)
    }

    /// The level's rank for filtering: TRACE 0 ... ERROR 4 (raw and unknown levels pass as INFO).
    public var rank: Int { LogLine.rank(of: level) }

    public static let levels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]

    public static func rank(of level: String?) -> Int {
        switch level?.uppercased() {
        case "TRACE": return 0
        case "DEBUG": return 1
        case "WARN", "WARNING": return 3
        case "ERROR", "ERR", "FATAL", "PANIC", "CRITICAL": return 4
        default: return 2
        }
    }

    /// Bytes the line takes in memory, roughly (for the buffer's byte bound).
    public var approximateBytes: Int {
        96 + message.utf8.count + (caller?.utf8.count ?? 0) + (component?.utf8.count ?? 0) + (traceID == nil ? 0 : 48)
            + attributes.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 32 }
    }

    /// Every text of the line a `/` filter looks at: message, component, caller, attributes.
    public var searchText: String {
        var text = message
        if let component { text += " component=" + component }
        if let caller { text += " caller=" + caller }
        if let traceID { text += " trace_id=" + traceID }
        for (key, value) in attributes { text += " \(key)=\(value)" }
        return text
    }
}
