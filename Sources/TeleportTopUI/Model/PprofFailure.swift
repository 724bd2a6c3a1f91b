/// Why a profile could not be read or reported: the message the viewer shows.
public struct PprofFailure: Error, Sendable, Hashable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}
