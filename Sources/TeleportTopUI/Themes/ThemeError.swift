import TeleportCore

/// A theme that cannot be used: where (file, line, key) and why.
public struct ThemeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file, or the name asked for.
    public var source: String
    /// 1-based; 0 when the problem is not on one line (an empty or unreadable file).
    public var line: Int
    /// The dotted key path, e.g. `roles.text.fg` or `chart[2]`; empty when the problem is not in one key.
    public var key: String
    public var reason: String

    public init(source: String, line: Int, key: String, reason: String) {
        self.source = source
        self.line = line
        self.key = key
        self.reason = reason
    }

    /// `themes/broken.yaml line 7: roles.text.fg: "#12345" is not a colour (...)`.
    public var description: String {
        var text = Sanitized.quote(source)
        if line > 0 { text += " line \(line)" }
        text += ": "
        if !key.isEmpty { text += Sanitized.quote(key) + ": " }
        return text + reason
    }
}
