import Foundation
import Hummingbird
import Synchronization
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportTopData

/// The fleet read from a real Prometheus (Debian's) against the same fleet polled directly:
/// `serve --instances 3`, a `serve` with a fault schedule, a `serve` stopped mid-test and the
/// Go client_golang fixture. States and versions agree exactly, rates within ±10% (both are
/// averages over the same minute of the same counters; they differ by where the two sample
/// it; the test waits for a full minute of data, because PromQL's rate divides by the whole
/// range); the stopped one shows down with Prometheus's `lastError`.
@Suite(
    "fleet from Prometheus vs direct polling", .serialized,
    .enabled(if: Prerequisites.required(PrometheusServer.available && Prerequisites.go)))
struct PrometheusFleetTests {
    let binary = Paths.teleportTopBinary.path

    final class Focused: Sendable {
        let updates = Mutex<[FleetFocusUpdate]>([])
        let rows = Mutex<[FleetRow]>([])
    }

    @Test("same instances, states and versions; rates within 10%; the stopped target down with lastError; an open instance fed by its raw series")
    func agree() async throws {
        let dir = Paths.temporaryDirectory("promfleet")
        let targetsFile = dir.appendingPathComponent("serve.yaml").path
        let fleet = try ChildProcess(binary, ["serve", "--instances", "3", "--seed", "11", "--targets-out", targetsFile])
        _ = try await fleet.waitForLine(inStderr: true) { $0.contains("simulated fleet running") }
        func serve(_ extra: [String]) async throws -> (ChildProcess, String) {
            let data = Paths.temporaryDirectory("promserve")
            let process = try ChildProcess(
                binary, ["serve", "--diag-addr", "127.0.0.1:0", "--data-dir", data.path, "--heartbeat", "1s", "--retry", "1s", "--check-period", "1s"] + extra)
            let line = try await process.waitForLine(inStderr: true) { $0.contains("diag listener started") }
            return (process, String(try require2(line.split(separator: " ").first { $0.hasPrefix("addr=") }, "no addr").dropFirst(5)))
        }
        let (faulty, faultyAddr) = try await serve(["--fault-schedule", "ok:3,fail:4"])
        let (doomed, doomedAddr) = try await serve([])
        let go = try await GoFixture.start()
        let goAddr = String(go.baseURL.dropFirst("http://".count))
        var addresses = try TargetsFile.load(targetsFile).compactMap(\.diagAddr)
        addresses += [faultyAddr, doomedAddr, goAddr]
        let prometheus = try await PrometheusServer.start(targets: addresses)
        defer { Task { await prometheus.stop() } }
        try await prometheus.waitUntil(timeout: .seconds(90), "every target scraped") {
            let targets = await prometheus.targets()
            return addresses.allSatisfy { targets[$0]?.scraped == true && targets[$0]?.health == "up" }
        }

        // The same targets polled directly, named as Prometheus names them (instance = host:port).
        let direct = try DirectFleet(
            targets: try addresses.map { DirectFleet.Target(name: $0, target: try DiagTarget(diagAddr: $0), options: .init(timeout: .seconds(5))) },
            interval: .seconds(1), history: .seconds(600))
        let pollTask = Task { await direct.run(onRow: { _ in }, onFocused: { _ in }, onStatus: { _ in }) }
        defer { pollTask.cancel() }
        let client = try PrometheusClient(options: .init(baseURL: prometheus.url))
        let source = PrometheusFleet(
            client: client,
            options: .init(
                selector: try PrometheusSelector(parsing: #"{job="teleport"}"#),
                interval: .seconds(1), window: .seconds(600)))
        /// An instant query's answer by `instance` (empty when it failed).
        func vector(_ promql: String, at: Date) async -> [String: Double] {
            guard let (data, _) = try? await client.query(promql, at: at) else { return [:] }
            return Dictionary(
                data.series.compactMap { series in series.value.flatMap { v in series.metric["instance"].map { ($0, v.value) } } },
                uniquingKeysWith: { a, _ in a })
        }

        // A full minute of history on both sides: PromQL's rate(x[1m]) divides by the whole
        // minute (it under-reads while the series is younger), ours by the span it has.
        try await Task.sleep(for: .seconds(65))
        // Both sides at the same moment `at` (a refresh can take seconds on a loaded machine),
        // each instance until it agrees once. Its rates are compared only over a minute in
        // which Prometheus scraped it every time: a scrape that timed out (the timeout is the
        // 1 s interval) near the window's edge makes PromQL's rate under-read, as it should.
        var pending = Set(addresses)
        var last: [String: String] = [:]
        for _ in 0..<60 where !pending.isEmpty {
            let at = Date()
            let polled = Dictionary(uniqueKeysWithValues: await direct.rows(now: at).map { ($0.name, $0) })
            let refresh = await source.refresh(now: at)
            let viaPrometheus = Dictionary(uniqueKeysWithValues: refresh.rows.map { ($0.name, $0) })
            let scraped = await vector(#"count_over_time(up{job="teleport"}[1m])"#, at: at)
            let lowest = await vector(#"min_over_time(up{job="teleport"}[1m])"#, at: at)
            #expect(refresh.failure == nil, "\(refresh.failure ?? "")")
            #expect(source.lastRequestCount <= PrometheusFleetQueries.perRefresh)
            #expect(Set(viaPrometheus.keys) == Set(addresses))
            for address in pending.sorted() {
                var mismatches: [String] = []
                guard let p = viaPrometheus[address], let d = polled[address] else {
                    last[address] = "\(address) missing"
                    continue
                }
                if p.state != d.state { mismatches.append("\(address) state \(p.state) vs \(d.state)") }
                if p.version != d.version { mismatches.append("\(address) version \(p.version ?? "-") vs \(d.version ?? "-")") }
                if p.roles != d.roles { mismatches.append("\(address) roles \(p.roles) vs \(d.roles)") }
                let everyScrape = (scraped[address] ?? 0) >= 57 && lowest[address] == 1
                if !everyScrape {
                    mismatches.append(
                        "\(address) Prometheus scraped it \(Int(scraped[address] ?? 0)) times in the minute\(lowest[address] == 0 ? ", some failed" : "")")
                }
                for (name, a, b) in [("cpu", p.cpu, d.cpu), ("grpc", p.grpcRate, d.grpcRate)] where everyScrape {
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
        #expect(pending.isEmpty, "\(pending.sorted().compactMap { last[$0] }.joined(separator: "; "))")

        // Recorded: a refresh's answers written as frames, then the same fleet code over the
        // recording's answers gives the same rows (the replay of a fleet read from Prometheus).
        let recordingPath = Paths.temporaryDirectory("rec-prometheus").appendingPathComponent("rec").path
        let recorder = Recorder(writer: try RecordingWriter(directory: recordingPath, header: { RecordingFileTests.header($0) }))
        client.setOnAnswer { recorder.prometheus($0) }
        let at = Date()
        let live = await source.refresh(now: at)
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
        try await prometheus.waitUntil(timeout: .seconds(60), "two refreshes of the open instance") {
            focused.updates.withLock { $0.filter { $0.id == first.id }.count } >= 2
        }
        let snapshot = try #require(focused.updates.withLock { $0.last }?.snapshot)
        #expect(snapshot.state == .ok)
        #expect(snapshot.family("backend_read_seconds")?.type == .histogram)
        #expect(snapshot.family("backend_read_seconds")?.histograms.isEmpty == false)
        #expect(snapshot.family("process_cpu_seconds_total")?.series.first?.rate != nil)

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
        #expect(down.scrapeError?.contains("connection refused") == true, "\(down.scrapeError ?? "")")
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

        // A Prometheus that is down: a clear one-line error.
        await prometheus.stop()
        let gone = await source.refresh()
        #expect(gone.failure?.contains("connection refused") == true, "\(gone.failure ?? "")")
        let cliDown = try await runWithDeadlineOffPool(binary, ["snapshot", "--prometheus", prometheus.url], timeout: .seconds(60))
        #expect(cliDown.status == 1 && cliDown.stderr.contains("connection refused"), "\(cliDown.stderr)")

        await direct.shutdown()
        await client.shutdown()
        _ = await faulty.stop()
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
