import Foundation
import OTLPProto
import SwiftProtobuf
import TeleportCore

/// Span records as an OTLP/HTTP JSON body (`ExportTraceServiceRequest`), as the OTLP
/// specification's "JSON Protobuf Encoding" defines it: swift-protobuf's proto3 JSON mapping
/// (lowerCamelCase keys, 64-bit integers as decimal strings) with OTLP's deviations: enum
/// values as integers, and `traceId`, `spanId` and `parentSpanId` (of spans and links) as hex
/// strings, not base64. What `POST /v1/traces` with `Content-Type: application/json` takes.
public enum OTLPJSON {
    /// The request of `records` as OTLP JSON, keys sorted (the same records give the same bytes).
    public static func encode(_ records: [SpanRecord]) throws -> [UInt8] {
        var request = OTLPSpans.Request()
        request.resourceSpans = OTLPSpans.resourceSpans(records)
        var options = JSONEncodingOptions()
        options.alwaysPrintEnumsAsInts = true
        options.preserveProtoFieldNames = false
        let protojson = try request.jsonUTF8Data(options: options)
        // protojson writes bytes as base64; OTLP wants the ID fields in hex.
        let tree = try JSONSerialization.jsonObject(with: protojson)
        let fixed = hexIDs(tree)
        return Array(try JSONSerialization.data(withJSONObject: fixed, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    /// The ID fields OTLP writes in hex (in a span and in its links).
    static let idKeys: Set<String> = ["traceId", "spanId", "parentSpanId"]

    /// The tree with every ID field (found under `resourceSpans[].scopeSpans[].spans[]` and
    /// their `links[]`) turned from base64 into lowercase hex.
    static func hexIDs(_ node: Any) -> Any {
        if let object = node as? [String: Any] {
            var out: [String: Any] = [:]
            for (key, value) in object {
                if idKeys.contains(key), let text = value as? String, let bytes = Data(base64Encoded: text) {
                    out[key] = bytes.map { String(format: "%02x", $0) }.joined()
                } else {
                    out[key] = hexIDs(value)
                }
            }
            return out
        }
        if let array = node as? [Any] { return array.map(hexIDs) }
        return node
    }
}
