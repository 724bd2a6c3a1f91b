/// Why an exposition payload was rejected, with the 1-based line where it went wrong
/// (0 when the payload as a whole is at fault, for example too large).
public struct ExpositionParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { line > 0 ? "line \(line): \(reason)" : reason }
}
