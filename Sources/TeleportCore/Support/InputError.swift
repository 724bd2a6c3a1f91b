/// Why something a person typed (an option, a prompt) could not be read: the text as typed
/// and the reason, printed as one sanitized line (`"๒๒:๐๐": hours and minutes are ASCII
/// digits, as in 05:32`).
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was typed.
    public var text: String
    /// Why it was refused, and what would be read.
    public var reason: String

    public init(_ text: String, _ reason: String) {
        self.text = text
        self.reason = reason
    }

    /// `"TEXT": reason`, the text cut to 80 characters, no control characters.
    public var description: String {
        let shown = text.count > 80 ? String(text.prefix(80)) + "…" : text
        return Sanitized.quote("\"\(shown)\": \(reason)")
    }
}
