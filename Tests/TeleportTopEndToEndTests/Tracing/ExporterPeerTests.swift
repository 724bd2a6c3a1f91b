import Foundation
import Logging
import ServiceLifecycle
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing
import Tracing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

extension TracingPeers {
    /// The engine's exporters (swift-otel's OTLP over gRPC and HTTP, as set up by
    /// `EngineTracing`) against the Python receiver (grpcio + opentelemetry-proto).
    @Suite("Engine exporters to a Python OTLP receiver", .serialized, .enabled(if: PythonOTel.enabled))
    struct ExporterPeerTests {
        static let resource = EngineTracing.Resource(version: "16.4.2", processID: "proc-1", hostName: "host-a", hostUUID: "uuid-a")
        static let fast = SpanBatchProcessor.Settings(delay: .milliseconds(100))

        static func withTracing(_ tracing: EngineTracing, _ work: (any Tracer) async throws -> Void) async throws {
            try await withEngineTracing(tracing, work)
        }

        /// `count` traces of a root, a child and a grandchild.
        static func nested(_ tracer: any Tracer, count: Int, prefix: String = "") {
            for i in 0..<count {
                let root = tracer.startSpan("\(prefix)root", context: .topLevel, ofKind: .server)
                root.attributes["test.index"] = i
                let child = tracer.startSpan("\(prefix)child", context: root.context, ofKind: .client)
                let grandchild = tracer.startSpan("\(prefix)grandchild", context: child.context)
                if i % 4 == 3 { grandchild.setStatus(SpanStatus(code: .error, message: "boom \(i)")) }
                grandchild.end()
                child.end()
                root.end()
            }
        }

        /// Parent links of received spans: roots have none; every other parent is a received
        /// span of the same trace whose name is the expected parent's.
        func expectNesting(_ spans: [PythonOTel.Received], prefix: String = "") {
            let byID = Dictionary(spans.map { ($0.span, $0) }, uniquingKeysWith: { a, _ in a })
            let parentName = ["\(prefix)child": "\(prefix)root", "\(prefix)grandchild": "\(prefix)child"]
            for span in spans {
                #expect(span.trace.count == 32 && span.span.count == 16)
                if span.name == "\(prefix)root" {
                    #expect(span.parent.isEmpty)
                } else if let expected = parentName[span.name] {
                    #expect(byID[span.parent]?.name == expected, "parent of \(span.name)")
                    #expect(byID[span.parent]?.trace == span.trace)
                }
            }
        }

        static func config(rate: Double = 1_000_000, ca: TestCA? = nil, mutual: Bool = false) -> TracingConfig {
            TracingConfig(
                enabled: true, exporterURL: "", samplingRatePerMillion: rate, caCerts: ca.map { [$0.caCert] } ?? [],
                keypairs: mutual ? ca.map { [TracingKeypair(keyFile: $0.clientKey, certFile: $0.clientCert)] } ?? [] : [])
        }

        enum Security: String, CaseIterable, CustomStringConvertible {
            case plaintext, tls, mtls
            var description: String { rawValue }
        }

        @Test(
            "Counts exact over gRPC and HTTP, plaintext, TLS and mTLS; resource attributes as Teleport's",
            arguments: ["grpc", "http"], Security.allCases)
        func export(proto: String, security: Security) async throws {
            let ca = security == .plaintext ? nil : try await TestCA.makeOffPool()
            let receiver = try await PythonOTel.startReceiver(grpc: proto == "grpc", http: proto == "http", tls: ca, mutual: security == .mtls)
            let port = (proto == "grpc" ? receiver.grpcAddress : receiver.httpAddress)!.split(separator: ":").last!
            // grpc:// (TLS when ca_certs are given, as Teleport does); http:// with no path gets
            // /v1/traces (the receiver answers 404 anywhere else); https:// with the CA.
            let url: String
            switch (proto, security) {
            case ("grpc", _): url = "grpc://localhost:\(port)"
            case (_, .plaintext): url = "http://127.0.0.1:\(port)"
            default: url = "https://localhost:\(port)"
            }
            var config = Self.config(ca: ca, mutual: security == .mtls)
            config.exporterURL = url
            let endpoint = try #require(try config.validated())
            let tracing = try EngineTracing.exporting(to: endpoint, config: config, resource: Self.resource, batch: Self.fast)
            try await Self.withTracing(tracing) { tracer in Self.nested(tracer, count: 40) }
            let spans = await receiver.waitFor(120, timeout: .seconds(30))
            #expect(spans.count == 120, "\(receiver.process.stderr.suffix(5))")
            #expect(spans.allSatisfy { $0.transport == proto })
            #expect(Set(spans.map(\.span)).count == 120)
            #expect(Set(spans.map(\.trace)).count == 40)
            expectNesting(spans)
            let resource = try #require(spans.first?.resource)
            #expect(resource["service.name"]?.description == "teleport")
            #expect(resource["teleport.version"]?.description == "16.4.2")
            #expect(resource["teleport.process.id"]?.description == "proc-1")
            #expect(resource["teleport.host.name"]?.description == "host-a")
            #expect(resource["teleport.host.uuid"]?.description == "uuid-a")
            #expect(spans.filter { $0.status == 2 }.count == 10)
            #expect(spans.contains { $0.name == "grandchild" && $0.statusMessage == "boom 3" })
            await receiver.stop()
        }

        @Test("mTLS without a client certificate: the receiver refuses the export, nothing arrives")
        func mtlsWithoutCertificate() async throws {
            let ca = try await TestCA.makeOffPool()
            let receiver = try await PythonOTel.startReceiver(grpc: false, tls: ca, mutual: true)
            var config = Self.config(ca: ca)
            config.exporterURL = "https://localhost:\(receiver.httpAddress!.split(separator: ":").last!)"
            let tracing = try EngineTracing.exporting(
                to: try #require(try config.validated()), config: config, resource: Self.resource,
                batch: SpanBatchProcessor.Settings(delay: .milliseconds(100), exportTimeout: .seconds(3)))
            try await Self.withTracing(tracing) { tracer in Self.nested(tracer, count: 2) }
            #expect(receiver.spans().isEmpty)
            // With the keypair the same receiver takes them.
            var withCertificate = Self.config(ca: ca, mutual: true)
            withCertificate.exporterURL = config.exporterURL
            let good = try EngineTracing.exporting(
                to: try #require(try withCertificate.validated()), config: withCertificate, resource: Self.resource,
                batch: Self.fast)
            try await Self.withTracing(good) { tracer in Self.nested(tracer, count: 2) }
            #expect(await receiver.waitFor(6, timeout: .seconds(30)).count == 6)
            await receiver.stop()
        }

        @Test("https:// without ca_certs is TLS with the system's roots: a plaintext receiver gets nothing (Teleport would send in the clear)")
        func httpsWithoutMaterialIsNeverCleartext() async throws {
            let receiver = try await PythonOTel.startReceiver(grpc: false)
            var config = Self.config()
            config.exporterURL = "https://\(receiver.httpAddress!)"
            let endpoint = try #require(try config.validated())
            let tracing = try EngineTracing.exporting(
                to: endpoint, config: config, resource: Self.resource,
                batch: SpanBatchProcessor.Settings(delay: .milliseconds(100), exportTimeout: .seconds(3)))
            #expect(tracing.destination == "https://\(receiver.httpAddress!)/v1/traces")
            try await Self.withTracing(tracing) { tracer in Self.nested(tracer, count: 2) }
            #expect(receiver.spans().isEmpty)
            // The same URL as http:// reaches it: the receiver itself is fine.
            config.exporterURL = "http://\(receiver.httpAddress!)"
            let plain = try EngineTracing.exporting(to: try #require(try config.validated()), config: config, resource: Self.resource, batch: Self.fast)
            try await Self.withTracing(plain) { tracer in Self.nested(tracer, count: 2) }
            #expect(await receiver.waitFor(6, timeout: .seconds(30)).count == 6)
            await receiver.stop()
        }

        @Test("Sampler at 0 and 1000000 per million is exact; a sampled remote parent is honoured at 0")
        func samplerEdges() async throws {
            let receiver = try await PythonOTel.startReceiver(http: false)
            let url = "grpc://\(receiver.grpcAddress!)"
            let remoteTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
            let remoteSpan = "00f067aa0ba902b7"
            for rate in [0.0, 1_000_000] {
                var config = Self.config(rate: rate)
                config.exporterURL = url
                let tracing = try EngineTracing.exporting(to: try #require(try config.validated()), config: config, resource: Self.resource, batch: Self.fast)
                let prefix = rate == 0 ? "zero-" : "full-"
                try await Self.withTracing(tracing) { tracer in
                    Self.nested(tracer, count: 50, prefix: prefix)
                    // A request from a caller that sampled its trace: the child is sampled whatever the rate.
                    var context = InstrumentationContext.topLevel
                    tracer.extract(["traceparent": "00-\(remoteTrace)-\(remoteSpan)-01"], into: &context, using: DictionaryExtractor())
                    let remoteChild = tracer.startSpan("\(prefix)remote-child", context: context, ofKind: .server)
                    tracer.startSpan("\(prefix)remote-grandchild", context: remoteChild.context).end()
                    remoteChild.end()
                    // A caller that did not sample: ParentBased follows it even at 1e6.
                    var unsampled = InstrumentationContext.topLevel
                    tracer.extract(["traceparent": "00-\(remoteTrace)-\(remoteSpan)-00"], into: &unsampled, using: DictionaryExtractor())
                    tracer.startSpan("\(prefix)unsampled-child", context: unsampled).end()
                }
            }
            let all = await receiver.waitFor(154, timeout: .seconds(30))
            let zero = all.filter { $0.name.hasPrefix("zero-") }
            let full = all.filter { $0.name.hasPrefix("full-") }
            #expect(zero.map(\.name).sorted() == ["zero-remote-child", "zero-remote-grandchild"])
            #expect(full.count == 150 + 2)
            for spans in [zero, full] {
                let child = try #require(spans.first { $0.name.hasSuffix("remote-child") })
                #expect(child.trace == remoteTrace)
                #expect(child.parent == remoteSpan)
                #expect(spans.first { $0.name.hasSuffix("remote-grandchild") }?.parent == child.span)
            }
            #expect(!all.contains { $0.name.hasSuffix("unsampled-child") })
            expectNesting(full, prefix: "full-")
            #expect(all.count == 154)
            await receiver.stop()
        }

        @Test("Sampler at 500000 per million: 2,000 roots give 800-1,200 sampled, and children always follow their root")
        func samplerHalf() async throws {
            let receiver = try await PythonOTel.startReceiver(http: false)
            var config = Self.config(rate: 500_000)
            config.exporterURL = receiver.grpcAddress!
            let endpoint = try #require(try config.validated())
            #expect(endpoint == .grpc(host: "127.0.0.1", port: Int(receiver.grpcAddress!.split(separator: ":").last!)!))
            let tracing = try EngineTracing.exporting(to: endpoint, config: config, resource: Self.resource, batch: Self.fast)
            try await Self.withTracing(tracing) { tracer in
                for _ in 0..<2000 {
                    let root = tracer.startSpan("root", context: .topLevel)
                    tracer.startSpan("child", context: root.context).end()
                    root.end()
                    await Task.yield()
                }
            }
            // Whatever was sampled has been exported by now (shutdown flushes); wait for the
            // receiver's file to settle: the same count for a whole second, every root's child in
            // (a loaded machine writes it in bursts).
            var spans = receiver.spans()
            var steady = 0
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, steady < 5 {
                try await Task.sleep(for: .milliseconds(200))
                let again = receiver.spans()
                let complete = again.filter { $0.name == "root" }.count == again.filter { $0.name == "child" }.count
                steady = again.count == spans.count && complete ? steady + 1 : 0
                spans = again
            }
            let roots = spans.filter { $0.name == "root" }
            let children = spans.filter { $0.name == "child" }
            #expect((800...1200).contains(roots.count), "\(roots.count) roots sampled")
            #expect(children.count == roots.count)
            let rootIDs = Set(roots.map(\.span))
            #expect(children.allSatisfy { rootIDs.contains($0.parent) })
            await receiver.stop()
        }
    }
}

/// Reads a `[String: String]` carrier.
struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}
