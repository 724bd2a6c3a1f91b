import Foundation
import Logging
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

extension TracingPeers {
    /// Our OTLP receivers (through `SpanIntake`, as the dashboard runs them) against the real
    /// OpenTelemetry Python SDK and grpcio clients.
    @Suite("OTLP receivers with Python's OpenTelemetry SDK", .serialized, .enabled(if: PythonOTel.enabled))
    struct ReceiverPeerTests {
        typealias Running = RunningReceivers

        static func start(grpc: Bool = true, http: Bool = true, grpcPort: Int = 0, httpPort: Int = 0, tls: ReceiverTLS? = nil) async throws -> Running {
            try await RunningReceivers.start(grpc: grpc, http: http, grpcPort: grpcPort, httpPort: httpPort, tls: tls)
        }

        /// The spans sent and the spans held must be the same set: IDs (16 and 8 bytes), parent
        /// links and names, with nothing extra.
        func expectSame(_ sent: [PythonOTel.Sent.Span], _ held: [SpanRecord]) {
            struct Key: Hashable {
                var trace: String, span: String, parent: String?, name: String
            }
            let sentKeys = Set(sent.map { Key(trace: $0.trace, span: $0.span, parent: $0.parent, name: $0.name) })
            let heldKeys = Set(
                held.map { Key(trace: $0.traceID.description, span: $0.spanID.description, parent: $0.parentSpanID?.description, name: $0.name) })
            #expect(sent.count == sentKeys.count)
            #expect(held.count == sent.count)
            let differing = heldKeys.symmetricDifference(sentKeys)
            #expect(differing.isEmpty, "\(differing.count) spans differ, e.g. \(differing.prefix(2).map { "\($0.name) \($0.span)" })")
            #expect(held.allSatisfy { $0.traceID.bytes.count == 16 && $0.spanID.bytes.count == 8 })
            // Every parent is a span of the same trace.
            let byID = Dictionary(held.map { ($0.spanID, $0) }, uniquingKeysWith: { a, _ in a })
            for span in held {
                if let parent = span.parentSpanID {
                    #expect(byID[parent]?.traceID == span.traceID, "parent of \(span.name) missing")
                }
            }
        }

        @Test("gRPC: every span the SDK sends arrives with its IDs and parent links; gzip too", arguments: [false, true])
        func grpcSDK(gzip: Bool) async throws {
            let running = try await Self.start(http: false)
            let grpc = try #require(running.grpc)
            let (sent, status, stderr) = try await PythonOTel.send(protocol: "grpc", endpoint: grpc, traces: 12, extra: gzip ? ["--gzip"] : [])
            #expect(status == 0, "\(stderr)")
            #expect(sent.spans.count == 120)  // 12 traces of 1 + 3 + 3 x 2
            #expect(sent.exported == sent.spans.count)
            let held = await running.spans()
            expectSame(sent.spans, held)
            #expect(held.contains { $0.isError && $0.statusMessage == "simulated failure" })
            #expect(held.allSatisfy { $0.service == "python-sender" })
            #expect(held.first { $0.name.hasPrefix("grandchild") }?.attribute("test.flag") == "true")
            await running.stop()
        }

        @Test("HTTP protobuf: every span the SDK sends arrives, gzip and plain", arguments: [false, true])
        func httpSDK(gzip: Bool) async throws {
            let running = try await Self.start(grpc: false)
            let http = try #require(running.http)
            let (sent, status, stderr) = try await PythonOTel.send(
                protocol: "http", endpoint: "http://\(http)/v1/traces", traces: 15, extra: gzip ? ["--gzip"] : [])
            #expect(status == 0, "\(stderr)")
            #expect(sent.spans.count == 150)
            expectSame(sent.spans, await running.spans())
            #expect(await running.store.received == 150)
            await running.stop()
        }

        static func jsonBody(traceID: String, spanID: String, parentID: String, name: String) -> String {
            """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-client"}}]},
            "scopeSpans":[{"scope":{"name":"hand-made"},"spans":[
            {"traceId":"\(traceID)","spanId":"\(spanID)","parentSpanId":"\(parentID)","name":"\(name)","kind":2,
             "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000250000000",
             "attributes":[{"key":"teleport.forwarded.for","value":{"stringValue":"alice"}}],
             "status":{"code":2,"message":"denied"}}]}]}]}
            """
        }

        @Test("HTTP JSON: hex IDs (the OTLP spec's) and base64 IDs (protojson's) both decode to the same bytes")
        func httpJSON() async throws {
            let running = try await Self.start(grpc: false)
            let url = "http://\(try #require(running.http))/v1/traces"
            let trace = "5b8efff798038103d269b633813fc60c"
            let hex = Self.jsonBody(traceID: trace, spanID: "eee19b7ec3c1b174", parentID: "eee19b7ec3c1b173", name: "hex")
            let traceBase64 = Data(hex: trace)!.base64EncodedString()
            let spanBase64 = Data(hex: "0102030405060708")!.base64EncodedString()
            let parentBase64 = Data(hex: "eee19b7ec3c1b174")!.base64EncodedString()
            #expect(traceBase64.count == 24 && spanBase64.count == 12)
            let base64 = Self.jsonBody(traceID: traceBase64, spanID: spanBase64, parentID: parentBase64, name: "base64")
            for body in [hex, base64] {
                let result = try await PythonOTel.runScript("export_raw.py", ["--http", url, "--json"], input: Data(body.utf8))
                #expect(result.stdout.contains("\"status\": 200"), "\(result.stdout) \(result.stderr)")
                #expect(result.stdout.contains("\"rejected_spans\": 0"))
            }
            let held = await running.spans().sorted { $0.name > $1.name }
            #expect(held.map(\.name) == ["hex", "base64"])
            #expect(held.allSatisfy { $0.traceID.description == trace })
            #expect(held[0].spanID.description == "eee19b7ec3c1b174")
            #expect(held[0].parentSpanID?.description == "eee19b7ec3c1b173")
            #expect(held[1].spanID.description == "0102030405060708")
            #expect(held[1].parentSpanID?.description == "eee19b7ec3c1b174")
            #expect(held.allSatisfy { $0.isError && $0.statusMessage == "denied" && $0.attribute("teleport.forwarded.for") == "alice" })
            #expect(held.allSatisfy { $0.kind == .server && $0.duration == 0.25 && $0.service == "json-client" })
            await running.stop()
        }

        /// A request with one good span and two malformed ones (a 6-byte span ID, a zero trace ID).
        static let malformed = """
            {"resourceSpans":[{"scopeSpans":[{"spans":[
            {"traceId":"AQIDBAUGBwgJCgsMDQ4PEA==","spanId":"AQIDBAUGBwg=","name":"good"},
            {"traceId":"AQIDBAUGBwgJCgsMDQ4PEA==","spanId":"AQIDBAUG","name":"short-id"},
            {"traceId":"AAAAAAAAAAAAAAAAAAAAAA==","spanId":"AQIDBAUGBwg=","name":"zero-trace"}]}]}]}
            """

        @Test("A malformed span gets an OTLP partial-success answer over gRPC and HTTP; the good one is kept")
        func partialSuccess() async throws {
            let running = try await Self.start()
            let grpcAddress = try #require(running.grpc)
            let httpURL = "http://\(try #require(running.http))/v1/traces"
            let grpc = try await PythonOTel.runScript("export_raw.py", ["--grpc", grpcAddress], input: Data(Self.malformed.utf8))
            #expect(grpc.stdout.contains("\"status\": \"OK\""), "\(grpc.stdout) \(grpc.stderr)")
            #expect(grpc.stdout.contains("\"rejected_spans\": 2"))
            #expect(grpc.stdout.contains("short-id"))
            let http = try await PythonOTel.runScript("export_raw.py", ["--http", httpURL], input: Data(Self.malformed.utf8))
            #expect(http.stdout.contains("\"status\": 200"), "\(http.stdout) \(http.stderr)")
            #expect(http.stdout.contains("\"rejected_spans\": 2"))
            let snapshot = await running.store.snapshot()
            #expect(snapshot.received == 2)
            #expect(snapshot.rejected == 4)
            #expect(await running.spans().allSatisfy { $0.name == "good" })
            // A body that is not a request at all: 400 with a google.rpc.Status, nothing stored.
            let garbage = try await PythonOTel.runScript(
                "export_raw.py", ["--http", httpURL, "--json"],
                input: Data("{\"resourceSpans\": 7".utf8))
            #expect(garbage.stdout.contains("\"status\": 400"), "\(garbage.stdout)")
            #expect(await running.store.received == 2)
            await running.stop()
        }

        @Test(
            "TLS and mutual TLS receivers: the SDK with the CA (and a client certificate) gets through; without a certificate it is refused",
            arguments: ["grpc", "http"])
        func tls(proto: String) async throws {
            let ca = try await TestCA.makeOffPool()
            for mutual in [false, true] {
                let running = try await Self.start(
                    grpc: proto == "grpc", http: proto == "http",
                    tls: ReceiverTLS(certPath: ca.serverCert, keyPath: ca.serverKey, clientCAPath: mutual ? ca.caCert : nil))
                let warnings = await running.store.snapshot().warnings
                let address = try #require(proto == "grpc" ? running.grpc : running.http, "\(warnings)")
                let port = address.split(separator: ":").last!
                let endpoint = proto == "grpc" ? "localhost:\(port)" : "https://localhost:\(port)/v1/traces"
                #expect(await running.store.snapshot().sources.allSatisfy { $0.contains(" tls ") })
                var good = ["--ca", ca.caCert]
                if mutual { good += ["--cert", ca.clientCert, "--key", ca.clientKey] }
                let (sent, status, stderr) = try await PythonOTel.send(protocol: proto, endpoint: endpoint, traces: 3, extra: good)
                #expect(status == 0, "\(proto) mutual=\(mutual): \(stderr)")
                expectSame(sent.spans, await running.spans())
                if mutual {
                    // The same client without its certificate: the handshake is refused, nothing arrives.
                    let (refused, refusedStatus, _) = try await PythonOTel.send(
                        protocol: proto, endpoint: endpoint, traces: 2, extra: ["--ca", ca.caCert, "--timeout", "3"])
                    #expect(refusedStatus != 0)
                    #expect(refused.exported == 0)
                    #expect(refused.failedExports == refused.spans.count)
                    #expect(await running.store.received == sent.spans.count)
                }
                await running.stop()
            }
        }

        @Test("A busy port is a warning; the other receiver still takes spans (gRPC busy, then HTTP busy)")
        func busyPort() async throws {
            let first = try await Self.start()
            let grpcPort = try #require(first.grpc.flatMap { $0.split(separator: ":").last.flatMap { Int($0) } })
            let httpPort = try #require(first.http.flatMap { $0.split(separator: ":").last.flatMap { Int($0) } })

            let second = try await Self.start(grpcPort: grpcPort)
            let secondSnapshot = await second.store.snapshot()
            #expect(
                secondSnapshot.warnings.contains { $0.hasPrefix("OTLP gRPC 127.0.0.1:\(grpcPort)") && $0.contains("address in use") },
                "\(secondSnapshot.warnings)")
            #expect(!secondSnapshot.sources.contains { $0.hasPrefix("OTLP gRPC") })
            let secondHTTP = try #require(second.http)
            let (sentHTTP, statusHTTP, _) = try await PythonOTel.send(protocol: "http", endpoint: "http://\(secondHTTP)/v1/traces", traces: 2)
            #expect(statusHTTP == 0)
            expectSame(sentHTTP.spans, await second.spans())

            let third = try await Self.start(httpPort: httpPort)
            let thirdSnapshot = await third.store.snapshot()
            #expect(
                thirdSnapshot.warnings.contains { $0.hasPrefix("OTLP HTTP 127.0.0.1:\(httpPort)") && $0.contains("address in use") },
                "\(thirdSnapshot.warnings)")
            let thirdGRPC = try #require(third.grpc)
            let (sentGRPC, statusGRPC, _) = try await PythonOTel.send(protocol: "grpc", endpoint: thirdGRPC, traces: 2)
            #expect(statusGRPC == 0)
            expectSame(sentGRPC.spans, await third.spans())

            #expect(await first.store.received == 0)
            await third.stop()
            await second.stop()
            await first.stop()
        }
    }
}
