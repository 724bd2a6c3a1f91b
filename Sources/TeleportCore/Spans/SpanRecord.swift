/// One finished span as the span store keeps it: what the feed, the operation table and the
/// waterfall show. Built from OTLP (protobuf or JSON) or from a Teleport trace file.
public struct SpanRecord: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: SpanID
    public var parentSpanID: SpanID?
    public var name: String
    public var kind: SpanKind
    /// Start and end, nanoseconds since the Unix epoch.
    public var startNanos: UInt64
    public var endNanos: UInt64
    public var status: SpanStatus
    public var statusMessage: String
    public var attributes: [SpanAttribute]
    public var events: [SpanEvent]
    public var resource: SpanResource
    /// The instrumentation scope's name.
    public var scope: String

    public init(
        traceID: TraceID, spanID: SpanID, parentSpanID: SpanID? = nil, name: String, kind: SpanKind = .internal,
        startNanos: UInt64, endNanos: UInt64, status: SpanStatus = .unset, statusMessage: String = "",
        attributes: [SpanAttribute] = [], events: [SpanEvent] = [], resource: SpanResource, scope: String = ""
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.name = name
        self.kind = kind
        self.startNanos = startNanos
        self.endNanos = endNanos
        self.status = status
        self.statusMessage = statusMessage
        self.attributes = attributes
        self.events = events
        self.resource = resource
        self.scope = scope
    }

    /// Duration in seconds (0 when the end precedes the start).
    public var duration: Double { endNanos > startNanos ? Double(endNanos - startNanos) / 1e9 : 0 }
    public var isError: Bool { status == .error }
    /// The resource's `service.name` ("unknown_service" when absent, as the SDKs say).
    public var service: String { resource.serviceName }

    /// The value of an attribute of the span (or else of its resource) as text.
    public func attribute(_ key: String) -> String? {
        attributes.first { $0.key == key }?.value.description ?? resource.attributes.first { $0.key == key }?.value.description
    }
}

/// OTLP's span kinds.
public enum SpanKind: Int, Sendable, Hashable, CaseIterable {
    case unspecified = 0
    case `internal`, server, client, producer, consumer

    public var name: String {
        switch self {
        case .unspecified: return "unspecified"
        case .internal: return "internal"
        case .server: return "server"
        case .client: return "client"
        case .producer: return "producer"
        case .consumer: return "consumer"
        }
    }
}

/// OTLP's status codes.
public enum SpanStatus: Int, Sendable, Hashable {
    case unset = 0
    case ok, error
}

/// A key and a value.
public struct SpanAttribute: Sendable, Hashable {
    public var key: String
    public var value: AttributeValue

    public init(_ key: String, _ value: AttributeValue) {
        self.key = key
        self.value = value
    }
}

/// OTLP's AnyValue.
public indirect enum AttributeValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case bytes([UInt8])
    case array([AttributeValue])
    case map([SpanAttribute])
    case empty

    public var description: String {
        switch self {
        case .string(let s): return s
        case .bool(let b): return String(b)
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bytes(let b): return b.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .empty: return ""
        }
    }
}

/// A timed event of a span.
public struct SpanEvent: Sendable, Hashable {
    public var timeNanos: UInt64
    public var name: String
    public var attributes: [SpanAttribute]

    public init(timeNanos: UInt64, name: String, attributes: [SpanAttribute] = []) {
        self.timeNanos = timeNanos
        self.name = name
        self.attributes = attributes
    }
}

/// The resource a span came from (shared by the spans of one export).
public struct SpanResource: Sendable, Hashable {
    public var attributes: [SpanAttribute]
    public let serviceName: String

    public init(attributes: [SpanAttribute]) {
        self.attributes = attributes
        serviceName = attributes.first { $0.key == "service.name" }.map(\.value.description) ?? "unknown_service"
    }
}
