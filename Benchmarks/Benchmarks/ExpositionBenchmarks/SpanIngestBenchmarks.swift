import Benchmark
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportOTLP
import TeleportTopData
import TeleportTopTestSupport

/// Receiver ingest as the OTLP receivers do it, on one task: decode a pre-encoded protobuf
/// ExportTraceServiceRequest and add its spans to the span store (ring + trace index).
/// One iteration is 20 requests of 512 spans (10,240 spans): spans/s = iterations/s x 10,240;
/// the target is at least 200k spans/s on one core. The memory pair ingests 1x and 10x the
/// store's bound (20,000 spans): peak resident memory should be the same for both.
func spanIngestBenchmarks() {
    let requests = (0..<20).map { batch in (try? OTLPSpans.encodeRequest(SpanIngestPayload.spans(batch: batch, count: 512))) ?? [] }

    Benchmark("Span ingest: decode + store, 20 x 512 spans", configuration: .init(metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal])) {
        benchmark in
        let store = SpanStore(capacity: 20_000)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for request in requests {
                guard let decoded = try? OTLPSpans.decode(protobuf: request) else { continue }
                await store.add(decoded.spans)
            }
        }
        benchmark.stopMeasurement()
        blackHole(await store.received)
    }

    for multiple in [1, 10] {
        Benchmark(
            "Span store memory: \(multiple)x its 20,000-span bound",
            configuration: .init(metrics: [.peakMemoryResident, .wallClock], maxDuration: .seconds(120), maxIterations: 1)
        ) { benchmark in
            let store = SpanStore(capacity: 20_000)
            for round in 0..<(multiple * 40) {
                guard let decoded = try? OTLPSpans.decode(protobuf: requests[round % requests.count]) else { continue }
                await store.add(decoded.spans)
            }
            blackHole(await store.snapshot())
        }
    }
}

/// Spans shaped like Teleport's: a resource of five attributes, six attributes a span,
/// traces of eight spans.
enum SpanIngestPayload {
    static func spans(batch: Int, count: Int) -> [SpanRecord] {
        let resource = SpanResource(attributes: [
            SpanAttribute("service.name", .string("teleport")), SpanAttribute("teleport.version", .string("16.4.2")),
            SpanAttribute("teleport.process.id", .string("0b6f2c4e-5a43-4f47-8f5e-1f1b6f0c9d21")),
            SpanAttribute("teleport.host.name", .string("auth-1.example.com")),
            SpanAttribute("teleport.host.uuid", .string("6d2f5a9c-7e1b-4c8a-9f3d-2b4e6a8c0d1f")),
        ])
        return (0..<count).map { i in
            let n = UInt64(batch * count + i)
            return SpanRecord(
                traceID: TraceID(high: 0x5EED + n / 8, low: n / 8 &* 0x9E37_79B9_7F4A_7C15), spanID: SpanID(n + 1),
                parentSpanID: n % 8 == 0 ? nil : SpanID(n), name: ["proxy/ssh.dial", "auth/GenerateUserCerts", "backend/Get"][i % 3],
                kind: .server, startNanos: 1_700_000_000_000_000_000 + n * 1_000, endNanos: 1_700_000_000_000_000_000 + n * 1_000 + 250_000,
                status: i % 50 == 0 ? .error : .unset, statusMessage: i % 50 == 0 ? "access denied" : "",
                attributes: [
                    SpanAttribute("teleport.component", .string("auth")), SpanAttribute("rpc.system", .string("grpc")),
                    SpanAttribute("rpc.method", .string("GenerateUserCerts")), SpanAttribute("teleport.user", .string("alice")),
                    SpanAttribute("backend.key", .string("/users/alice/params")), SpanAttribute("attempt", .int(Int64(i % 3))),
                ],
                resource: resource, scope: "teleport")
        }
    }
}
