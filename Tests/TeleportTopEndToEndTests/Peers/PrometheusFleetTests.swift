import Foundation
import Hummingbird
import Synchronization
import TeleportTopTestPeers
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportTopData

/// The fleet read from real Prometheus-API engines (Debian's `prometheus`; Debian's
/// `victoria-metrics` with its default 30 s latency offset and with none) against the same
/// fleet polled directly: `serve --instances 3`, a `serve` with a fault schedule, a `serve`
/// killed and started again on its address, a `serve` stopped mid-test and the Go
/// client_golang fixture. States, versions and the count of state changes agree exactly
/// (as of the engine's newest visible sample: a lagging engine is compared with the direct
/// history that far back), restarts only where one happened, rates within ±10% (both are
/// averages over the same minute of the same counters; they differ by where the two sample
/// it; the test waits for a full minute of data, because PromQL's rate divides by the whole
/// range); the stopped one shows down with the engine's `lastError`.
@Suite(
    "fleet from Prometheus-API engines vs direct polling", .serialized,
    .enabled(if: Prerequisites.required(PrometheusServer.available && Prerequisites.go)))
struct PrometheusFleetTests {
    let binary = Paths.teleportTopBinary.path

    final class Focused: Sendable {
        let updates = Mutex<[FleetFocusUpdate]>([])
        let rows = Mutex<[FleetRow]>([])
    }

    /// Direct rows as they were at moments of the test.
    final class DirectRows: Sendable {
        let all = Mutex<[(time: Date, rows: [String: FleetRow])]>([])
    }

    static let engines: [PrometheusServer.Engine] = [.prometheus, .victoriaMetrics(latencyOffset: nil), .victoriaMetrics(latencyOffset: "0s")]

    @Test(
        "same instances, states, versions and changes; restarts where one happened; rates within 10%; the stopped target down with lastError; an open instance fed by its raw series",
        arguments: engines)
    func agree(engine: PrometheusServer.Engine) async throws {
        guard engine.available || Prerequisites.isCI else {
            print("skipping the fleet test against \(engine): \(engine.binary) is not installed (apt-get install \(engine.binary))")
            return
        }
        let dir = Paths.temporaryDirectory("promfleet")
        let targetsFile = dir.appendingPathComponent("serve.yaml").path
        let fleet = try ChildProcess(binary, ["serve", "--instances", "3", "--seed", "11", "--targets-out", targetsFile])
        _ = try await fleet.waitForLine(inStderr: true) { $0.contains("simulated fleet running") }
        func serve(_ extra: [String], at address: String = "127.0.0.1:0") async throws -> (ChildProcess, String) {
            let data = Paths.temporaryDirectory("promserve")
            let process = try ChildProcess(
                binary, ["serve", "--diag-addr", address, "--data-dir", data.path, "--heartbeat", "1s", "--retry", "1s", "--check-period", "1s"] + extra)
            let line = try await process.waitForLine(inStderr: true) { $0.contains("diag listener started") }
            return (process, String(try require2(line.split(separator: " ").first { $0.hasPrefix("addr=") }, "no addr").dropFirst(5)))
        }
        let (faulty, faultyAddr) = try await serve(["--fault-schedule", "ok:3,fail:4"])
        let (doomed, doomedAddr) = try await serve([])
        var (phoenix, phoenixAddr) = try await serve([])
        let go = try await GoFixture.start()
        let goAddr = String(go.baseURL.dropFirst("http://".count))
        var addresses = try TargetsFile.load(targetsFile).compactMap(\.diagAddr)
        addresses += [faultyAddr, doomedAddr, phoenixAddr, goAddr]

        // The same targets polled directly, named as the engine names them (instance =
        // host:port), from before the engine starts: its history holds all the engine's.
        let direct = try DirectFleet(
            targets: try addresses.map { DirectFleet.Target(name: $0, target: try DiagTarget(diagAddr: $0), options: .init(timeout: .seconds(5))) },
            interval: .seconds(1), history: .seconds(600))
        let pollTask = Task { await direct.run(onRow: { _ in }, onFocused: { _ in }, onStatus: { _ in }) }
        defer { pollTask.cancel() }
        func timeline(_ address: String) async -> StateTimeline? {
            guard let id = direct.members.first(where: { $0.name == address })?.id else { return nil }
            return await direct.store(for: id)?.snapshot(only: FleetRow.families).timeline
        }
        try await PrometheusServer.poll(timeout: .seconds(60), "every instance past starting") {
            await direct.rows().allSatisfy { $0.state != .starting && $0.state != .unknown && $0.state != .unreachable }
        }

        let engineStarted = Date()
        // Direct rows every half second from here on: a lagging engine's rates are those of
        // `lag` ago, so they are compared with the direct rows of that moment (rates of the
        // simulation drift by more than 10% in 30 s).
        let directRows = DirectRows()
        let recordTask = Task {
            while !Task.isCancelled {
                let now = Date()
                let rows = Dictionary(uniqueKeysWithValues: await direct.rows(now: now).map { ($0.name, $0) })
                directRows.all.withLock { $0.append((now, rows)) }
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        defer { recordTask.cancel() }
        /// The direct row of `address` recorded nearest `time` (within 1 s).
        func recordedRow(_ address: String, at time: Date) -> FleetRow? {
            directRows.all.withLock { all in
                all.min { abs($0.time.timeIntervalSince(time)) < abs($1.time.timeIntervalSince(time)) }
                    .flatMap { abs($0.time.timeIntervalSince(time)) <= 1 ? $0.rows[address] : nil }
            }
        }
        let prometheus = try await PrometheusServer.start(targets: addresses, engine: engine)
        defer { Task { await prometheus.stop() } }
        try await prometheus.waitUntil(timeout: .seconds(90), "every target scraped") {
            let targets = await prometheus.targets()
            return addresses.allSatisfy { targets[$0]?.scraped == true && targets[$0]?.health == "up" }
        }
        let client = try PrometheusClient(options: .init(baseURL: prometheus.url))
        let options = PrometheusFleet.Options(selector: try PrometheusSelector(parsing: #"{job="teleport"}"#), interval: .seconds(1), window: .seconds(600))
        let source = PrometheusFleet(client: client, options: options)
        // The changes over the last minute only: a window that slides past the edges' jitter.
        var minute = options
        minute.window = .seconds(60)
        let counting = PrometheusFleet(client: client, options: minute)
        /// An instant query's answer by `instance` (empty when it failed).
        func vector(_ promql: String, at: Date) async -> [String: Double] {
            guard let (data, _) = try? await client.query(promql, at: at) else { return [:] }
            return Dictionary(
                data.series.compactMap { series in series.value.flatMap { v in series.metric["instance"].map { ($0, v.value) } } },
                uniquingKeysWith: { a, _ in a })
        }

        /// Whether every scrape of `address` the engine failed since it started fell while
        /// direct polling saw it unreachable too (within 2 s).
        /// Direct polls of `address` between `start` and `end` that came more than 2 s after
        /// the one before (a loaded machine's late or failed polls): each may miss a state the
        /// flapping instance held for 2-4 s, or see one of its own (unreachable).
        func latePolls(_ address: String, from start: Date, to end: Date) async -> Int {
            guard let id = direct.members.first(where: { $0.name == address })?.id, let store = await direct.store(for: id) else { return 0 }
            let (history, _) = await store.findingsSource()
            var late = 0
            var previous: Double?
            for index in history.base..<history.scrapeCount {
                let time = history.time(at: index)
                if let previous, time - previous > 2, time >= start.timeIntervalSince1970, previous <= end.timeIntervalSince1970 { late += 1 }
                previous = time
            }
            return late
        }

        func failuresShared(_ address: String, _ history: StateTimeline, until: Date) async -> Bool {
            let query = "up{instance=\"\(address)\"}"
            guard let ups = try? await client.queryRange(query, start: engineStarted, end: until, step: 1).data.series.first?.values else { return false }
            return ups.filter { $0.value == 0 }.allSatisfy { point in
                [-2.0, 0, 2].contains { history.state(at: Date(timeIntervalSince1970: point.time + $0)) == .unreachable }
            }
        }

        // Killed and started again on its address, once the engine shows its first start
        // (a lagging engine shows it only after its lag).
        let phoenixQuery = "process_start_time_seconds{instance=\"\(phoenixAddr)\"}"
        try await prometheus.waitUntil(timeout: .seconds(90), "the engine shows the first start") {
            await vector(phoenixQuery, at: Date())[phoenixAddr] != nil
        }
        _ = await phoenix.stop(signal: SIGKILL)
        try await prometheus.waitUntil(timeout: .seconds(60), "the killed one down on both sides") {
            let down = await prometheus.targets()[phoenixAddr]?.health == "down"
            let unreachable = await direct.rows().first { $0.name == phoenixAddr }?.state == .unreachable
            return down && unreachable
        }
        (phoenix, phoenixAddr) = try await serve([], at: phoenixAddr)
        try await prometheus.waitUntil(timeout: .seconds(60), "the restarted one up on both sides") {
            let up = await prometheus.targets()[phoenixAddr]?.health == "up"
            let ok = await direct.rows().first { $0.name == phoenixAddr }?.state == .ok
            return up && ok
        }

        // A full minute of history on both sides: PromQL's rate(x[1m]) divides by the whole
        // minute (it under-reads while the series is younger), ours by the span it has.
        try await Task.sleep(for: .seconds(65))
        // Both sides at the same moment `at` (a refresh can take seconds on a loaded machine),
        // each instance until it agrees once. Its rates are compared only over a minute in
        // which the engine scraped it every time: a scrape that timed out (the timeout is the
        // 1 s interval) near the window's edge makes PromQL's rate under-read, as it should.
        // A lagging engine's figures are those of `lag` ago: the direct history is read there.
        var pending = Set(addresses)
        var last: [String: String] = [:]
        var lags: [Double?] = []
        var engines: Set<PrometheusEngine?> = []
        var wholeWindow: Set<String> = []
        for _ in 0..<90 where !pending.isEmpty {
            let at = Date()
            let polled = Dictionary(uniqueKeysWithValues: await direct.rows(now: at).map { ($0.name, $0) })
            let refresh = await source.refresh(now: at)
            let recent = Dictionary(uniqueKeysWithValues: await counting.refresh(now: at).rows.map { ($0.name, $0) })
            lags.append(refresh.lag)
            engines.insert(refresh.engine)
            let seen = at.addingTimeInterval(-(refresh.lag ?? 0))
            let viaPrometheus = Dictionary(uniqueKeysWithValues: refresh.rows.map { ($0.name, $0) })
            let scraped = await vector(#"count_over_time(up{job="teleport"}[1m])"#, at: seen)
            let lowest = await vector(#"min_over_time(up{job="teleport"}[1m])"#, at: seen)
            #expect(refresh.failure == nil, "\(refresh.failure ?? "")")
            #expect(source.lastRequestCount <= PrometheusFleetQueries.perRefresh)
            #expect(Set(viaPrometheus.keys) == Set(addresses))
            for address in pending.sorted() {
                var mismatches: [String] = []
                guard let p = viaPrometheus[address], let c = recent[address], let d = polled[address], let history = await timeline(address) else {
                    last[address] = "\(address) missing"
                    continue
                }
                let expected = history.state(at: seen) ?? .unknown
                if p.state != expected { mismatches.append("\(address) state \(p.state) vs \(expected)") }
                if p.version != d.version { mismatches.append("\(address) version \(p.version ?? "-") vs \(d.version ?? "-")") }
                if p.roles != d.roles { mismatches.append("\(address) roles \(p.roles) vs \(d.roles)") }
                // Changes: over the last minute for every instance; over the whole window for
                // those whose changes are seconds apart at most once (not the faulty one,
                // whose first scrape by the engine may fall between its changes).
                func changes(from start: Date) -> Int { history.transitions.filter { $0.from != nil && $0.time >= start && $0.time <= seen }.count }
                let lastMinute = changes(from: at.addingTimeInterval(-60))
                let everyScrape = (scraped[address] ?? 0) >= 57 && lowest[address] == 1
                // Equal, but for two per direct poll that came late (none late: equal).
                let late = everyScrape && c.changes != lastMinute ? await latePolls(address, from: at.addingTimeInterval(-60), to: seen) : 0
                if everyScrape && abs(c.changes - lastMinute) > 2 * late {
                    mismatches.append("\(address) changes in the last minute \(c.changes) vs \(lastMinute) (\(late) direct polls late)")
                }
                // A scrape the engine failed (its timeout is the 1 s interval; a loaded machine
                // misses some) is its own observation of an unreachable instance, which direct
                // polling (5 s timeout) does not share: the whole window is compared only while
                // the engine failed none but where direct polling failed too.
                let sinceEngine = changes(from: engineStarted)
                if address != faultyAddr, await failuresShared(address, history, until: seen) {
                    if p.changes != sinceEngine {
                        mismatches.append("\(address) changes \(p.changes) vs \(sinceEngine) since the engine started")
                    } else {
                        wholeWindow.insert(address)
                    }
                }
                // Restarts: the killed one's, once (its new start), and no other.
                let restarted = address == phoenixAddr
                if (p.restartedAt != nil) != restarted || (restarted && p.restartedAt != p.processStart) {
                    mismatches.append("\(address) restarted at \(String(describing: p.restartedAt)) (started \(String(describing: p.processStart)))")
                }
                if (d.restartedAt != nil) != restarted || history.restarts.count != (restarted ? 1 : 0) {
                    mismatches.append("\(address) polled: \(history.restarts.count) restarts")
                }
                if !everyScrape {
                    mismatches.append(
                        "\(address) the engine scraped it \(Int(scraped[address] ?? 0)) times in the minute\(lowest[address] == 0 ? ", some failed" : "")")
                }
                // The rates of the moment the engine's figures are of (`seen`).
                let r = refresh.lag == nil ? d : recordedRow(address, at: seen)
                if r == nil { mismatches.append("\(address) no direct row recorded near \(seen)") }
                for (name, a, b) in [("cpu", p.cpu, r?.cpu), ("grpc", p.grpcRate, r?.grpcRate)] where everyScrape && r != nil {
                    switch (a, b) {
                    case (nil, nil): break
                    case (let x?, let y?): if abs(x - y) > 0.1 * max(abs(x), abs(y)) + 1e-3 { mismatches.append("\(address) \(name) \(x) vs \(y)") }
                    default: mismatches.append("\(address) \(name) \(String(describing: a)) vs \(String(describing: b))")
                    }
                }
                if (p.memory == nil) != (d.memory == nil) || (p.backendP99 == nil) != (d.backendP99 == nil) {
                    mismatches.append("\(address) figures present differ")
                }
                if mismatches.isEmpty { pending.remove(address) } else { last[address] = mismatches.joined(separator: "; ") }
            }
            if !pending.isEmpty { try await Task.sleep(for: .milliseconds(700)) }
        }
        #expect(pending.isEmpty, "\(engine): \(pending.sorted().compactMap { last[$0] }.joined(separator: "; "))")
        print(
            "\(engine): the changes over the whole window agreed for \(wholeWindow.count) of \(addresses.count - 1) instances (the rest: scrapes the engine alone failed)"
        )

        // The engine named, and its lag only where it holds samples back on purpose.
        switch engine {
        case .prometheus:
            #expect(engines.count == 1 && engines.first??.name == "Prometheus" && engines.first??.version?.hasPrefix("2.") == true, "\(engines)")
            #expect(lags.allSatisfy { $0 == nil }, "\(lags)")
        case .victoriaMetrics(let offset):
            #expect(engines == [.victoriaMetrics], "\(engines)")
            if offset == nil {
                #expect(lags.allSatisfy { ($0 ?? 0) >= 28 && ($0 ?? 0) <= 40 }, "\(lags)")
            } else {
                #expect(lags.allSatisfy { $0 == nil }, "\(lags)")
            }
        }
        // Exactly one restart in the engine's own history of the killed one's start.
        let starts = try await client.queryRange(phoenixQuery, start: engineStarted, end: Date(), step: 1).data.series.first?.values ?? []
        let distinct = zip(starts, starts.dropFirst()).filter { abs($0.value - $1.value) > 1 }.count
        #expect(distinct == 1, "\(starts.map(\.value))")

        // Recorded: a refresh's answers written as frames, then the same fleet code over the
        // recording's answers gives the same rows (the replay of a fleet read from Prometheus).
        let recordingPath = Paths.temporaryDirectory("rec-prometheus").appendingPathComponent("rec").path
        let recorder = Recorder(writer: try RecordingWriter(directory: recordingPath, header: { RecordingFixtures.header($0) }))
        client.setOnAnswer { recorder.prometheus($0) }
        let at = Date()
        // A fresh fleet: its first refresh also asks the engine, recorded with the rest.
        let live = await PrometheusFleet(client: client, options: source.options).refresh(now: at)
        client.setOnAnswer(nil)
        recorder.close()
        let recorded = RecordedPrometheus(reader: try RecordingReader(path: recordingPath), now: { at.addingTimeInterval(5) })
        #expect(recorded.refreshed(after: nil, upTo: at.addingTimeInterval(5)))
        #expect(!recorded.refreshed(after: at.addingTimeInterval(5), upTo: at.addingTimeInterval(60)))
        let replayed = await PrometheusFleet(client: recorded, options: source.options).refresh(now: at)
        func byName(_ rows: [FleetRow]) -> [String: FleetRow] {
            Dictionary(
                uniqueKeysWithValues: rows.map { row in
                    var row = row
                    row.id = 0
                    return (row.name, row)
                })
        }
        #expect(replayed.failure == nil, "\(replayed.failure ?? "")")
        #expect(!live.rows.isEmpty && byName(replayed.rows) == byName(live.rows))
        #expect(live.engine != nil && replayed.engine == live.engine && replayed.lag == live.lag, "\(String(describing: replayed.via))")
        // Before anything was recorded: a clear failure, no rows.
        let early = await PrometheusFleet(
            client: RecordedPrometheus(reader: try RecordingReader(path: recordingPath), now: { at.addingTimeInterval(-60) }),
            options: source.options
        ).refresh(now: at)
        #expect(early.rows.isEmpty && early.failure?.contains("no answer") == true, "\(early.failure ?? "")")

        let goRow = try #require(await direct.rows().first { $0.name == goAddr })
        #expect(goRow.version == "15.4.2" && goRow.goroutines != nil)

        // An instance's full dashboard from its raw series: the same families as a scrape.
        let focused = Focused()
        let run = Task {
            await source.run(
                onRow: { row in focused.rows.withLock { $0.append(row) } },
                onFocused: { update in focused.updates.withLock { $0.append(update) } }, onStatus: { _ in })
        }
        let first = try #require(await source.refresh().rows.first { $0.name == goAddr })
        await source.focus(first.id)
        // Typed by the metadata (Prometheus) or by the catalog and the sample names
        // (VictoriaMetrics answers no metadata): rates and histogram quantiles either way.
        try await prometheus.waitUntil(timeout: .seconds(60), "refreshes of the open instance with a rate and a quantile") {
            guard let snapshot = focused.updates.withLock({ $0.last { $0.id == first.id } })?.snapshot else { return false }
            return snapshot.family("process_cpu_seconds_total")?.series.first?.rate != nil
                && snapshot.family("backend_read_seconds")?.histograms.contains { $0.windows[.oneMinute]?.p99 != nil } == true
        }
        let snapshot = try #require(focused.updates.withLock { $0.last }?.snapshot)
        #expect(snapshot.state == .ok)
        #expect(snapshot.family("backend_read_seconds")?.type == .histogram)
        #expect(snapshot.family("process_cpu_seconds_total")?.type == .counter)
        switch engine {
        case .prometheus:
            #expect(snapshot.target == "\(goAddr) via \(source.engine?.description ?? "-")" && snapshot.target.hasPrefix("\(goAddr) via Prometheus 2."))
        case .victoriaMetrics: #expect(snapshot.target == "\(goAddr) via VictoriaMetrics")
        }

        // d: the open instance polled directly. Its rows and its dashboard come from its own
        // scrapes (bytes on the wire; PromQL's have none), its client takes captures, and
        // Prometheus's rows of it are no longer handed on; d again: back to PromQL.
        func promRows(_ id: Int) -> Int { focused.rows.withLock { $0.filter { $0.id == id && $0.source == .prometheus }.count } }
        let said = await source.toggleDirect(first.id)
        #expect(said.hasPrefix("\(goAddr): polled directly every"), "\(said)")
        #expect(source.client(for: first.id) != nil)
        let promBefore = promRows(first.id)
        let other = try #require(await source.refresh().rows.first { $0.name == faultyAddr }).id
        let otherBefore = promRows(other)
        try await prometheus.waitUntil(timeout: .seconds(60), "direct rows and snapshots of the instance, three refreshes") {
            focused.rows.withLock { $0.filter { $0.id == first.id && $0.source == .direct && $0.version == "15.4.2" }.count } >= 2
                && focused.updates.withLock { $0.contains { $0.id == first.id && ((try? $0.outcome?.get())?.bytes ?? 0) > 0 } }
                && promRows(other) >= otherBefore + 3
        }
        #expect(promRows(first.id) == promBefore)
        #expect(await source.store(for: first.id)?.snapshot().family("go_goroutines") != nil)
        let back = await source.toggleDirect(first.id)
        #expect(back == "\(goAddr): read from Prometheus again", "\(back)")
        #expect(source.client(for: first.id) == nil)
        try await prometheus.waitUntil(timeout: .seconds(60), "its PromQL rows again") { promRows(first.id) > promBefore }
        run.cancel()

        // The stopped one: down in Prometheus with its lastError, unreachable on both sides.
        _ = await doomed.stop()
        try await prometheus.waitUntil(timeout: .seconds(60), "the stopped target down") {
            await prometheus.targets()[doomedAddr]?.health == "down"
        }
        let down = try #require(await source.refresh().rows.first { $0.name == doomedAddr })
        #expect(down.state == .unreachable)
        // Each engine words it its own way.
        switch engine {
        case .prometheus: #expect(down.scrapeError?.contains("connection refused") == true, "\(down.scrapeError ?? "")")
        case .victoriaMetrics:
            #expect(down.scrapeError?.contains("error when scraping \"http://\(doomedAddr)/metrics\"") == true, "\(down.scrapeError ?? "")")
        }
        let refused = await source.toggleDirect(down.id)
        #expect(refused.contains("does not answer from here (connection refused") && refused.hasSuffix("it stays read from Prometheus"), "\(refused)")
        #expect(source.client(for: down.id) == nil)
        try await prometheus.waitUntil(timeout: .seconds(30), "the stopped target unreachable when polled") {
            await direct.rows().first { $0.name == doomedAddr }?.state == .unreachable
        }

        // The CLI's view: the same fleet, one object per instance.
        let cli = try await runWithDeadlineOffPool(
            binary, ["snapshot", "--json", "--prometheus", prometheus.url, "--selector", #"{job="teleport"}"#], timeout: .seconds(60))
        #expect(cli.status == 0, "\(cli.stderr)")
        let document = try SnapshotDocument.decoder().decode(FleetDocument.self, from: Data(cli.stdout.utf8))
        #expect(Set(document.instances.map(\.name)) == Set(addresses))
        #expect(document.instances.first { $0.name == doomedAddr }?.state == "unreachable")
        #expect(document.source.hasPrefix("Prometheus \(prometheus.url) {job=\"teleport\"} via "), "\(document.source)")
        // Without a selector: no `{}` in the source; the engine named.
        let table = try await runWithDeadlineOffPool(binary, ["snapshot", "--prometheus", prometheus.url], timeout: .seconds(60))
        let heading = table.stdout.split(separator: "\n").first.map(String.init) ?? ""
        switch engine {
        case .prometheus: #expect(heading.hasPrefix("fleet: Prometheus \(prometheus.url) via Prometheus 2."), "\(heading)")
        case .victoriaMetrics(let offset):
            let behind = offset == nil ? ", 3" : " ·"
            #expect(heading.hasPrefix("fleet: Prometheus \(prometheus.url) via VictoriaMetrics\(behind)"), "\(heading)")
        }
        #expect(!heading.contains("{}"), "\(heading)")

        // A Prometheus that is down: a clear one-line error.
        await prometheus.stop()
        let gone = await source.refresh()
        #expect(gone.failure?.contains("connection refused") == true, "\(gone.failure ?? "")")
        let cliDown = try await runWithDeadlineOffPool(binary, ["snapshot", "--prometheus", prometheus.url], timeout: .seconds(60))
        #expect(cliDown.status == 1 && cliDown.stderr.contains("connection refused"), "\(cliDown.stderr)")

        await direct.shutdown()
        await client.shutdown()
        _ = await faulty.stop()
        _ = await phoenix.stop()
        await go.stop()
        _ = await fleet.stop()
    }

    @Test("a server that answers errors, or is not Prometheus, is a clear failure; bad selectors are refused before any query")
    func errors() async throws {
        let server = try await MisbehavingServer.start { router in
            router.post("/api/v1/query") { _, _ in
                Response(status: .badRequest, body: .init(byteBuffer: .init(string: #"{"status":"error","errorType":"bad_data","error":"1:1: parse error"}"#)))
            }
            router.get("/api/v1/targets") { _, _ in "<html>not prometheus</html>" }
        }
        let client = try PrometheusClient(options: .init(baseURL: "http://" + server.address))
        let source = PrometheusFleet(client: client, options: .init())
        let refresh = await source.refresh()
        #expect(refresh.rows.isEmpty)
        #expect(
            refresh.failure?.contains("bad_data: 1:1: parse error") == true || refresh.failure?.contains("not a Prometheus API answer") == true,
            "\(refresh.failure ?? "")")
        await client.shutdown()
        await server.stop()
        let bad = try await runWithDeadlineOffPool(
            binary, ["snapshot", "--prometheus", "http://127.0.0.1:9", "--selector", "job=teleport"], timeout: .seconds(30))
        #expect(bad.status != 0 && bad.stderr.contains("--selector"), "\(bad.stderr)")
    }
}
