import Foundation
import TeleportCore
import TeleportOTLP

extension BundleManifest {
    /// The spans held as `spans.otlp.json`: one OTLP/HTTP JSON request (hex IDs, enum
    /// numbers); `why` says why there are none when `spans` is nil.
    public mutating func addSpans(_ spans: [SpanRecord]?, why: String) {
        guard let spans, !spans.isEmpty else {
            leaveOut("spans.otlp.json", spans == nil ? why : "no span arrived while collecting")
            return
        }
        do {
            let json = try OTLPJSON.encode(spans)
            add(
                "spans.otlp.json", json + [0x0A],
                about: "\(spans.count) spans held, one OTLP ExportTraceServiceRequest in OTLP/HTTP JSON (hex IDs): POST it to a collector's /v1/traces")
        } catch {
            fail("spans.otlp.json", "cannot be encoded: \(error)")
        }
    }
}
