import Foundation
import TeleportTopTestSupport
import Testing
import Tracing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

/// Collects what a recording tracer exports.
actor CollectingSink: SpanSink {
    private(set) var spans: [SpanRecord] = []
    func export(_ batch: [SpanRecord]) async throws { spans += batch }
}

@Suite("The engine traces its own work")
struct EngineSpansTests {
    @Test("Simulated requests nest proxy -> auth -> backend, some fail with a message, some are forwarded")
    func simulatedRequests() async throws {
        let sink = CollectingSink()
        let tracing = EngineTracing.recording(sinks: [sink], batch: SpanBatchProcessor.Settings(delay: .seconds(3600)))
        let engine = DiagnosticsEngine(logSink: LogSink(handle: FileHandle(forWritingAtPath: "/dev/null")!), tracer: tracing.tracer)
        var random = SplitMix64(seed: 7)
        var emitted = 0
        for i in 0..<300 {
            emitted += SimulatedRequests.emit(
                SimulatedRequests.request(&random), engine: engine, endNanos: 1_700_000_000_000_000_000 + UInt64(i) * 1_000_000_000)
        }
        await tracing.processor!.forceFlush()
        let spans = await sink.spans
        #expect(spans.count == emitted)
        let byID = Dictionary(spans.map { ($0.spanID, $0) }, uniquingKeysWith: { a, _ in a })
        let roots = spans.filter { $0.parentSpanID == nil }
        #expect(roots.count == 300)
        for span in spans {
            if let parent = span.parentSpanID.flatMap({ byID[$0] }) {
                #expect(parent.traceID == span.traceID)
                // Children lie inside their parent's time.
                #expect(span.startNanos >= parent.startNanos && span.endNanos <= parent.endNanos, "\(span.name) in \(parent.name)")
            } else {
                #expect(span.parentSpanID == nil, "\(span.name) lost its parent")
            }
            #expect(span.endNanos > span.startNanos)
        }
        // proxy -> auth (client) -> auth (server) -> backend.
        let backend = try #require(spans.first { $0.name.hasPrefix("backend/") })
        let authServer = try #require(backend.parentSpanID.flatMap { byID[$0] })
        #expect(authServer.name.hasPrefix("proto.AuthService/") && authServer.kind == .server)
        let authClient = try #require(authServer.parentSpanID.flatMap { byID[$0] })
        #expect(authClient.name.hasPrefix("auth/") && authClient.kind == .client)
        #expect(spans.contains { $0.isError && $0.statusMessage == "access denied: invalid credentials" })
        #expect(spans.contains { $0.isError && $0.statusMessage.hasPrefix("backend timeout") })
        #expect(spans.contains { $0.attribute("teleport.forwarded.for") == "ci-bot:Bot" })
        #expect(spans.contains { $0.attribute("teleport.forwarded.for").map { SimulatedRequests.users.contains($0) } == true })
        #expect(Set(roots.map(\.name)).count == 5)
        #expect(spans.allSatisfy { $0.service == "teleport" && $0.resource.attributes.contains { $0.key == "teleport.host.uuid" } })
    }

    @Test("Heartbeats are spans: component, result, state changes as events, failures as errors")
    func heartbeats() async throws {
        let sink = CollectingSink()
        let tracing = EngineTracing.recording(sinks: [sink], batch: SpanBatchProcessor.Settings(delay: .seconds(3600)))
        let engine = DiagnosticsEngine(logSink: LogSink(handle: FileHandle(forWritingAtPath: "/dev/null")!), tracer: tracing.tracer)
        HeartbeatService.traced(engine, .ok, component: "auth")
        HeartbeatService.traced(engine, .failed, component: "proxy")
        await tracing.processor!.forceFlush()
        let spans = await sink.spans
        #expect(spans.map(\.name) == ["heartbeat/announce", "heartbeat/announce"])
        #expect(spans[0].attribute("teleport.component") == "auth")
        #expect(spans[0].attribute("heartbeat.result") == "ok")
        #expect(spans[0].events.contains { $0.name == "state changed" && $0.attributes.contains { $0.key == "to" && $0.value == .string("ok") } })
        #expect(spans[1].isError)
        #expect(spans[1].statusMessage.contains("heartbeat of proxy failed"))
        #expect(spans[0].kind == .client)
    }

    @Test("The embedded engine delivers its spans in-process to a span store: heartbeats and nested requests")
    func embeddedDelivery() async throws {
        let store = SpanStore(capacity: 10_000)
        let embedded = try await EmbeddedTeleport.start(
            logSink: LogSink(handle: FileHandle(forWritingAtPath: "/dev/null")!), episodes: false, spans: store,
            spanDelay: .milliseconds(50), requestInterval: .milliseconds(20))
        let deadline = ContinuousClock.now + .seconds(30)
        var spans: [SpanRecord] = []
        while ContinuousClock.now < deadline {
            spans = await store.snapshot(query: SpanQuery(limit: Int.max)).feed
            if spans.filter({ $0.name == "heartbeat/announce" }).count >= 5 && spans.filter({ $0.name.hasPrefix("backend/") }).count >= 3 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(
            Set(spans.filter { $0.name == "heartbeat/announce" }.compactMap { $0.attribute("teleport.component") }) == ["auth", "proxy", "node", "kube", "db"])
        let backend = try #require(spans.first { $0.name.hasPrefix("backend/") })
        let tree = TraceTree(traceID: backend.traceID, spans: await store.trace(backend.traceID))
        #expect(tree.nodes.count >= 4)
        #expect((tree.nodes.map(\.depth).max() ?? 0) >= 3)
        #expect(tree.nodes.allSatisfy { !$0.orphan })
        #expect(await store.snapshot().services == ["teleport"])
        // Scrapes are the engine's work too: one server span per /metrics answered.
        let client = try DiagClient(target: embedded.target)
        _ = try await client.scrape().get()
        await client.shutdown()
        await embedded.stop()
        let scrape = try #require(await store.snapshot(query: SpanQuery(limit: Int.max)).feed.first { $0.name == "diag/metrics" })
        #expect(scrape.kind == .server)
        #expect(scrape.attribute("http.route") == "/metrics")
        #expect(Int(scrape.attribute("metrics.exposition_bytes") ?? "") ?? 0 > 10_000)
        // Every span held came from a finished request, heartbeat or scrape.
        #expect(await store.snapshot().feed.allSatisfy { $0.endNanos >= $0.startNanos })
    }
}
