import Logging
import TeleportCore

/// Teleport's slog levels and swift-log's.
extension TeleportLogLevel {
    /// The swift-log level that lets through what this level lets through.
    public var loggerLevel: Logger.Level {
        switch value {
        case ..<(-4): return .trace
        case ..<0: return .debug
        case ..<4: return .info
        case ..<8: return .warning
        default: return .error
        }
    }

    /// The level for a swift-log level.
    public init(_ level: Logger.Level) {
        switch level {
        case .trace: self = .trace
        case .debug: self = .debug
        case .info, .notice: self = .info
        case .warning: self = .warn
        case .error, .critical: self = .error
        }
    }
}
