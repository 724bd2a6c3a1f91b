import Foundation
import TeleportCore
import Testing

@testable import TeleportOTLP

/// The OTLP/HTTP JSON body the diagnostics bundle writes for its spans.
@Suite("OTLP JSON encoding: hex IDs, enum numbers, lowerCamelCase")
struct OTLPJSONTests {
    @Test("IDs are hex (32 and 16 digits), enums are numbers, keys lowerCamelCase; it reads back to the same records")
    func encoding() throws {
        let records = [OTLPSpansTests.record(1), OTLPSpansTests.record(2, parent: 1), OTLPSpansTests.record(3, resource: OTLPSpansTests.other)]
        let bytes = try OTLPJSON.encode(records)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\"traceId\":\"0102030405060708090a0b0c0d0e0f10\""), "\(text)")
        #expect(text.contains("\"spanId\":\"0000000000000002\""))
        #expect(text.contains("\"parentSpanId\":\"0000000000000001\""))
        #expect(text.contains("\"kind\":2"), "SPAN_KIND_SERVER as its number")
        #expect(text.contains("\"code\":2"), "STATUS_CODE_ERROR as its number")
        #expect(!text.contains("SPAN_KIND_") && !text.contains("STATUS_CODE_"))
        #expect(!text.contains("resource_spans") && text.contains("\"resourceSpans\"") && text.contains("\"startTimeUnixNano\""))
        // Attribute bytes stay base64 (only the ID fields are hex).
        #expect(text.contains("\"bytesValue\":\"AP8=\""))
        let decoded = try OTLPSpans.decode(json: bytes)
        #expect(decoded.rejected == 0)
        #expect(Set(decoded.spans) == Set(records))
        // The same records give the same bytes.
        #expect(try OTLPJSON.encode(records) == bytes)
    }
}
