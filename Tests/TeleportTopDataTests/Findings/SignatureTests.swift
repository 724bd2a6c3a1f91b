import Foundation
import TeleportCore
import Testing

@testable import TeleportTopData

@Suite("Findings: Teleport's signatures")
struct SignatureTests {
    @Test("Backend write failures: failed minus precondition over writes; precondition misses alone are not trouble")
    func backendWrites() throws {
        for (failing, expected) in [(0.0, nil), (0.5, FindingSeverity.critical), (0.02, .warning)] as [(Double, FindingSeverity?)] {
            var builder = HistoryBuilder()
            var writes = 0.0
            var failed = 0.0
            var precondition = 0.0
            builder.run(to: 120) { t in
                writes += 100
                precondition += 20  // compare-and-swap misses: expected
                failed += 20 + 100 * failing
                return [
                    HistoryBuilder.counter("backend_write_requests_total", writes),
                    HistoryBuilder.counter("backend_write_requests_failed_total", failed),
                    HistoryBuilder.counter("backend_write_requests_failed_precondition_total", precondition),
                ]
            }
            let finding = builder.evaluate().findings.first { $0.check == "backend-write-failures" }
            #expect(finding?.severity == expected, "failing \(failing)")
            if let finding { #expect(abs((finding.value ?? 0) - failing) < 0.01) }
        }
    }

    @Test("Backend read latency 20× its baseline is a critical signature with the sentence a person needs")
    func backendLatency() throws {
        var builder = HistoryBuilder()
        var fast = 0.0
        var slow = 0.0
        builder.run(to: 360) { t in
            if t < 300 { fast += 100 } else { slow += 100 }  // 500 observations a slot: p99s count
            return [
                HistoryBuilder.histogram(
                    "teleport_backend_read_seconds", bounds: [0.001, 0.0025, 0.005, 0.01, 0.1, 0.25, .infinity],
                    cumulative: [0, fast, fast, fast, fast, fast + slow, fast + slow])
            ]
        }
        let first = try #require(builder.evaluate().findings.first)
        #expect(first.check == "backend-latency")
        #expect(first.severity == .critical)
        #expect(first.title.hasPrefix("backend read latency 2"))
        #expect(first.title.contains("its baseline of 2.5 ms, since"))
    }

    @Test("Cache stale share over 10% warns, over 50% is critical; few events say nothing")
    func cacheStale() {
        for (events, staleShare, expected) in [(50.0, 0.2, FindingSeverity.warning), (50, 0.6, .critical), (50, 0.02, nil), (0.1, 1, nil)]
            as [(Double, Double, FindingSeverity?)]
        {
            var builder = HistoryBuilder()
            var all = 0.0
            var stale = 0.0
            builder.run(to: 120) { _ in
                all += events
                stale += events * staleShare
                return [HistoryBuilder.counter("teleport_cache_events", all), HistoryBuilder.counter("teleport_cache_stale_events", stale)]
            }
            #expect(builder.evaluate().findings.first { $0.check == "cache-stale" }?.severity == expected, "\(events) \(staleShare)")
        }
    }

    @Test("gRPC error share per method counts failures, not NotFound or AlreadyExists")
    func grpcErrors() throws {
        var builder = HistoryBuilder()
        var ok = 0.0
        var notFound = 0.0
        var unavailable = 0.0
        builder.run(to: 120) { _ in
            ok += 20
            notFound += 20
            unavailable += 10
            func labels(_ method: String, _ code: String) -> [Label] {
                [Label("grpc_service", "proto.AuthService"), Label("grpc_method", method), Label("grpc_code", code)]
            }
            return [
                HistoryBuilder.counter(
                    "grpc_server_handled_total",
                    [
                        (labels("GetNodes", "OK"), ok), (labels("GetNodes", "NotFound"), notFound),
                        (labels("UpsertNode", "OK"), ok), (labels("UpsertNode", "Unavailable"), unavailable),
                    ])
            ]
        }
        let findings = builder.evaluate().findings.filter { $0.check == "grpc-errors" }
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.labels[label: "grpc_method"] == "UpsertNode")
        #expect(abs((finding.value ?? 0) - 1.0 / 3) < 0.01)
        #expect(finding.severity == .warning)
    }

    @Test("Goroutines climbing steadily over 10 minutes warn; a flat count does not")
    func goroutinesClimb() throws {
        var climbing = HistoryBuilder()
        climbing.run(to: 620) { t in [HistoryBuilder.gauge("go_goroutines", 500 + t * 2 + (Int(t) % 4 == 0 ? 5 : 0))] }
        let finding = try #require(climbing.evaluate().findings.first { $0.check == "goroutines-climbing" })
        #expect(finding.severity == .warning)
        var flat = HistoryBuilder()
        flat.run(to: 620) { t in [HistoryBuilder.gauge("go_goroutines", 500 + (Int(t) % 4 == 0 ? 5 : 0))] }
        #expect(flat.evaluate().findings.isEmpty)
    }

    @Test("State: degraded now is critical; two degraded episodes in the window are flapping; a restart warns")
    func state() throws {
        var builder = HistoryBuilder()
        builder.run(to: 300) { _ in [HistoryBuilder.gauge("go_goroutines", 100)] }
        let t0 = HistoryBuilder.t0
        for (t, state) in [(0.0, ObservedState.ok), (60, .degraded), (100, .recovering), (170, .ok), (200, .degraded)] {
            builder.timeline.observe(state, at: t0.addingTimeInterval(t))
        }
        builder.timeline.markRestart(Restart(time: t0.addingTimeInterval(250), oldPid: 10, newPid: 11, oldVersion: nil, newVersion: nil))
        let findings = builder.evaluate().findings
        let checks = findings.map(\.check)
        #expect(checks.first == "state-degraded")
        #expect(checks.contains("state-flapping"))
        #expect(checks.contains("restarts"))
        #expect(findings.first { $0.check == "restarts" }?.evidence == "pid 10 → 11")
    }

    @Test("Fleet: version skew by major versions, and an outlier against the others' median")
    func fleet() throws {
        var rows: [FleetRow] = []
        for i in 0..<6 {
            var row = FleetRow(id: i, name: "node-\(i)", source: .direct)
            row.version = i == 4 ? "16.4.2" : (i == 5 ? "15.1.0" : "17.2.1")
            row.goroutines = i == 2 ? 9000 : 800 + Double(i) * 10
            row.memory = 300e6
            rows.append(row)
        }
        let skew = FleetSignatures.versionSkew(rows)
        #expect(skew.map(\.instance) == ["node-4", "node-5"])
        #expect(skew.map(\.severity) == [.warning, .critical])
        let outliers = FleetSignatures.outliers(rows)
        #expect(outliers.map(\.instance) == ["node-2"])
        #expect(outliers.first?.family == "go_goroutines")
    }

    @Test("Missed heartbeats warn when sustained and risen, not on a one-scrape blip nor a count that stopped rising")
    func heartbeats() {
        let cases: [(String, (Double) -> Double, Bool)] = [
            ("blips", { t in Int(t) % 40 == 0 ? 1 : 0 }, false),
            ("sustained", { t in t < 250 ? 0 : 4 }, true),
            ("old count", { _ in 2 }, false),
        ]
        for (name, value, warns) in cases {
            var builder = HistoryBuilder()
            builder.run(to: 320) { t in [HistoryBuilder.gauge("heartbeats_missed_total", value(t))] }
            #expect(builder.evaluate().findings.contains { $0.check == "heartbeats-missed" } == warns, "\(name)")
        }
    }

    @Test("Audit emit failures: a rare one says nothing, a third of emits failing is critical")
    func auditFailures() throws {
        // One failure every 50 s (more often than the embedded engine's 0.002/s), then 5 every third scrape.
        for (failEvery, amount, expected) in [(25, 1.0, nil), (3, 5, FindingSeverity.critical)] as [(Int, Double, FindingSeverity?)] {
            var builder = HistoryBuilder()
            var emitted = 0.0
            var failed = 0.0
            var step = 0
            builder.run(to: 120) { _ in
                step += 1
                emitted += 10
                if step % failEvery == 0 { failed += amount }
                return [HistoryBuilder.counter("teleport_audit_emit_events", emitted), HistoryBuilder.counter("audit_failed_emit_events", failed)]
            }
            #expect(builder.evaluate().findings.first { $0.check == "audit-failed-emits" }?.severity == expected, "every \(failEvery)")
        }
    }
}
