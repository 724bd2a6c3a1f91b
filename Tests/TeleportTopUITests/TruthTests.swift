import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

/// What the dashboard and `snapshot` show is true when it is read (issue 22, items 1-6):
/// units by the family, ages that say when their start is unknown, each instance's own
/// captures, a hint line that ends with the capture, failures named for what they are,
/// figures of the filtered series, and a header that keeps what matters.
@Suite("Truth: numbers, ages and states")
struct TruthTests {
    // MARK: 1. Units

    @Test("1: snapshot text prints size histograms as bytes and Unix times as times (golden)")
    func snapshotTextUnits() async throws {
        let snapshot = try await Fixtures.snapshot()
        let text = SnapshotText.render(snapshot, now: Fixtures.t0.addingTimeInterval(7.5))
        Golden.check(text: text, "snapshot-text")
        let lines = text.split(separator: "\n")
        for name in ["teleport_audit_emitted_event_sizes", "watcher_event_sizes"] {
            let index = try #require(lines.firstIndex { $0.hasPrefix(name + " ") })
            let series = lines[(index + 1)...].prefix { $0.hasPrefix("  ") }.filter { $0.contains("p50") }
            #expect(!series.isEmpty, "\(name) has quantiles")
            for line in series {
                #expect(line.contains(" B") || line.contains("KiB"), "\(line)")
                #expect(!line.contains(#/p50 [0-9.]+s /#), "\(line)")
            }
        }
        let start = try #require(lines.first { $0.hasPrefix("process_start_time_seconds ") })
        #expect(start.contains("2026-11-18 09:06:40 UTC"), "\(start)")
    }

    @Test("1: units from names: sizes, durations, timestamps, plain numbers")
    func units() {
        #expect(Unit.format(1_796_621_489.6, name: "go_memstats_last_gc_time_seconds", full: true) == "2026-12-07 05:31:29 UTC")
        #expect(Unit.format(1_796_621_489.6, name: "go_memstats_last_gc_time_seconds") == "05:31:29 UTC")
        #expect(Unit.format(0.25, name: "go_gc_duration_seconds") == "250ms")
        #expect(Unit.format(1.5, name: "teleport_proxy_db_connection_setup_time_seconds") == "1.5s")
        #expect(Unit.format(1_796_621_489.6, name: "some_unnamed_epoch_seconds") == "05:31:29 UTC")
        #expect(Unit.format(2048, name: "process_resident_memory_bytes") == "2 KiB")
        #expect(QuantileText.unit(forFamily: "teleport_kubernetes_server_response_size_bytes")(3072) == "3 KiB")
        #expect(QuantileText.unit(forFamily: "watcher_event_sizes")(525) == "525 B")
        #expect(QuantileText.unit(forFamily: "teleport_audit_emitted_event_sizes")(1601.6) == "1.6 KiB")
        #expect(QuantileText.unit(forFamily: "teleport_audit_parquetlog_batch_size")(12) == "12 B")
        #expect(QuantileText.unit(forFamily: "teleport_proxy_db_attempted_servers_total")(3) == "3")
        #expect(QuantileText.unit(forFamily: "backend_read_seconds")(0.5) == "500ms")
    }

    // MARK: 2. Ages

    @Test("2: a state seen since the watching began is a lower bound: ≥ on the Overview, state_since_at_least in JSON")
    func agesAtLeast() async throws {
        var timeline = StateTimeline()
        let t0 = Fixtures.t0
        timeline.observe(.ok, at: t0)
        #expect(timeline.sinceIsLowerBound)
        #expect(timeline.lowerBoundState(from: t0.addingTimeInterval(-60)) == .ok)
        timeline.observe(.degraded, at: t0.addingTimeInterval(5))
        #expect(!timeline.sinceIsLowerBound)

        // The Overview of the golden store (ok first, then a degraded episode): "ok ≥".
        let snapshot = try await Fixtures.snapshot()
        let screen = DashboardView.render(Fixtures.state(snapshot), width: 160, height: 48).text
        #expect(screen.contains(" ok ≥ 3s  recovering 2s  degraded 2s"), "\(screen.split(separator: "\n")[4])")

        // A fleet row whose state was there from the first scrape.
        let store = try await GoldenSnapshots.store(scrapes: 1)
        let row = FleetRow(id: 0, name: "a", snapshot: await store.snapshot(), now: t0.addingTimeInterval(3))
        #expect(row.stateSinceIsLowerBound == true)
        let document = FleetDocument(source: "1 target", time: t0, rows: [row], newestVersion: nil, isOlder: { _, _ in false })
        let json = String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
        #expect(json.contains("\"state_since_at_least\""), "\(json)")
        #expect(!json.contains("\"state_since\""), "\(json)")
        var state = DashboardState(snapshot: .empty(target: "fleet", interval: .seconds(2)), isEmbedded: false, now: t0.addingTimeInterval(3))
        state.fleet = FleetState(source: "1 target", rows: [row])
        #expect(DashboardView.render(state, width: 160, height: 24).text.contains("≥3s"))
    }

    @Test("2: a target down from the first scrape went down before the watching began: down since ≤")
    func downBeforeWatching() async {
        let store = MetricStore(target: "t", interval: .seconds(1))
        await store.fail(ScrapeFailure(time: Fixtures.t0, error: .refused(target: "t"), retryAt: Fixtures.t0.addingTimeInterval(1)))
        let lines = await HeaderTruthTests.lines(store, now: 0.5)
        #expect(lines[1].contains("down since ≤ 11:06:40 UTC"), "\(lines[1])")
    }

    @Test("2: durations are rounded down")
    func roundedDown() {
        #expect(Format.duration(2.997) == "2s")
        #expect(Format.duration(59.99) == "59s")
    }

    // MARK: 3-4. Profiles

    static func fleetState() -> DashboardState {
        var a = FleetRow(id: 0, name: "auth-1", source: .direct)
        a.state = .ok
        var b = FleetRow(id: 1, name: "node-1", source: .direct)
        b.state = .unreachable
        var state = DashboardState(snapshot: .empty(target: "fleet", interval: .seconds(2)), isEmbedded: false, now: Fixtures.t0)
        state.fleet = FleetState(source: "2 targets", rows: [a, b])
        state.profiles = ProfilesTabState(seconds: 1, directory: "/tmp/p")
        return state
    }

    @Test("3: an instance's Profiles tab lists its own captures, not another instance's")
    func profilesPerInstance() throws {
        var state = Self.fleetState()
        state.fleet?.selectedID = 0
        _ = Reducer.fold(&state, .input(.key(.character("p"))))
        #expect(state.fleet?.open == 0)
        let id = try #require(state.profiles.captures.first?.id)
        _ = Reducer.fold(&state, .profile(.saved(id: id, path: "/tmp/p/auth-1-profile.pb.gz", bytes: 10)))
        state.profiles.viewer = nil
        state.tab = .profiles
        #expect(DashboardView.render(state, width: 120, height: 40).text.contains("auth-1-profile.pb.gz"))
        // I, then Enter on the other instance, tab 9.
        _ = Reducer.fold(&state, .input(.key(.character("I"))))
        state.fleet?.selectedID = 1
        _ = Reducer.fold(&state, .input(.key(.enter)))
        #expect(state.fleet?.open == 1)
        _ = Reducer.fold(&state, .input(.key(.character("9"))))
        let screen = DashboardView.render(state, width: 120, height: 40).text
        #expect(!screen.contains("auth-1-profile.pb.gz"), "\(screen)")
        #expect(screen.contains("no capture yet"))
    }

    @Test("4: the hint line stops saying 'capturing' once the files are saved; p takes --profile-seconds, not the tab's duration")
    func captureHint() throws {
        var state = DashboardState(snapshot: .empty(target: "t", interval: .seconds(2)), isEmbedded: false, now: Fixtures.t0)
        state.profiles = ProfilesTabState(seconds: 30, directory: "/tmp/p")
        state.tab = .profiles
        // The tab's duration goes to 35 s; p keeps the 30 s of --profile-seconds.
        _ = Reducer.fold(&state, .input(.key(.right)))
        #expect(state.profiles.seconds == 35)
        let effects = Reducer.fold(&state, .input(.key(.character("p"))))
        #expect(effects.contains(.captureProfiles([ProfileCaptureRequest(id: 1, kind: .profile, seconds: 30)])), "\(effects)")
        #expect(state.message == "capturing profile for 30s")
        _ = Reducer.fold(&state, .profile(.saved(id: 1, path: "/tmp/p/t-profile.pb.gz", bytes: 10)))
        let text = DashboardView.render(state, width: 120, height: 40).text
        #expect(!text.contains("capturing profile"), "\(text)")
        #expect(state.message?.hasPrefix("captures done") == true)
    }

    // MARK: 5. Failures named for what they are

    @Test("5: an answer that is not metrics is NOT METRICS, not UNREACHABLE")
    func notMetrics() async {
        let store = MetricStore(target: "t", interval: .seconds(1))
        let error = ScrapeError.notMetrics(ExpositionParseError(line: 1, reason: "unexpected character '<'"))
        await store.fail(ScrapeFailure(time: Fixtures.t0, error: error, retryAt: Fixtures.t0.addingTimeInterval(1)))
        let snapshot = await store.snapshot()
        #expect(snapshot.state == .notMetrics)
        let screen = DashboardView.render(DashboardState(snapshot: snapshot, isEmbedded: false, now: Fixtures.t0), width: 120, height: 30).text
        #expect(screen.contains("NOT METRICS"))
        #expect(!screen.contains("UNREACHABLE"))
        #expect(ObservedState(failure: .refused(target: "t")) == .unreachable)
        #expect(ObservedState(failure: .httpStatus(code: 404, path: "/metrics")) == .notMetrics)
    }

    @Test("5: a target without data does not say 'not a Go process'; the snapshot text names the failure")
    func noData() async throws {
        let store = MetricStore(target: "t", interval: .seconds(1))
        await store.fail(ScrapeFailure(time: Fixtures.t0, error: .refused(target: "t"), retryAt: nil))
        let snapshot = await store.snapshot()
        let screen = DashboardView.render(DashboardState(snapshot: snapshot, isEmbedded: false, now: Fixtures.t0), width: 160, height: 48).text
        #expect(!screen.contains("not a Go process"))
        #expect(screen.contains("no metrics yet"))
        let text = SnapshotText.render(snapshot, now: Fixtures.t0, recorded: true)
        #expect(text.contains("error      connection refused: nothing listens on t"), "\(text)")
        #expect(text.hasPrefix("moment     2026-11-18 11:06:40 UTC (recorded)"), "\(text)")
    }

    @Test("5: TLS errors read as reasons, never as BoringSSL's codes and build paths")
    func tlsText() {
        let raw =
            "handshakeFailed(NIOSSL.BoringSSLError.sslError([Error: 268435703 error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER at /work/.build/checkouts/swift-nio-ssl/Sources/CNIOBoringSSL/ssl/tls_record.cc:231]))"
        let text = TLSErrorText.describe(raw)
        #expect(text == "the peer does not speak TLS (a plain-HTTP port? use http://)")
        #expect(
            TLSErrorText.describe("sslError([Error: 1 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /x.cc:1])").contains(
                "cannot be verified"))
        #expect(!TLSErrorText.describe("handshakeFailed(something at /work/.build/x.cc:3)").contains("/work"))
    }

    // MARK: 6. Filters, header

    @Test("6: with an f label filter a family row shows the rate of the matching series")
    func filteredRate() async throws {
        let store = MetricStore(target: "t", interval: .seconds(1))
        func scrape(_ i: Int) async {
            let family = MetricFamily(
                name: "backend_requests", type: .counter,
                samples: [
                    Sample(name: "backend_requests", labels: [Label("component", "cache")], value: Double(i) * 10),
                    Sample(name: "backend_requests", labels: [Label("component", "backend")], value: Double(i) * 1000),
                ])
            await store.ingest(ScrapeResult(time: Fixtures.t0.addingTimeInterval(Double(i)), duration: .milliseconds(1), bytes: 10, families: [family]))
        }
        await scrape(0)
        await scrape(1)
        var state = DashboardState(snapshot: await store.snapshot(), isEmbedded: false, now: Fixtures.t0.addingTimeInterval(1.5))
        state.tab = .auth
        let unfiltered = DashboardView.render(state, width: 120, height: 30).text
        #expect(unfiltered.contains("1010/s"), "\(unfiltered)")
        state.tables.labelFilter = "component=\"cache\""
        let filtered = DashboardView.render(state, width: 120, height: 30).text
        let row = try #require(filtered.split(separator: "\n").first { $0.contains("▸ backend_requests") || $0.contains("▾ backend_requests") })
        #expect(row.contains("10/s") && !row.contains("1010/s"), "\(row)")
    }

    @Test("6: histogram rows keep their p99 whole")
    func histogramRowWhole() async throws {
        var state = Fixtures.state(try await Fixtures.snapshot(), tab: .auth)
        state.tables.expanded = ["backend_read_seconds"]
        for (w, h) in [(80, 24), (160, 48)] {
            let text = DashboardView.render(state, width: w, height: h).text
            for line in text.split(separator: "\n") where line.contains("p99") { #expect(!line.hasSuffix("…"), "\(w)x\(h): \(line)") }
        }
    }

    @Test("6: the header keeps the changed log level (log DEBUG*) when the /readyz text is long")
    func headerKeepsLevel() async throws {
        var state = Fixtures.state(try await Fixtures.snapshot())
        state.snapshot.readyz = ReadyzAnswer(statusCode: 503, status: "teleport is recovering from a degraded state, check the logs", pid: 4242)
        state.logs.level = "DEBUG"
        state.logs.changedFrom = "INFO"
        for width in [80, 100, 160] {
            let header = DashboardView.render(state, width: width, height: 24).text.split(separator: "\n")[0]
            #expect(header.contains("log DEBUG*"), "\(width): \(header)")
        }
    }

    @Test("6: the clock reaches the header while the V picker is open")
    func clockBehindPicker() async throws {
        var state = Fixtures.state(try await Fixtures.snapshot())
        state.logs.level = "INFO"
        state.logs.hasSocket = true
        _ = Reducer.fold(&state, .input(.key(.character("V"))))
        #expect(state.logs.picker != nil)
        _ = Reducer.fold(&state, .tick(Fixtures.t0.addingTimeInterval(7.5 + 26)))
        #expect(state.now == Fixtures.t0.addingTimeInterval(7.5 + 26))
    }

    @Test("6: the retry countdown never passes the backoff (the screen's clock behind the failure)")
    func retryCountdown() async {
        let store = MetricStore(target: "t", interval: .seconds(1))
        await HeaderTruthTests.scrape(store, at: 0)
        // Backing off 5 s from a failure at 10 s; the screen's last tick was at 9.1 s.
        await store.fail(ScrapeFailure(time: Fixtures.t0.addingTimeInterval(10), error: .refused(target: "t"), retryAt: Fixtures.t0.addingTimeInterval(15)))
        let lines = await HeaderTruthTests.lines(store, now: 9.1)
        #expect(lines[1].contains("retry in 5s"), "\(lines[1])")
    }

    @Test("7: L is listed with the tabs where it shows the Logs screen, not in the profile viewer where it means lines")
    func helpListsL() async throws {
        var state = Fixtures.state(try await Fixtures.snapshot(), tab: .raw)
        state.showHelp = true
        #expect(DashboardView.render(state, width: 160, height: 48).text.contains("1-9,0,L show that tab (L: the Logs screen, ! the Findings)"))
        state.tab = .profiles
        state.profiles.viewer = ProfileViewerState(path: "/tmp/x.pb.gz", kind: .profile)
        let viewer = DashboardView.render(state, width: 160, height: 48).text
        #expect(!viewer.contains("L: the Logs screen"), "\(viewer)")
        #expect(viewer.contains("functions or lines"))
    }

    @Test("10: on a frame below 60x16 no key or wheel acts but quit")
    func tooSmallActsOnNothing() async throws {
        var state = Fixtures.state(try await Fixtures.snapshot(), tab: .raw)
        let small = DashboardView.render(state, width: 50, height: 14)
        #expect(small.text.contains("terminal too small"))
        for key in [KeyCode.character("2"), .character("L"), .character("?"), .down] {
            #expect(Reducer.fold(&state, .input(.key(key)), screen: small).isEmpty)
        }
        _ = Reducer.fold(&state, .input(.wheelDown), screen: small)
        #expect(state.tab == .raw && !state.showHelp && state.selectedRow == 0)
        #expect(Reducer.fold(&state, .input(.key(.character("q"))), screen: small) == [.quit])
    }
}
