import Foundation
import Logging
import Synchronization
import TeleportCore

/// A swift-log handler that writes one line per message to a file handle (stderr by
/// default, a log file while a dashboard owns the terminal), with its level taken from a
/// shared `LogLevelControl`.
public struct DiagnosticsLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let control: LogLevelControl
    private let sink: LogSink

    public init(label: String, control: LogLevelControl, sink: LogSink = .standardError) {
        self.label = label
        self.control = control
        self.sink = sink
    }

    public var logLevel: Logger.Level {
        get { control.current.loggerLevel }
        set { control.current = TeleportLogLevel(newValue) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var line = "\(Self.timestamp()) \(event.level.rawValue.uppercased()) [\(label)] \(event.message)"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        sink.write(line + "\n")
    }

    static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// Where log lines go.
public final class LogSink: Sendable {
    private let handle: Mutex<FileHandle>

    public init(handle: FileHandle) { self.handle = Mutex(handle) }

    public static let standardError = LogSink(handle: .standardError)

    public func write(_ text: String) {
        handle.withLock { try? $0.write(contentsOf: Data(text.utf8)) }
    }
}

extension Logger {
    /// A logger whose level follows `control` and whose lines go to `sink`.
    public static func diagnostics(_ label: String, control: LogLevelControl, sink: LogSink = .standardError) -> Logger {
        Logger(label: label) { label in DiagnosticsLogHandler(label: label, control: control, sink: sink) }
    }
}
