import Foundation
import Logging
import Synchronization
import TeleportCore
import Tracing

/// A swift-log handler that writes one line per message to a file handle (stderr by
/// default, a log file while a dashboard owns the terminal), with its level taken from a
/// shared `LogLevelControl`.
public struct DiagnosticsLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let control: LogLevelControl
    private let sink: LogSink
    private let stream: LogBroadcast?

    public init(label: String, control: LogLevelControl, sink: LogSink = .standardError, stream: LogBroadcast? = nil) {
        self.label = label
        self.control = control
        self.sink = sink
        self.stream = stream
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
        if let stream, stream.subscriberCount > 0 { stream.publish(Self.logLine(event, label: label, metadata: merged)) }
    }

    /// The event as a `/log-stream` line: the component from `component` metadata (else the
    /// logger's label), the caller as file:line, `trace_id`/`span_id` from metadata or from
    /// the span the task runs in, the rest as attributes.
    static func logLine(_ event: LogEvent, label: String, metadata: Logger.Metadata) -> LogLine {
        var metadata = metadata
        let component = metadata.removeValue(forKey: "component").map { "\($0)" } ?? label
        var traceID = metadata.removeValue(forKey: "trace_id").map { "\($0)" }
        var spanID = metadata.removeValue(forKey: "span_id").map { "\($0)" }
        if traceID == nil, let context = InstrumentationContext.current?.recordedSpanContext {
            traceID = context.traceID.description
            spanID = context.spanID.description
        }
        let file = event.file.split(separator: "/").last.map(String.init) ?? event.file
        return LogLine(
            time: Date(), level: TeleportLogLevel(event.level).text, message: "\(event.message)", caller: "\(file):\(event.line)",
            component: component, traceID: traceID, spanID: spanID,
            attributes: metadata.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") })
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
    public static func diagnostics(_ label: String, control: LogLevelControl, sink: LogSink = .standardError, stream: LogBroadcast? = nil) -> Logger {
        Logger(label: label) { label in DiagnosticsLogHandler(label: label, control: control, sink: sink, stream: stream) }
    }
}
