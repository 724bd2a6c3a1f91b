/// A log level as Teleport's debug service reads and writes it: Go's `slog.Level` (DEBUG -4,
/// INFO 0, WARN 4, ERROR 8, with `+N`/`-N` offsets) plus Teleport's TRACE (-8).
public struct TeleportLogLevel: Sendable, Hashable, Comparable {
    public var value: Int

    public static let trace = TeleportLogLevel(value: -8)
    public static let debug = TeleportLogLevel(value: -4)
    public static let info = TeleportLogLevel(value: 0)
    public static let warn = TeleportLogLevel(value: 4)
    public static let error = TeleportLogLevel(value: 8)

    public init(value: Int) { self.value = value }

    public static func < (a: Self, b: Self) -> Bool { a.value < b.value }

    /// Parses level text as Teleport's `PUT /log-level` does: TRACE, or slog's names
    /// (case-insensitive) with an optional signed offset (`info+2`). Nil when invalid.
    public init?(text raw: String) {
        let text = raw.trimmingSuffixNewline
        if text.uppercased() == "TRACE" {
            self = .trace
            return
        }
        var name = Substring(text)
        var offset = 0
        if let signIndex = text.firstIndex(where: { $0 == "+" || $0 == "-" }) {
            name = text[..<signIndex]
            let number = text[signIndex...]
            guard number.count > 1, number.count < 12, let parsed = Int(number) else { return nil }
            offset = parsed
        }
        switch name.uppercased() {
        case "DEBUG": value = -4 + offset
        case "INFO": value = offset
        case "WARN": value = 4 + offset
        case "ERROR": value = 8 + offset
        default: return nil
        }
    }

    /// The text `GET /log-level` answers: TRACE for Teleport's trace level, else slog's form.
    public var text: String { self == .trace ? "TRACE" : slogText }

    /// Go's `slog.Level.String()`: `DEBUG`, `INFO+2`, `DEBUG-4`...
    public var slogText: String {
        func form(_ base: String, _ delta: Int) -> String {
            delta == 0 ? base : base + (delta > 0 ? "+\(delta)" : "\(delta)")
        }
        switch value {
        case ..<0: return form("DEBUG", value + 4)
        case ..<4: return form("INFO", value)
        case ..<8: return form("WARN", value - 4)
        default: return form("ERROR", value - 8)
        }
    }
}

extension String {
    public var trimmingSuffixNewline: String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == "\r" || last == " " { s = s.dropLast() }
        while let first = s.first, first == " " { s = s.dropFirst() }
        return String(s)
    }
}
