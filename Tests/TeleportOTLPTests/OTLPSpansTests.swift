import Foundation
import OTLPProto
import SwiftProtobuf
import TeleportCore
import Testing

@testable import TeleportOTLP

/// OTLP's wire forms to the span model and back: what the receivers and the trace-file tail
/// rely on, tested without a network.
@Suite("OTLP spans: protobuf and JSON to records and back")
struct OTLPSpansTests {
    static let resource = SpanResource(attributes: [SpanAttribute("service.name", .string("teleport")), SpanAttribute("host.id", .string("h1"))])
    static let other = SpanResource(attributes: [SpanAttribute("service.name", .string("proxy"))])

    static func record(_ id: UInt64, parent: UInt64? = nil, resource: SpanResource = resource, scope: String = "auth") -> SpanRecord {
        SpanRecord(
            traceID: TraceID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10), spanID: SpanID(id), parentSpanID: parent.map(SpanID.init),
            name: "op \(id)", kind: .server, startNanos: 1_700_000_000_000_000_000 + id, endNanos: 1_700_000_000_500_000_000 + id,
            status: id % 2 == 0 ? .error : .unset, statusMessage: id % 2 == 0 ? "failed \(id)" : "",
            attributes: [
                SpanAttribute("s", .string("x")), SpanAttribute("b", .bool(true)), SpanAttribute("i", .int(-7)), SpanAttribute("d", .double(0.25)),
                SpanAttribute("y", .bytes([0, 255])), SpanAttribute("a", .array([.int(1), .string("two")])),
                SpanAttribute("m", .map([SpanAttribute("k", .string("v"))])),
            ],
            events: [SpanEvent(timeNanos: 1_700_000_000_100_000_000, name: "retry", attributes: [SpanAttribute("n", .int(2))])],
            resource: resource, scope: scope)
    }

    @Test("Protobuf round trip keeps every field, attribute kind, event and status; resources and scopes group in first-seen order")
    func protobufRoundTrip() throws {
        let records = [Self.record(1), Self.record(2, parent: 1), Self.record(3, resource: Self.other), Self.record(4, parent: 1, scope: "proxy")]
        let bytes = try OTLPSpans.encodeRequest(records)
        let decoded = try OTLPSpans.decode(protobuf: bytes)
        #expect(decoded.rejected == 0)
        #expect(decoded.reason == nil)
        // Grouped by resource (first seen first), then by scope within it.
        #expect(decoded.spans.map(\.spanID.value) == [1, 2, 4, 3])
        #expect(Set(decoded.spans) == Set(records))
        let request = try OTLPSpans.Request(serializedBytes: bytes)
        #expect(request.resourceSpans.count == 2)
        #expect(request.resourceSpans[0].scopeSpans.map(\.scope.name) == ["auth", "proxy"])
    }

    @Test("JSON: IDs written as hex (OTLP/HTTP JSON) and as base64 (protojson, Teleport's file exporter) read the same")
    func jsonIDs() throws {
        let record = Self.record(5, parent: 3)
        let base64 = try OTLPSpans.resourceSpans([record])[0].jsonString()
        var request = OTLPSpans.Request()
        request.resourceSpans = OTLPSpans.resourceSpans([record])
        let protojson: [UInt8] = try request.jsonUTF8Bytes()
        let fromBase64 = try OTLPSpans.decode(json: protojson)
        #expect(fromBase64.spans == [record])
        #expect(base64.contains(Data(record.traceID.bytes).base64EncodedString()))

        let hex = """
            {"resourceSpans":[{"resource":{},"scopeSpans":[{"scope":{"name":"s"},"spans":[
            {"traceId":"\(record.traceID)","spanId":"\(record.spanID)","parentSpanId":"\(SpanID(3))","name":"hex","startTimeUnixNano":"1","endTimeUnixNano":"2","someFutureField":7}
            ]}]}]}
            """
        let fromHex = try OTLPSpans.decode(json: Array(hex.utf8))
        #expect(fromHex.rejected == 0)
        #expect(fromHex.spans.first?.traceID == record.traceID)
        #expect(fromHex.spans.first?.spanID == record.spanID)
        #expect(fromHex.spans.first?.parentSpanID == SpanID(3))
    }

    @Test("Wrong-length or zero IDs reject the span with a reason (hostile names quoted); the others are kept")
    func rejectedSpans() throws {
        var good = OTLPSpans.span(Self.record(1))
        var shortTrace = good
        shortTrace.traceID = Data([1, 2, 3])
        shortTrace.name = "evil\u{1B}[31m"
        var zeroSpan = good
        zeroSpan.spanID = Data(repeating: 0, count: 8)
        var badParent = good
        badParent.parentSpanID = Data([9, 9, 9])
        var zeroParent = good
        zeroParent.parentSpanID = Data(repeating: 0, count: 8)
        zeroParent.spanID = Data(SpanID(9).bytes)
        good.spanID = Data(SpanID(2).bytes)
        var scope = Opentelemetry_Proto_Trace_V1_ScopeSpans()
        scope.spans = [shortTrace, good, zeroSpan, badParent, zeroParent]
        var resourceSpans = OTLPSpans.ResourceSpans()
        resourceSpans.scopeSpans = [scope]
        let decoded = OTLPSpans.records([resourceSpans])
        #expect(decoded.spans.map(\.spanID) == [SpanID(2), SpanID(9)])
        #expect(decoded.spans.last?.parentSpanID == nil)
        #expect(decoded.rejected == 3)
        let reason = try #require(decoded.reason)
        #expect(reason.contains("trace ID must be 16 bytes"))
        #expect(reason.contains("got 3"))
        #expect(!reason.contains("\u{1B}"))
    }

    @Test("Truncated and garbage bodies throw; they never crash or yield half a span")
    func truncatedBodies() throws {
        let bytes = try OTLPSpans.encodeRequest([Self.record(1), Self.record(2)])
        var threw = 0
        for cut in stride(from: 1, to: bytes.count, by: 7) {
            do {
                let decoded = try OTLPSpans.decode(protobuf: Array(bytes.prefix(cut)))
                // A cut at a field boundary can be a valid shorter message: whatever is read is whole.
                for span in decoded.spans { #expect(span.name.hasPrefix("op ")) }
            } catch {
                threw += 1
            }
        }
        #expect(threw > 0)
        #expect(throws: (any Error).self) { try OTLPSpans.decode(json: Array("{\"resourceSpans\":[{".utf8)) }
        #expect(throws: (any Error).self) { try OTLPSpans.decode(json: Array("<html>".utf8)) }
        #expect(throws: (any Error).self) { try OTLPSpans.decode(protobuf: [0xFF, 0xFF, 0xFF, 0xFF]) }
    }
}
