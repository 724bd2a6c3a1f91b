import Foundation
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

/// The span ring, trace assembly, operation stats and queries, from hand-made spans whose
/// figures are known.
@Suite("Span store")
struct SpanStoreTests {
    static let resourceA = SpanResource(attributes: [
        SpanAttribute("service.name", .string("proxy")), SpanAttribute("teleport.forwarded.for", .string("alice")),
    ])
    static let resourceB = SpanResource(attributes: [SpanAttribute("service.name", .string("auth"))])
    static let base: UInt64 = 1_800_000_000_000_000_000

    static func span(
        _ trace: UInt64, _ id: UInt64, parent: UInt64? = nil, name: String = "op", start: UInt64 = 0, ms: UInt64 = 10,
        error: Bool = false, resource: SpanResource = resourceA, attributes: [SpanAttribute] = []
    ) -> SpanRecord {
        SpanRecord(
            traceID: TraceID(high: 1, low: trace), spanID: SpanID(id), parentSpanID: parent.map(SpanID.init), name: name,
            startNanos: base + start * 1_000_000, endNanos: base + (start + ms) * 1_000_000, status: error ? .error : .unset,
            statusMessage: error ? "boom" : "", attributes: attributes, resource: resource)
    }

    @Test("IDs: 16 and 8 bytes exactly, zero IDs invalid, hex text")
    func ids() {
        let bytes: [UInt8] = Array(1...16)
        let trace = TraceID(bytes: bytes)
        #expect(trace?.bytes == bytes)
        #expect(trace?.description == "0102030405060708090a0b0c0d0e0f10")
        #expect(trace?.short == "01020304")
        #expect(TraceID(bytes: [UInt8](repeating: 0, count: 16)) == nil)
        #expect(TraceID(bytes: bytes.dropLast()) == nil)
        #expect(SpanID(bytes: [0, 0, 0, 0, 0, 0, 1, 0])?.value == 256)
        #expect(SpanID(bytes: [UInt8](repeating: 0, count: 8)) == nil)
        #expect(SpanID(bytes: [1, 2, 3]) == nil)
    }

    @Test("The ring keeps the newest spans, evicts the oldest, and its trace index follows")
    func ring() {
        var ring = SpanRing(capacity: 5)
        for i in 0..<12 { ring.append(Self.span(UInt64(i % 3), UInt64(i + 1))) }
        #expect(ring.count == 5)
        #expect(ring.received == 12)
        #expect(ring.evicted == 7)
        #expect(ring.newestFirst().map(\.spanID.value) == [12, 11, 10, 9, 8])
        // Trace 1 had spans 2, 5, 8, 11: only 8 and 11 are held.
        #expect(ring.trace(TraceID(high: 1, low: 1)).map(\.spanID.value) == [8, 11])
        #expect(ring.traceCount == 3)
        for i in 12..<100 { ring.append(Self.span(UInt64(1000 + i), UInt64(i + 1))) }
        #expect(ring.traceCount == 5)
        #expect(ring.trace(TraceID(high: 1, low: 1)).isEmpty)
    }

    @Test("A trace assembles into a tree: children by start, orphans kept as roots, cycles and duplicates survive")
    func tree() {
        let spans = [
            Self.span(7, 3, parent: 1, name: "child-late", start: 20),
            Self.span(7, 1, name: "root", start: 0, ms: 100),
            Self.span(7, 2, parent: 1, name: "child-early", start: 5),
            Self.span(7, 4, parent: 2, name: "grandchild", start: 6, ms: 2, error: true),
            Self.span(7, 5, parent: 99, name: "orphan", start: 50),
            Self.span(7, 2, parent: 1, name: "child-early", start: 5),  // duplicate
            Self.span(7, 8, parent: 9, name: "cycle-a", start: 60), Self.span(7, 9, parent: 8, name: "cycle-b", start: 61),
        ]
        let tree = TraceTree(traceID: TraceID(high: 1, low: 7), spans: spans)
        #expect(tree.nodes.map(\.span.name) == ["root", "child-early", "grandchild", "child-late", "orphan", "cycle-a", "cycle-b"])
        #expect(tree.nodes.map(\.depth) == [0, 1, 2, 1, 0, 0, 1])
        #expect(tree.nodes[0].descendants == 3)
        #expect(tree.nodes[4].orphan)
        #expect(tree.errorCount == 1)
        #expect(tree.duration == 0.1)
        #expect(tree.visible(folded: [SpanID(2)]).map(\.span.name) == ["root", "child-early", "child-late", "orphan", "cycle-a", "cycle-b"])
        #expect(tree.visible(folded: [SpanID(1)]).map(\.span.name) == ["root", "orphan", "cycle-a", "cycle-b"])
    }

    @Test("Operation stats over a window equal hand-computed rate, error %, p50, p99")
    func operations() {
        // 100 "read" spans of 1...100 ms ending in the last 10 s, 5 of them errors; 3 "write"
        // spans; 2 spans that ended before the window.
        var spans: [SpanRecord] = []
        for i in 1...100 { spans.append(Self.span(UInt64(i), UInt64(i), name: "read", start: UInt64(10_000 + i * 50), ms: UInt64(i), error: i % 20 == 0)) }
        for i in 1...3 { spans.append(Self.span(UInt64(200 + i), UInt64(200 + i), name: "write", start: 15_000, ms: 7, resource: Self.resourceB)) }
        spans.append(Self.span(300, 300, name: "read", start: 0, ms: 500))
        spans.append(Self.span(301, 301, name: "read", start: 100, ms: 500))
        let now = Self.base + 20_000 * 1_000_000
        let stats = OperationStats.compute(spans, now: now, window: 10)
        #expect(stats.map(\.operation) == ["read", "write"])
        let read = stats[0]
        #expect(read.service == "proxy")
        #expect(read.count == 100)
        #expect(read.rate == 10)
        #expect(read.errors == 5)
        #expect(read.errorPercent == 5)
        #expect(read.p50 == 0.05)
        #expect(read.p99 == 0.099)
        #expect(read.max == 0.1)
        #expect(stats[1].service == "auth")
        #expect(stats[1].count == 3)
        #expect(OperationStats.nearestRank([1, 2, 3, 4], 0.5) == 2)
        #expect(OperationStats.nearestRank([], 0.5) == 0)
    }

    @Test("Queries: service, operation, errors only, attribute pairs, regex and its inversion, order by duration")
    func queries() async {
        let store = SpanStore(capacity: 100)
        await store.add([
            Self.span(1, 1, name: "GET /web", ms: 30, attributes: [SpanAttribute("http.status_code", .int(200))]),
            Self.span(1, 2, parent: 1, name: "backend.read", ms: 80, error: true, resource: Self.resourceB),
            Self.span(2, 3, name: "GET /web", ms: 5, attributes: [SpanAttribute("http.status_code", .int(500))]),
        ])
        func names(_ query: SpanQuery) async -> [UInt64] {
            return await store.snapshot(query: query).feed.map(\.spanID.value)
        }
        #expect(await names(SpanQuery()) == [3, 2, 1])
        #expect(await names(SpanQuery(service: "auth")) == [2])
        #expect(await names(SpanQuery(operation: "GET /web")) == [3, 1])
        #expect(await names(SpanQuery(errorsOnly: true)) == [2])
        #expect(await names(SpanQuery(attributes: [("http.status_code", "500")])) == [3])
        #expect(await names(SpanQuery(attributes: [("teleport.forwarded.for", "alice")])) == [3, 1])  // resource attributes count
        #expect(await names(SpanQuery(pattern: "backend\\.")) == [2])
        #expect(await names(SpanQuery(pattern: "!backend")) == [3, 1])
        #expect(await names(SpanQuery(order: .duration)) == [2, 1, 3])
        #expect(await names(SpanQuery(limit: 2)) == [3, 2])
        #expect(await store.snapshot(query: SpanQuery(limit: 2)).matching == 3)
        #expect(await store.snapshot(query: SpanQuery(limit: 2), trace: TraceID(high: 1, low: 1)).trace?.nodes.map(\.span.spanID.value) == [1, 2])
        #expect(SpanQuery.attributePairs("a=1, b = x=y")?.map { "\($0.key)|\($0.value)" } == ["a|1", "b|x=y"])
        #expect(SpanQuery.attributePairs("a=1, nope") == nil)
    }
}
