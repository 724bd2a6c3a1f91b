import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

/// Fixed spans for the Spans tab's goldens: three services, nested requests, one failing,
/// one forwarded for a user, timed from the fixed clock.
enum SpanFixtures {
    static let now = Fixtures.t0.addingTimeInterval(7.5)
    static var nowNanos: UInt64 { UInt64(now.timeIntervalSince1970 * 1e9) }

    static let proxy = SpanResource(attributes: [
        SpanAttribute("service.name", .string("teleport")), SpanAttribute("teleport.host.name", .string("proxy-1")),
        SpanAttribute("teleport.version", .string("17.2.1")),
    ])
    static let auth = SpanResource(attributes: [SpanAttribute("service.name", .string("auth")), SpanAttribute("teleport.host.name", .string("auth-1"))])
    static let tsh = SpanResource(attributes: [SpanAttribute("service.name", .string("tsh")), SpanAttribute("teleport.forwarded.for", .string("alice"))])

    /// `count` traces, each a web request with an auth call and backend reads; every fifth fails.
    static func spans(count: Int = 12) -> [SpanRecord] {
        var spans: [SpanRecord] = []
        let base = nowNanos - 6_000_000_000
        for t in 0..<count {
            let trace = TraceID(high: 0x4bf9_2f35_77b3_4da6 &+ UInt64(t) &* 0x9e37_79b9_7f4a_7c15, low: 0xa3ce_929d_0e0e_4700 + UInt64(t))
            let start = base + UInt64(t) * 400_000_000
            let fails = t % 5 == 4
            let id = UInt64(t * 10 + 1)
            func span(
                _ n: UInt64, parent: UInt64?, _ name: String, _ from: UInt64, _ ms: UInt64, _ resource: SpanResource, kind: SpanKind = .internal,
                error: Bool = false, attributes: [SpanAttribute] = [], events: [SpanEvent] = []
            ) -> SpanRecord {
                SpanRecord(
                    traceID: trace, spanID: SpanID(id * 100 + n), parentSpanID: parent.map { SpanID(id * 100 + $0) }, name: name, kind: kind,
                    startNanos: start + from * 1_000_000, endNanos: start + (from + ms) * 1_000_000, status: error ? .error : .unset,
                    statusMessage: error ? "rpc error: code = Unavailable desc = backend timed out" : "", attributes: attributes, events: events,
                    resource: resource, scope: "teleport")
            }
            let ms = UInt64(20 + (t * 37) % 90)
            spans.append(span(2, parent: 1, "auth.GetUser", 3, ms / 2, auth, kind: .server, error: fails))
            spans.append(span(3, parent: 2, "backend.Get", 5, ms / 4, auth, kind: .client, attributes: [SpanAttribute("key", .string("/users/alice/params"))]))
            spans.append(
                span(
                    4, parent: 2, "backend.Get", 6 + ms / 4, ms / 8, auth, kind: .client, error: fails,
                    events: fails
                        ? [SpanEvent(timeNanos: start + (7 + ms / 4) * 1_000_000, name: "retry", attributes: [SpanAttribute("attempt", .int(2))])] : []))
            spans.append(span(5, parent: 1, "rbac.CheckAccess", 4 + ms / 2, 2, proxy))
            spans.append(
                span(
                    1, parent: t % 3 == 0 ? 9 : nil, "web.GET /v1/webapi/sites", 0, ms, t % 3 == 0 ? tsh : proxy, kind: .server, error: fails,
                    attributes: [SpanAttribute("http.method", .string("GET")), SpanAttribute("http.status_code", .int(fails ? 503 : 200))]))
        }
        return spans
    }

    /// Runs span queries as the effect runner does and folds the answers in.
    static func run(_ effects: [Effect], _ state: inout DashboardState, _ store: SpanStore) async {
        for case .querySpans(let request, let query, let trace) in effects {
            _ = Reducer.fold(&state, .spans(request: request, await store.snapshot(query: query, trace: trace, now: now)))
        }
    }

    static func store(count: Int = 12) async -> SpanStore {
        let store = SpanStore(capacity: 1000)
        await store.addSource("OTLP gRPC 127.0.0.1:4317")
        await store.addSource("OTLP HTTP 127.0.0.1:4318")
        await store.add(spans(count: count))
        return store
    }
}

@Suite("Spans tab (goldens)", .serialized)
struct SpansScreenTests {
    static let sizes = [(80, 24), (160, 48)]

    func state(_ snapshot: SpanSnapshot) async throws -> DashboardState {
        var state = Fixtures.state(try await Fixtures.snapshot(), tab: .spans)
        state.now = SpanFixtures.now
        SpansReducer.receive(&state, snapshot)
        return state
    }

    @Test("Feed: newest first, services, durations, errors, short trace IDs; sources line")
    func feed() async throws {
        let store = await SpanFixtures.store()
        var state = try await state(await store.snapshot(now: SpanFixtures.now))
        for (w, h) in Self.sizes {
            let screen = DashboardView.render(state, width: w, height: h)
            Golden.check(screen, "spans-feed-\(w)x\(h)")
            #expect(screen.text.contains("from OTLP gRPC 127.0.0.1:4317, OTLP HTTP 127.0.0.1:4318"))
        }
        // Errors only, by the key, through the store as the run loop does it.
        await SpanFixtures.run(Reducer.reduce(&state, .toggleErrorsOnly), &state, store)
        #expect(!state.spans.feed.isEmpty)
        #expect(state.spans.feed.allSatisfy { $0.isError })
        for (w, h) in Self.sizes { Golden.check(DashboardView.render(state, width: w, height: h), "spans-feed-errors-\(w)x\(h)") }
    }

    @Test("Operations: rate, error %, p50/p99 over the window; Enter filters the feed to one")
    func operations() async throws {
        let store = await SpanFixtures.store()
        var state = try await state(await store.snapshot(now: SpanFixtures.now))
        _ = Reducer.reduce(&state, .cycleView)
        #expect(state.spansTab.view == .operations)
        for (w, h) in Self.sizes { Golden.check(DashboardView.render(state, width: w, height: h), "spans-operations-\(w)x\(h)") }
        let first = state.spans.operations[0]
        let effects = Reducer.reduce(&state, .enter)
        #expect(state.spansTab.view == .feed)
        #expect(plain(effects) == [.querySpans(request: 0, SpanQuery(service: first.service, operation: first.operation), trace: nil)])
    }

    @Test("Waterfall: tree, ruler, bars, error marks, detail pane; folding with the keys")
    func waterfall() async throws {
        let store = await SpanFixtures.store()
        var state = try await state(await store.snapshot(now: SpanFixtures.now))
        // The newest span is the root of the newest trace (spans arrive children first).
        let trace = state.spans.feed[0].traceID
        let failing = try #require(state.spans.feed.first { $0.isError && $0.parentSpanID == nil }).traceID
        state.selection[.spans] = try #require(state.spans.feed.firstIndex { $0.traceID == failing })
        let effects = Reducer.reduce(&state, .enter)
        #expect(plain(effects) == [.querySpans(request: 0, state.spansTab.query, trace: failing)])
        #expect(trace != failing)
        await SpanFixtures.run(effects, &state, store)
        #expect(Reducer.context(state) == .waterfall)
        for (w, h) in Self.sizes {
            let screen = DashboardView.render(state, width: w, height: h)
            Golden.check(screen, "spans-waterfall-\(w)x\(h)")
            #expect(screen.text.contains("✗"))
        }
        let tree = try #require(state.spans.trace)
        #expect(tree.nodes.count == 5)
        // Down to auth.GetUser, fold it: its two backend calls disappear.
        _ = Reducer.reduce(&state, KeyTable.action(for: .down, in: .waterfall)!)
        _ = Reducer.reduce(&state, KeyTable.action(for: .left, in: .waterfall)!)
        #expect(WaterfallReducer.nodes(state).count == 3)
        for (w, h) in Self.sizes { Golden.check(DashboardView.render(state, width: w, height: h), "spans-waterfall-folded-\(w)x\(h)") }
        _ = Reducer.reduce(&state, KeyTable.action(for: .right, in: .waterfall)!)
        #expect(WaterfallReducer.nodes(state).count == 5)
        // The detail pane of the failing backend call shows its event and status message.
        _ = Reducer.reduce(&state, .top)
        for _ in 0..<3 { _ = Reducer.reduce(&state, .down) }
        let text = DashboardView.render(state, width: 160, height: 48).text
        #expect(text.contains("event +"))
        #expect(text.contains("backend timed out"))
        let back = Reducer.reduce(&state, .back)
        #expect(plain(back) == [.querySpans(request: 0, state.spansTab.query, trace: nil)])
        #expect(Reducer.context(state) == .spans)
    }

    @Test("Clicks on the feed: a row selects it (following stops), a click on the selected row opens its trace")
    func clicks() async throws {
        let store = await SpanFixtures.store()
        var state = try await state(await store.snapshot(now: SpanFixtures.now))
        let screen = DashboardView.render(state, width: 160, height: 48)
        let line = try #require(screen.regions.first { $0.target == .spanRow(2) }).y
        let lines = screen.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[line].contains(state.spans.feed[2].traceID.short), "\(lines[line])")
        #expect(Reducer.fold(&state, .input(.click(x: 20, y: line)), screen: screen).isEmpty)
        #expect(state.selection[.spans] == 2)
        #expect(!state.spansTab.follow)
        let trace = state.spans.feed[2].traceID
        let again = DashboardView.render(state, width: 160, height: 48)
        #expect(plain(Reducer.fold(&state, .input(.click(x: 20, y: line)), screen: again)) == [.querySpans(request: 0, state.spansTab.query, trace: trace)])
        #expect(Reducer.context(state) == .waterfall)
    }

    @Test("Paused: the feed stays frozen, but a trace opened from it still arrives in the waterfall")
    func openWhilePaused() async throws {
        let store = await SpanFixtures.store(count: 4)
        var state = try await state(await store.snapshot(now: SpanFixtures.now))
        _ = Reducer.reduce(&state, .togglePause)
        let frozen = state.spans.feed.map(\.spanID)
        let wanted = state.spans.feed[0].traceID
        let opened = Reducer.reduce(&state, .enter)
        #expect(plain(opened) == [.querySpans(request: 0, state.spansTab.query, trace: wanted)])
        await store.add(SpanFixtures.spans(count: 8).suffix(4))
        await SpanFixtures.run(opened, &state, store)
        #expect(state.spans.trace?.traceID == wanted)
        #expect(state.spans.feed.map(\.spanID) == frozen)
        #expect(!DashboardView.render(state, width: 80, height: 24).text.contains("loading trace"))
    }

    @Test("Paused after a filter was typed: the filter's answer is shown; new spans then stay out")
    func filterThenPause() async throws {
        let store = await SpanFixtures.store(count: 6)
        var state = try await state(await store.snapshot(now: SpanFixtures.now))
        var effects: [Effect] = []
        _ = Reducer.reduce(&state, .startFilter)
        for c in "GetUser" { effects += Reducer.reduce(&state, .filterInput(c)) }
        _ = Reducer.reduce(&state, .filterDone)
        // Paused before the store answered: the answer is the user's own filter, shown anyway.
        _ = Reducer.reduce(&state, .togglePause)
        #expect(state.paused)
        await SpanFixtures.run(Array(effects.suffix(1)), &state, store)
        #expect(!state.spans.feed.isEmpty)
        #expect(state.spans.feed.allSatisfy { $0.name.contains("GetUser") }, "\(state.spans.feed.map(\.name))")
        let frozen = state.spans.feed.map(\.spanID)
        // New spans arriving while paused: their refresh is not the user's, the feed stays.
        await store.add(SpanFixtures.spans(count: 10).suffix(4))
        let refresh = Reducer.fold(&state, .spansArrived(4))
        await SpanFixtures.run(refresh, &state, store)
        #expect(state.spans.feed.map(\.spanID) == frozen)
    }

    @Test("Follow: the newest span stays selected until the user moves; filters by key; Esc clears")
    func followAndFilters() async throws {
        let store = await SpanFixtures.store(count: 4)
        var state = try await state(await store.snapshot(now: SpanFixtures.now))
        #expect(state.spansTab.follow)
        _ = Reducer.reduce(&state, .down)
        #expect(!state.spansTab.follow)
        await store.add(SpanFixtures.spans(count: 6).suffix(5))
        SpansReducer.receive(&state, await store.snapshot(now: SpanFixtures.now))
        #expect(state.selection[.spans] == 1)
        _ = Reducer.reduce(&state, .toggleFollow)
        SpansReducer.receive(&state, await store.snapshot(now: SpanFixtures.now))
        #expect(state.selection[.spans] == 0)
        _ = Reducer.reduce(&state, .startLabelFilter)
        for c in "http.status_code=503" { _ = Reducer.reduce(&state, .filterInput(c)) }
        let effects = Reducer.reduce(&state, .filterDone)
        #expect(state.spansTab.query.attributes.map { "\($0.key)=\($0.value)" } == ["http.status_code=503"])
        #expect(effects.isEmpty)
        _ = Reducer.reduce(&state, .startFilter)
        for c in "GetUser" { _ = Reducer.reduce(&state, .filterInput(c)) }
        #expect(state.spansTab.query.pattern == "GetUser")
        _ = Reducer.reduce(&state, .filterDone)
        _ = Reducer.reduce(&state, .cycleSort)
        #expect(state.spansTab.query.order == .duration)
        #expect(plain(Reducer.reduce(&state, .back)) == [.querySpans(request: 0, SpanQuery(order: .duration), trace: nil)])
        #expect(state.spansTab.attributeText.isEmpty)
    }
}
