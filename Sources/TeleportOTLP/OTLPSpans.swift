import Foundation
import OTLPProto
import SwiftProtobuf
import TeleportCore

/// OTLP trace messages to span records and back. IDs of the wrong length (or all zero) make a
/// span rejected, never a crash; JSON IDs are read as hex when their length says so (32 / 16
/// characters, as the OTLP/HTTP JSON spec writes them) and as base64 otherwise (24 / 12, as
/// protojson and Teleport's file exporter write them).
public enum OTLPSpans {
    public typealias Request = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
    public typealias Response = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse
    public typealias ResourceSpans = Opentelemetry_Proto_Trace_V1_ResourceSpans

    /// Spans read from a message, and how many were refused and why (the first reason).
    public struct Decoded: Sendable {
        public var spans: [SpanRecord] = []
        public var rejected = 0
        public var reason: String?

        public init(spans: [SpanRecord] = [], rejected: Int = 0, reason: String? = nil) {
            self.spans = spans
            self.rejected = rejected
            self.reason = reason
        }
    }

    /// Decodes a protobuf `ExportTraceServiceRequest` (the OTLP/HTTP body, the gRPC message)
    /// into records.
    public static func decode(protobuf bytes: [UInt8]) throws -> Decoded {
        records(try Request(serializedBytes: bytes).resourceSpans)
    }

    /// Decodes a JSON `ExportTraceServiceRequest` (IDs hex or base64, unknown fields ignored).
    public static func decode(json bytes: [UInt8]) throws -> Decoded {
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        return records(try Request(jsonUTF8Bytes: bytes, options: options).resourceSpans, fromJSON: true)
    }

    /// A protobuf `ExportTraceServiceRequest` of the records (for benchmarks and tests).
    public static func encodeRequest(_ records: [SpanRecord]) throws -> [UInt8] {
        var request = Request()
        request.resourceSpans = resourceSpans(records)
        return try request.serializedBytes()
    }

    /// Records of every span of the resource spans; `fromJSON` re-reads IDs that protojson
    /// decoded as base64 but that were written as hex.
    public static func records(_ resourceSpans: [ResourceSpans], fromJSON: Bool = false) -> Decoded {
        var decoded = Decoded()
        decoded.spans.reserveCapacity(resourceSpans.reduce(0) { $0 + $1.scopeSpans.reduce(0) { $0 + $1.spans.count } })
        for rs in resourceSpans {
            let resource = SpanResource(attributes: rs.resource.attributes.map(attribute))
            for ss in rs.scopeSpans {
                let scope = ss.scope.name
                for span in ss.spans {
                    let traceBytes = fromJSON ? hexAware(span.traceID, hexLength: 32) : span.traceID
                    let spanBytes = fromJSON ? hexAware(span.spanID, hexLength: 16) : span.spanID
                    guard let traceID = TraceID(bytes: traceBytes) else {
                        decoded.rejected += 1
                        decoded.reason =
                            decoded.reason ?? "span \"\(Sanitized.quote(span.name))\": trace ID must be 16 bytes, not all zero (got \(traceBytes.count))"
                        continue
                    }
                    guard let spanID = SpanID(bytes: spanBytes) else {
                        decoded.rejected += 1
                        decoded.reason =
                            decoded.reason ?? "span \"\(Sanitized.quote(span.name))\": span ID must be 8 bytes, not all zero (got \(spanBytes.count))"
                        continue
                    }
                    let parentBytes = fromJSON ? hexAware(span.parentSpanID, hexLength: 16) : span.parentSpanID
                    let parent = parentBytes.isEmpty ? nil : SpanID(bytes: parentBytes)
                    if !parentBytes.isEmpty && parent == nil && parentBytes.contains(where: { $0 != 0 }) {
                        decoded.rejected += 1
                        decoded.reason = decoded.reason ?? "span \"\(Sanitized.quote(span.name))\": parent span ID must be 8 bytes (got \(parentBytes.count))"
                        continue
                    }
                    decoded.spans.append(
                        SpanRecord(
                            traceID: traceID, spanID: spanID, parentSpanID: parent, name: span.name,
                            kind: SpanKind(rawValue: span.kind.rawValue) ?? .unspecified,
                            startNanos: span.startTimeUnixNano, endNanos: span.endTimeUnixNano,
                            status: SpanStatus(rawValue: span.status.code.rawValue) ?? .unset, statusMessage: span.status.message,
                            attributes: span.attributes.map(attribute),
                            events: span.events.map { SpanEvent(timeNanos: $0.timeUnixNano, name: $0.name, attributes: $0.attributes.map(attribute)) },
                            resource: resource, scope: scope))
                }
            }
        }
        return decoded
    }

    /// A 32-character hex trace ID read by protojson as base64 comes out as 24 bytes (16
    /// hex characters: 12 bytes); turn it back into its text and read that as hex.
    static func hexAware(_ bytes: Data, hexLength: Int) -> Data {
        guard bytes.count == hexLength * 3 / 4 else { return bytes }
        let text = bytes.base64EncodedString()
        guard text.count == hexLength, let hex = Data(hex: text) else { return bytes }
        return hex
    }

    static func attribute(_ kv: Opentelemetry_Proto_Common_V1_KeyValue) -> SpanAttribute {
        SpanAttribute(kv.key, value(kv.value))
    }

    static func value(_ v: Opentelemetry_Proto_Common_V1_AnyValue) -> AttributeValue {
        switch v.value {
        case .stringValue(let s): return .string(s)
        case .boolValue(let b): return .bool(b)
        case .intValue(let i): return .int(i)
        case .doubleValue(let d): return .double(d)
        case .bytesValue(let d): return .bytes(Array(d))
        case .arrayValue(let a): return .array(a.values.map(value))
        case .kvlistValue(let l): return .map(l.values.map(attribute))
        default: return .empty
        }
    }

    // MARK: Records to OTLP

    /// Groups records by resource into `ResourceSpans` (one scope each, named by the
    /// records' scope).
    public static func resourceSpans(_ records: [SpanRecord]) -> [ResourceSpans] {
        var order: [SpanResource] = []
        var groups: [SpanResource: [SpanRecord]] = [:]
        for record in records {
            if groups[record.resource] == nil { order.append(record.resource) }
            groups[record.resource, default: []].append(record)
        }
        return order.map { resource in
            var rs = ResourceSpans()
            rs.resource.attributes = resource.attributes.map(keyValue)
            let spans = groups[resource] ?? []
            var scopes: [String: [SpanRecord]] = [:]
            var scopeOrder: [String] = []
            for span in spans {
                if scopes[span.scope] == nil { scopeOrder.append(span.scope) }
                scopes[span.scope, default: []].append(span)
            }
            rs.scopeSpans = scopeOrder.map { name in
                var ss = Opentelemetry_Proto_Trace_V1_ScopeSpans()
                ss.scope.name = name
                ss.spans = (scopes[name] ?? []).map(span)
                return ss
            }
            return rs
        }
    }

    static func span(_ r: SpanRecord) -> Opentelemetry_Proto_Trace_V1_Span {
        var s = Opentelemetry_Proto_Trace_V1_Span()
        s.traceID = Data(r.traceID.bytes)
        s.spanID = Data(r.spanID.bytes)
        if let parent = r.parentSpanID { s.parentSpanID = Data(parent.bytes) }
        s.name = r.name
        s.kind = Opentelemetry_Proto_Trace_V1_Span.SpanKind(rawValue: r.kind.rawValue) ?? .unspecified
        s.startTimeUnixNano = r.startNanos
        s.endTimeUnixNano = r.endNanos
        s.attributes = r.attributes.map(keyValue)
        s.events = r.events.map { e in
            var event = Opentelemetry_Proto_Trace_V1_Span.Event()
            event.timeUnixNano = e.timeNanos
            event.name = e.name
            event.attributes = e.attributes.map(keyValue)
            return event
        }
        if r.status != .unset || !r.statusMessage.isEmpty {
            s.status.code = Opentelemetry_Proto_Trace_V1_Status.StatusCode(rawValue: r.status.rawValue) ?? .unset
            s.status.message = r.statusMessage
        }
        return s
    }

    static func keyValue(_ a: SpanAttribute) -> Opentelemetry_Proto_Common_V1_KeyValue {
        var kv = Opentelemetry_Proto_Common_V1_KeyValue()
        kv.key = a.key
        kv.value = anyValue(a.value)
        return kv
    }

    static func anyValue(_ v: AttributeValue) -> Opentelemetry_Proto_Common_V1_AnyValue {
        var any = Opentelemetry_Proto_Common_V1_AnyValue()
        switch v {
        case .string(let s): any.stringValue = s
        case .bool(let b): any.boolValue = b
        case .int(let i): any.intValue = i
        case .double(let d): any.doubleValue = d
        case .bytes(let b): any.bytesValue = Data(b)
        case .array(let a):
            var array = Opentelemetry_Proto_Common_V1_ArrayValue()
            array.values = a.map(anyValue)
            any.arrayValue = array
        case .map(let m):
            var list = Opentelemetry_Proto_Common_V1_KeyValueList()
            list.values = m.map(keyValue)
            any.kvlistValue = list
        case .empty: break
        }
        return any
    }
}
