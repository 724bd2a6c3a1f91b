/// Where finished spans go: the file exporter, a span store in the same process.
public protocol SpanSink: Sendable {
    func export(_ spans: [SpanRecord]) async throws
}
