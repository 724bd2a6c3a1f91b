/// What a log source says about itself, for the Logs screen's status line.
public enum LogSourceStatus: Sendable, Hashable {
    /// Connected (to `source`) and reading.
    case streaming(source: String)
    /// Trying to connect, after a failure, in `retry` seconds.
    case retrying(reason: String, retry: Double)
    /// The target has no `/log-stream` (an older Teleport: 404).
    case unsupported
    /// The target has no debug socket known to teleport-top.
    case noSocket
    /// The stream refused the request (400) or the file cannot be read.
    case failed(String)
}
