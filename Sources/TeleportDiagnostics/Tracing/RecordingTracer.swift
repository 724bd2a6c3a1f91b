import Foundation
import Synchronization
import TeleportCore
import Tracing

/// The span context our tracer keeps in an `InstrumentationContext`: IDs and the sampling
/// decision, and whether it came from another process (a W3C `traceparent`).
public struct RecordedSpanContext: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: SpanID
    public var sampled: Bool
    public var isRemote: Bool

    public init(traceID: TraceID, spanID: SpanID, sampled: Bool, isRemote: Bool) {
        self.traceID = traceID
        self.spanID = spanID
        self.sampled = sampled
        self.isRemote = isRemote
    }

    /// `00-<trace>-<span>-<flags>`, W3C trace context.
    public var traceparent: String { "00-\(traceID)-\(spanID)-\(sampled ? "01" : "00")" }

    /// Reads a W3C `traceparent`; nil for anything malformed (version ff, zero IDs, wrong lengths).
    public init?(traceparent text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff", parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
            parts[0] != "00" || parts.count == 4,
            let trace = Data(hex: String(parts[1])).flatMap({ TraceID(bytes: $0) }),
            let span = Data(hex: String(parts[2])).flatMap({ SpanID(bytes: $0) }),
            let flags = UInt8(parts[3], radix: 16)
        else { return nil }
        self.init(traceID: trace, spanID: span, sampled: flags & 1 == 1, isRemote: true)
    }
}

enum RecordedSpanContextKey: InstrumentationContextKey {
    typealias Value = RecordedSpanContext
    static var nameOverride: String? { "teleport-top.span-context" }
}

extension InstrumentationContext {
    /// The span context our tracer put here, if any.
    public var recordedSpanContext: RecordedSpanContext? {
        get { self[RecordedSpanContextKey.self] }
        set { self[RecordedSpanContextKey.self] = newValue }
    }
}

/// A tracer of our own over swift-distributed-tracing that turns finished, sampled spans into
/// `SpanRecord`s and hands them to a batch processor, whose sinks are the file exporter
/// (Teleport's trace files) or a dashboard's span store in the same process. Same sampler as
/// Teleport's: ParentBased(TraceIDRatio). Propagates W3C `traceparent`.
public final class RecordingTracer: Tracer {
    public typealias Span = RecordedSpan

    public let sampler: TraceSampler
    public let resource: SpanResource
    public let scope: String
    let processor: SpanBatchProcessor

    public init(sampler: TraceSampler, resource: SpanResource, scope: String = "teleport-top", processor: SpanBatchProcessor) {
        self.sampler = sampler
        self.resource = resource
        self.scope = scope
        self.processor = processor
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> InstrumentationContext, ofKind kind: Tracing.SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> RecordedSpan {
        var spanContext = context()
        let parent = spanContext.recordedSpanContext
        var generator = SystemRandomNumberGenerator()
        let traceID = parent?.traceID ?? Self.randomTraceID(&generator)
        var spanValue: UInt64 = 0
        while spanValue == 0 { spanValue = generator.next() }
        let sampled = sampler.shouldSample(traceID: traceID, parentSampled: parent?.sampled)
        let own = RecordedSpanContext(traceID: traceID, spanID: SpanID(spanValue), sampled: sampled, isRemote: false)
        spanContext.recordedSpanContext = own
        return RecordedSpan(
            name: operationName, context: spanContext, ids: own, parent: parent?.spanID, kind: kind,
            start: instant().nanosecondsSinceEpoch, tracer: self)
    }

    static func randomTraceID(_ generator: inout SystemRandomNumberGenerator) -> TraceID {
        while true {
            let id = TraceID(high: generator.next(), low: generator.next())
            if id.high != 0 || id.low != 0 { return id }
        }
    }

    /// Starts flushing what is queued (the awaited form is `SpanBatchProcessor.forceFlush`).
    public func forceFlush() {
        let processor = self.processor
        Task { await processor.forceFlush() }
    }

    public func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        guard let text = extractor.extract(key: "traceparent", from: carrier), let remote = RecordedSpanContext(traceparent: text) else { return }
        context.recordedSpanContext = remote
    }

    public func inject<Carrier, Inject: Injector>(_ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        guard let own = context.recordedSpanContext else { return }
        injector.inject(own.traceparent, forKey: "traceparent", into: &carrier)
    }

    func finished(_ record: SpanRecord) {
        processor.enqueue(record)
    }
}

/// A span of the recording tracer. Thread-safe; ending it twice records it once.
public final class RecordedSpan: Tracing.Span {
    struct State {
        var name: String
        var attributes: SpanAttributes = [:]
        var events: [Tracing.SpanEvent] = []
        var status: Tracing.SpanStatus?
        var ended = false
    }

    public let context: InstrumentationContext
    public let ids: RecordedSpanContext
    let parent: SpanID?
    let kind: Tracing.SpanKind
    let start: UInt64
    let tracer: RecordingTracer
    private let state: Mutex<State>

    init(
        name: String, context: InstrumentationContext, ids: RecordedSpanContext, parent: SpanID?, kind: Tracing.SpanKind, start: UInt64,
        tracer: RecordingTracer
    ) {
        self.context = context
        self.ids = ids
        self.parent = parent
        self.kind = kind
        self.start = start
        self.tracer = tracer
        state = Mutex(State(name: name))
    }

    public var operationName: String {
        get { state.withLock { $0.name } }
        set { state.withLock { if !$0.ended { $0.name = newValue } } }
    }

    public var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set { state.withLock { if !$0.ended { $0.attributes = newValue } } }
    }

    public var isRecording: Bool { ids.sampled && !state.withLock { $0.ended } }

    public func setStatus(_ status: Tracing.SpanStatus) {
        state.withLock { state in
            guard !state.ended else { return }
            // OK is final; an error may be replaced by OK, never the other way round.
            if state.status?.code == .ok { return }
            state.status = status
        }
    }

    public func addEvent(_ event: Tracing.SpanEvent) {
        state.withLock { if !$0.ended { $0.events.append(event) } }
    }

    public func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        var attributes = attributes
        attributes["exception.type"] = "\(type(of: error))"
        attributes["exception.message"] = "\(error)"
        addEvent(Tracing.SpanEvent(name: "exception", at: instant(), attributes: attributes))
    }

    public func addLink(_ link: SpanLink) {}

    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let end = instant().nanosecondsSinceEpoch
        guard
            let finished = state.withLock({ state -> State? in
                guard !state.ended else { return nil }
                state.ended = true
                return state
            })
        else { return }
        guard ids.sampled else { return }
        tracer.finished(
            SpanRecord(
                traceID: ids.traceID, spanID: ids.spanID, parentSpanID: parent, name: finished.name, kind: Self.kind(kind),
                startNanos: start, endNanos: max(end, start),
                status: finished.status.map { $0.code == .ok ? .ok : .error } ?? .unset, statusMessage: finished.status?.message ?? "",
                attributes: Self.attributes(finished.attributes),
                events: finished.events.map { SpanEvent(timeNanos: $0.nanosecondsSinceEpoch, name: $0.name, attributes: Self.attributes($0.attributes)) },
                resource: tracer.resource, scope: tracer.scope))
    }

    static func kind(_ kind: Tracing.SpanKind) -> TeleportCore.SpanKind {
        switch kind {
        case .server: return .server
        case .client: return .client
        case .producer: return .producer
        case .consumer: return .consumer
        case .internal: return .internal
        }
    }

    /// Attributes in a stable order (by key), as values of OTLP's AnyValue.
    static func attributes(_ attributes: SpanAttributes) -> [TeleportCore.SpanAttribute] {
        var out: [TeleportCore.SpanAttribute] = []
        // swift-format-ignore: ReplaceForEachWithForLoop
        // SpanAttributes is no Sequence: forEach is its own method.
        attributes.forEach { key, value in out.append(TeleportCore.SpanAttribute(key, Self.value(value))) }
        return out.sorted { $0.key < $1.key }
    }

    static func value(_ value: Tracing.SpanAttribute) -> AttributeValue {
        switch value {
        case .int32(let v): return .int(Int64(v))
        case .int64(let v): return .int(v)
        case .int32Array(let v): return .array(v.map { .int(Int64($0)) })
        case .int64Array(let v): return .array(v.map { .int($0) })
        case .double(let v): return .double(v)
        case .doubleArray(let v): return .array(v.map { .double($0) })
        case .bool(let v): return .bool(v)
        case .boolArray(let v): return .array(v.map { .bool($0) })
        case .string(let v): return .string(v)
        case .stringArray(let v): return .array(v.map { .string($0) })
        case .stringConvertible(let v): return .string(v.description)
        case .stringConvertibleArray(let v): return .array(v.map { .string($0.description) })
        default: return .empty
        }
    }
}
