import Logging
import Synchronization
import TeleportCore

/// The process-wide log level that `PUT /log-level` changes; every `DiagnosticsLogHandler`
/// reads it on each message, so a change takes effect at once.
public final class LogLevelControl: Sendable {
    private let level: Mutex<TeleportLogLevel>

    public init(_ initial: TeleportLogLevel = .info) {
        level = Mutex(initial)
    }

    public var current: TeleportLogLevel {
        get { level.withLock { $0 } }
        set { level.withLock { $0 = newValue } }
    }
}
