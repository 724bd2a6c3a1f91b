import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

@Suite("The embedded engine", .serialized)
struct EmbeddedTeleportTests {
    @Test("Counters advance and histograms gain observations between two scrapes; process figures are this process's")
    func moves() async throws {
        let embedded = try await EmbeddedTeleport.start(logSink: quietSink, episodes: false)
        let client = try DiagClient(target: embedded.target)
        // A nominal interval of a minute: the two scrapes (1.2 s apart, far more on a machine
        // running every suite at once) always stay within the 2.5 x gap rule.
        let store = MetricStore(target: "embedded", interval: .seconds(60))
        await store.ingest(try await client.scrape().get())
        try await Task.sleep(for: .milliseconds(1200))
        let scrape = try await client.scrape().get()
        await store.ingest(scrape)
        let snapshot = await store.snapshot()
        let requests = try #require(snapshot.family("backend_requests"))
        #expect(requests.series.contains { ($0.rate ?? 0) > 0 })
        let read = try #require(snapshot.family("backend_read_seconds")?.histograms.first)
        #expect((read.windows[.lastInterval]?.observations ?? 0) > 0)
        #expect(read.windows[.lastInterval]?.p50 != nil)

        // process_* are real: compare with /proc/self now.
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        let rss = Double(statm[1])! * Double(sysconf(Int32(_SC_PAGESIZE)))
        let reported = try #require(scrape.families.first { $0.name == "process_resident_memory_bytes" }?.samples.first?.value)
        #expect(abs(reported - rss) / rss < 0.25, "reported \(reported), /proc says \(rss)")
        let fds = Double(try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count)
        let reportedFDs = try #require(scrape.families.first { $0.name == "process_open_fds" }?.samples.first?.value)
        // Other suites open and close sockets meanwhile: within 64 or a quarter of /proc (a
        // fresh process, with a dozen, would be far off).
        #expect(abs(reportedFDs - fds) <= max(64, 0.25 * fds), "reported \(reportedFDs), /proc has \(fds)")
        #expect(scrape.families.first { $0.name == "process_start_time_seconds" }?.samples.first?.value ?? 0 > 1.7e9)
        #expect(snapshot.build?.gitref == "simulated")
        #expect(snapshot.pid == Int(getpid()))
        await client.shutdown()
        await embedded.stop()
    }

    @Test("An injected heartbeat failure walks /readyz through degraded -> recovering -> ok with the right codes")
    func injectedFailure() async throws {
        var configuration = EmbeddedTeleport.configuration()
        // Each state lasts long enough (>= 700 ms) for a poll every 10 ms to see it on a busy machine.
        configuration.heartbeatPeriod = .milliseconds(1000)
        configuration.retryPeriod = .milliseconds(700)
        configuration.checkPeriod = .milliseconds(300)
        let embedded = try await EmbeddedTeleport.start(configuration: configuration, logSink: quietSink, episodes: false)
        let client = try DiagClient(target: embedded.target)
        var codes: [Int] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let readyz = try await client.readyz(), codes.last != readyz.statusCode {
                codes.append(readyz.statusCode)
                if codes == [200] { embedded.engine.injectFailure(component: "proxy") }
                if codes.count >= 4 { break }
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(codes == [200, 503, 400, 200], "\(codes)")
        let processTransitions = embedded.engine.healthSnapshot.transitions.filter { $0.component == nil }.map(\.to)
        #expect(processTransitions.suffix(3) == [.degraded, .recovering, .ok])
        await client.shutdown()
        await embedded.stop()
    }
}

@Suite("The embedded engine's families")
struct EmbeddedFamiliesTests {
    /// What `tctl top` reads that the catalog lacks (shared/tctl-top.md).
    static let tctlTopFamilies = [
        "server_interactive_sessions_total", "auth_generate_requests", "auth_generate_requests_total",
        "auth_generate_requests_throttled_total", "backend_watcher_queues_total", "teleport_roles_total", "teleport_migrations",
        "process_start_time_seconds", "process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds",
        "process_max_fds", "teleport_services", "auth_generate_seconds", "backend_requests", "backend_read_seconds",
        "backend_batch_read_seconds", "backend_write_seconds", "backend_batch_write_seconds", "watcher_events",
        "watcher_event_sizes", "teleport_audit_emitted_event_sizes", "audit_failed_emit_events", "teleport_audit_stored_trimmed_events",
    ]

    @Test("Every family of the catalog's Auth, Proxy, SSH, Kubernetes and Database sections, and every one tctl top reads, is served")
    func everyFamily() async throws {
        let embedded = try await EmbeddedTeleport.start(logSink: quietSink, episodes: false)
        let client = try DiagClient(target: embedded.target)
        try await Task.sleep(for: .milliseconds(600))
        let names = Set(try await client.scrape().get().families.map(\.name))
        let sections: Set<String> = [
            "Auth Service and backends", "Proxy Service", "Teleport SSH Service", "Enhanced Session Recording / BPF",
            "Kubernetes Access (Client)", "Kubernetes Access (Server)", "Teleport Kubernetes Service (Client)",
            "Teleport Kubernetes Service (Server)", "Database Service",
        ]
        let wanted = Set(MetricCatalog.builtin.entries.filter { sections.contains($0.section) }.map(\.name)).union(Self.tctlTopFamilies)
        #expect(wanted.count > 130)
        #expect(wanted.subtracting(names).sorted() == [])
        // The Go runtime families a real Teleport has are not faked.
        #expect(!names.contains("go_goroutines"))
        await client.shutdown()
        await embedded.stop()
    }
}
