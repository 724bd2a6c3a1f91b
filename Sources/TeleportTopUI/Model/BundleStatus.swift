import Foundation
import TeleportCore

/// Where the dashboard's diagnostics bundle (`B`) stands: shown in the header while it is
/// written, and its path (or why not) when done.
public enum BundleStatus: Sendable, Hashable {
    /// Being written: the step under way (`CPU profile (10 s)`).
    case running(String)
    /// Written to `path`.
    case done(path: String, at: Date)
    /// Not written, and why.
    case failed(String, at: Date)

    public var isRunning: Bool {
        if case .running = self { return true }
        return false
    }
}

/// What the dashboard hands the effect runner for `B`: what only the screen holds (the log
/// lines of the Logs screen); the runner reads the stores, the span store and the history itself.
public struct BundleRequest: Sendable, Hashable {
    public var logLines: [LogLine]
    /// Whether the Logs screen has a source at all (else the bundle says there is none).
    public var hasLogSource: Bool

    public init(logLines: [LogLine], hasLogSource: Bool) {
        self.logLines = logLines
        self.hasLogSource = hasLogSource
    }
}
