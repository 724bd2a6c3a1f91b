import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

@Suite("Dashboard screens (goldens)", .serialized)
struct DashboardScreenTests {
    static let sizes = [(80, 24), (160, 48)]

    @Test("Overview: header, state timeline with the degraded episode, cluster/process/runtime boxes")
    func overview() async throws {
        let snapshot = try await Fixtures.snapshot()
        for (w, h) in Self.sizes {
            let screen = DashboardView.render(Fixtures.state(snapshot), width: w, height: h)
            Golden.check(screen, "overview-\(w)x\(h)")
            #expect(screen.text.contains(" OK "))
            #expect(screen.text.contains("v17.2.1"))
            #expect(screen.text.contains("pid 4242"))
        }
    }

    @Test("Section tab: families with rates, one expanded into its series, one histogram's quantiles")
    func authTab() async throws {
        let snapshot = try await Fixtures.snapshot()
        var state = Fixtures.state(snapshot, tab: .auth)
        state.tables.expanded = ["backend_requests", "backend_read_seconds"]
        for (w, h) in Self.sizes {
            let screen = DashboardView.render(state, width: w, height: h)
            Golden.check(screen, "auth-\(w)x\(h)")
            #expect(screen.text.contains("backend_requests"))
        }
    }

    @Test("Every other section tab: its catalog sections' families with rates", arguments: [Tab.proxy, .ssh, .kubernetes, .database, .runtime])
    func sectionTabs(tab: Tab) async throws {
        let snapshot = try await Fixtures.snapshot(scrapes: 3)
        var state = Fixtures.state(snapshot, tab: tab)
        state.now = Fixtures.t0.addingTimeInterval(6)
        for (w, h) in Self.sizes {
            let screen = DashboardView.render(state, width: w, height: h)
            Golden.check(screen, "\(tab.shortTitle.lowercased())-\(w)x\(h)")
            // Only the tab's own families are listed, and its first one is.
            let words = Set(screen.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
            let own = snapshot.families.filter { $0.group == tab.group }.map(\.name)
            let others = snapshot.families.filter { $0.group != tab.group }.map(\.name)
            #expect(own.isEmpty || own.contains { words.contains($0) }, "none of \(own.prefix(3)) on screen")
            #expect(others.filter { words.contains($0) } == [])
        }
    }

    @Test("Raw browser: every family with HELP, filtered by a regular expression")
    func raw() async throws {
        let snapshot = try await Fixtures.snapshot()
        var state = Fixtures.state(snapshot, tab: .raw)
        for (w, h) in Self.sizes {
            Golden.check(DashboardView.render(state, width: w, height: h), "raw-\(w)x\(h)")
        }
        state.tables.filter = "^teleport_kubernetes_server"
        let filtered = DashboardView.render(state, width: 160, height: 48)
        Golden.check(filtered, "raw-filtered-160x48")
        Golden.check(DashboardView.render(state, width: 80, height: 24), "raw-filtered-80x24")
        #expect(!filtered.text.contains("backend_requests"))
        // A family no section tab shows is marked Other, with its HELP beside it.
        let store = MetricStore(target: "t", interval: .seconds(2))
        let name = "fixture_custom_depth"
        await store.ingest(
            ScrapeResult(
                time: Fixtures.t0, duration: .milliseconds(1), bytes: 64,
                families: [
                    MetricFamily(name: name, type: .gauge, help: "A family no catalog section or name prefix claims.", samples: [Sample(name: name, value: 3)]),
                    MetricFamily(
                        name: "backend_requests", type: .counter, help: "Number of requests to the backend.",
                        samples: [Sample(name: "backend_requests", value: 1)]),
                ]))
        state = Fixtures.state(await store.snapshot(), tab: .raw)
        let lines = DashboardView.render(state, width: 160, height: 48).text.split(separator: "\n")
        let line = try #require(lines.first { $0.contains(" \(name) ") })
        #expect(line.contains(" Other ") && line.contains("A family no catalog section"))
        #expect(try #require(lines.first { $0.contains(" backend_requests ") }).contains(" Auth "))
        state.tables.filter = "!^(teleport_|backend_|proxy_|grpc_|auth_|audit_|watcher_)"
        #expect(!DashboardView.render(state, width: 160, height: 48).text.contains("teleport_kubernetes"))
    }

    @Test("Histogram view: windows, quantiles, bucket bars")
    func histogram() async throws {
        let snapshot = try await Fixtures.snapshot()
        var state = Fixtures.state(snapshot, tab: .auth)
        let family = try #require(snapshot.family("backend_read_seconds"))
        state.histogram = HistogramSelection(family: family.name, labels: family.histograms[0].labels)
        for (w, h) in Self.sizes {
            let screen = DashboardView.render(state, width: w, height: h)
            Golden.check(screen, "histogram-\(w)x\(h)")
            #expect(screen.text.contains("p99"))
        }
    }

    @Test("Histogram view with 40 scrapes: the heatmap of bucket increases beside the last interval's bars")
    func histogramHeatmap() async throws {
        let family = "backend_read_seconds"
        let labels = [Label("component", "backend")]
        let store = try await GoldenSnapshots.store(scrapes: 40)
        let heatmap = try #require(await store.heatmap(family: family, labels: labels))
        #expect(heatmap.columns.count == 39)
        var state = Fixtures.state(await store.snapshot(), tab: .auth)
        state.now = Fixtures.t0.addingTimeInterval(80)
        state.histogram = HistogramSelection(family: family, labels: labels)
        state.heatmap = heatmap
        for (w, h) in Self.sizes {
            let screen = DashboardView.render(state, width: w, height: h)
            Golden.check(screen, "histogram-heatmap-\(w)x\(h)")
            #expect(screen.text.contains("oldest ← → newest"))
        }
    }

    @Test("Tab 2's views: tctl top's Backend, Cache, Watcher and Audit boxes")
    func authViews() async throws {
        let snapshot = try await Fixtures.snapshot(scrapes: 6)
        var state = Fixtures.state(snapshot, tab: .auth)
        state.now = Fixtures.t0.addingTimeInterval(12)
        for view in AuthView.allCases where view != .families {
            state.tables.authView = view
            for (w, h) in Self.sizes {
                let screen = DashboardView.render(state, width: w, height: h)
                Golden.check(screen, "auth-\(view.rawValue)-\(w)x\(h)")
                #expect(screen.text.contains(" \(view.rawValue) "))
            }
        }
        state.tables.authView = .backend
        let busiest = try #require(PanelFigures.backendRequests(snapshot, component: "backend").first)
        let text = DashboardView.render(state, width: 160, height: 48).text
        let firstRow = try #require(text.split(separator: "\n").first { $0.contains(busiest.key) })
        #expect(firstRow.contains(Format.number(busiest.rate!)))
    }

    @Test("Help lists every key of the context; 9 from a section tab opens the Profiles checklist")
    func helpAndComing() async throws {
        let snapshot = try await Fixtures.snapshot()
        var state = Fixtures.state(snapshot, tab: .auth)
        state.showHelp = true
        let help = DashboardView.render(state, width: 80, height: 24)
        Golden.check(help, "help-80x24")
        let wide = DashboardView.render(state, width: 160, height: 48)
        Golden.check(wide, "help-160x48")
        for binding in KeyTable.help(for: .table) {
            if case .selectTab = binding.action { continue }
            #expect(wide.text.contains(binding.help), "\(binding.help)")
            #expect(help.text.contains(" \(binding.label) "), "\(binding.label)")
        }
        state.showHelp = false
        state.tab = .profiles
        Golden.check(DashboardView.render(state, width: 80, height: 24), "profiles-from-auth-80x24")
    }

    @Test("Unreachable: the classified error, the retry countdown, the last data marked stale")
    func unreachable() async throws {
        let snapshot = try await Fixtures.snapshot(failLast: true)
        let screen = DashboardView.render(Fixtures.state(snapshot), width: 80, height: 24)
        Golden.check(screen, "unreachable-80x24")
        Golden.check(DashboardView.render(Fixtures.state(snapshot), width: 160, height: 48), "unreachable-160x48")
        #expect(screen.text.contains("UNREACHABLE"))
        #expect(screen.text.contains("connection refused"))
        #expect(screen.text.contains("stale"))
    }

    @Test("Chart glyph sets: braille and ascii draw the same screen with their own glyphs", arguments: [Symbols.braille, .ascii])
    func symbols(symbols: Symbols) async throws {
        let snapshot = try await Fixtures.snapshot()
        let screen = DashboardView.render(Fixtures.state(snapshot), width: 160, height: 48, symbols: symbols)
        Golden.check(screen, "overview-\(symbols.rawValue)-160x48")
        let block = DashboardView.render(Fixtures.state(snapshot), width: 160, height: 48, symbols: .block).text
        #expect(block.contains("█"))
        if symbols == .ascii {
            #expect(
                !screen.text.unicodeScalars.contains { (0x2580...0x259F).contains($0.value) || (0x2800...0x28FF).contains($0.value) },
                "no block or braille glyph")
        } else {
            #expect(screen.text.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) })
        }
    }

    @Test("A 40x12 terminal says it is too small")
    func tooSmall() async throws {
        let screen = DashboardView.render(Fixtures.state(try await Fixtures.snapshot()), width: 40, height: 12)
        Golden.check(screen, "too-small-40x12")
        #expect(screen.text.contains("terminal too small"))
    }
}

@Suite("Reducer and keys")
struct ReducerTests {
    @Test("Keys map through one table; tabs, movement, expansion, histogram, back")
    func navigation() async throws {
        let snapshot = try await Fixtures.snapshot()
        var state = Fixtures.state(snapshot)
        func press(_ key: KeyCode) -> [Effect] {
            guard let action = KeyTable.action(for: key, in: Reducer.context(state)) else { return [] }
            return Reducer.reduce(&state, action)
        }
        _ = press(.character("2"))
        #expect(state.tab == .auth)
        _ = press(.tab)
        #expect(state.tab == .proxy)
        _ = press(.backTab)
        _ = press(.character("j"))
        _ = press(.down)
        #expect(state.selectedRow == 2)
        _ = press(.character("g"))
        #expect(state.selectedRow == 0)
        let rows = TableRows.rows(state)
        guard case .family(let first) = rows[0] else {
            Issue.record("first row is not a family")
            return
        }
        _ = press(.enter)
        #expect(state.tables.expanded.contains(snapshot.families[first].name))
        #expect(TableRows.rows(state).count > rows.count)
        _ = press(.character("G"))
        #expect(state.selectedRow == TableRows.rows(state).count - 1)
        _ = press(.character("/"))
        #expect(Reducer.context(state) == .filter)
        for c in "read_sec" { _ = press(.character(c)) }
        _ = press(.enter)
        #expect(state.tables.filter == "read_sec")
        #expect(Reducer.context(state) == .table)
        _ = press(.character("g"))
        _ = press(.enter)  // expand backend_read_seconds
        _ = press(.down)
        _ = press(.enter)  // open its first histogram series
        #expect(state.histogram?.family.hasSuffix("read_seconds") == true)
        #expect(Reducer.context(state) == .histogram)
        _ = press(.escape)
        #expect(state.histogram == nil)
        _ = press(.escape)
        #expect(state.tables.filter.isEmpty)
        #expect(press(.character("q")) == [.quit])
        #expect(state.quit)
    }

    @Test("Pause freezes the screen while data keeps coming; +/- step the interval; x only in embedded mode")
    func pauseIntervalInject() async throws {
        let first = try await Fixtures.snapshot(scrapes: 2)
        let second = try await Fixtures.snapshot(scrapes: 3)
        var state = Fixtures.state(first)
        _ = Reducer.reduce(&state, .togglePause)
        Reducer.receive(&state, second)
        #expect(state.snapshot.scrapeCount == 2)
        #expect(state.latest.scrapeCount == 3)
        _ = Reducer.reduce(&state, .togglePause)
        #expect(state.snapshot.scrapeCount == 3)
        // Each step starts from the interval asked for last, not from the snapshot's (which
        // lags until the next scrape): + then - comes back to 2 s.
        #expect(Reducer.reduce(&state, .faster) == [.setInterval(.seconds(1))])
        #expect(Reducer.reduce(&state, .slower) == [.setInterval(.seconds(2))])
        #expect(Reducer.reduce(&state, .slower) == [.setInterval(.seconds(5))])
        #expect(Reducer.reduce(&state, .retryNow) == [.retryNow])
        #expect(Reducer.reduce(&state, .injectFailure) == [])
        #expect(state.message?.contains("embedded") == true)
        state.isEmbedded = true
        #expect(Reducer.reduce(&state, .injectFailure) == [.injectFailure])
    }

    @Test("Help and hints say what a key does on this screen: the screen's own binding hides the table's and the global one")
    func helpPerScreen() {
        let spans = KeyTable.help(for: .spans).map(\.help)
        #expect(spans.contains("order: newest first or slowest first"))
        #expect(!spans.contains("cycle sort: name, rate, value"))
        #expect(!spans.contains("expand family / open histogram"))
        #expect(spans.contains("move down"))  // the table's movement still applies to the feed
        let checklist = KeyTable.help(for: .profiles)
        #expect(checklist.contains { $0.label == "Space" && $0.action == .toggleKind })
        #expect(!checklist.contains { $0.action == .togglePause })
        // Dispatch agrees with help: every key help lists does what help says.
        for context in KeyContext.allCases where context != .filter {
            for binding in KeyTable.help(for: context) {
                #expect(binding.keys.contains { KeyTable.action(for: $0, in: context) == binding.action }, "\(context) \(binding.label)")
            }
        }
        // Keys of other screens do nothing on the checklist (s sorts tables, not kinds).
        #expect(KeyTable.action(for: .character("s"), in: .profiles) == nil)
        #expect(KeyTable.action(for: .controlRight, in: .waterfall) == .nextTab)
        #expect(KeyTable.action(for: .right, in: .waterfall) == .unfold)
    }

    @Test("S keeps the selected span's service, again every service")
    func serviceFilter() async throws {
        var state = Fixtures.state(try await Fixtures.snapshot(), tab: .spans)
        let store = await SpanFixtures.store()
        SpansReducer.receive(&state, await store.snapshot(now: SpanFixtures.now))
        state.selection[.spans] = 1
        let service = state.spans.feed[1].service
        let effects = Reducer.reduce(&state, KeyTable.action(for: .character("S"), in: .spans)!)
        #expect(plain(effects) == [.querySpans(request: 0, SpanQuery(service: service), trace: nil)])
        #expect(plain(Reducer.reduce(&state, .toggleServiceFilter)) == [.querySpans(request: 0, SpanQuery(), trace: nil)])
    }

    @Test("Every binding's keys are unique within its context")
    func uniqueKeys() {
        for context in KeyContext.allCases {
            let keys = KeyTable.bindings.filter { $0.context == context }.flatMap(\.keys)
            #expect(Set(keys).count == keys.count, "\(context)")
        }
    }
}
