import Foundation
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// A fleet row from a store fed two scrapes: each column from its family, blank where the
/// family is missing, rates and the p99 from the window, restricted snapshots equal to full.
@Suite("fleet row from a snapshot")
struct FleetRowTests {
    static func payload(cpu: Double, ok: Double, failed: Double, a: [Double], b: [Double], state: Int = 1) -> String {
        """
        # TYPE process_state gauge
        process_state \(state)
        # TYPE teleport_services gauge
        teleport_services{service_name="auth_service"} 1
        teleport_services{service_name="proxy_service"} 0
        teleport_services{service_name="ssh_service"} 1
        # TYPE teleport_build_info gauge
        teleport_build_info{gitref="x",goversion="go1.22",version="17.4.3"} 1
        # TYPE process_cpu_seconds_total counter
        process_cpu_seconds_total \(cpu)
        # TYPE process_resident_memory_bytes gauge
        process_resident_memory_bytes 1e+08
        # TYPE process_start_time_seconds gauge
        process_start_time_seconds 1.7e+09
        # TYPE heartbeats_missed_total gauge
        heartbeats_missed_total 3
        # TYPE grpc_server_handled_total counter
        grpc_server_handled_total{grpc_code="OK",grpc_method="A"} \(ok)
        grpc_server_handled_total{grpc_code="Unavailable",grpc_method="A"} \(failed)
        # TYPE backend_read_seconds histogram
        backend_read_seconds_bucket{component="a",le="0.01"} \(a[0])
        backend_read_seconds_bucket{component="a",le="0.1"} \(a[1])
        backend_read_seconds_bucket{component="a",le="+Inf"} \(a[1])
        backend_read_seconds_sum{component="a"} 1
        backend_read_seconds_count{component="a"} \(a[1])
        backend_read_seconds_bucket{component="b",le="0.01"} \(b[0])
        backend_read_seconds_bucket{component="b",le="0.1"} \(b[1])
        backend_read_seconds_bucket{component="b",le="+Inf"} \(b[1])
        backend_read_seconds_sum{component="b"} 1
        backend_read_seconds_count{component="b"} \(b[1])
        # TYPE unrelated_total counter
        unrelated_total 5

        """
    }

    func scrape(_ text: String, at time: Date) throws -> ScrapeResult {
        ScrapeResult(time: time, duration: .milliseconds(5), bytes: text.utf8.count, families: try ExpositionParser().parse(text))
    }

    @Test("every column from its family; blank where the family is missing; p99 of the summed buckets")
    func columns() async throws {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let store = MetricStore(target: "auth-1", interval: .seconds(10))
        await store.ingest(try scrape(Self.payload(cpu: 10, ok: 100, failed: 0, a: [0, 0], b: [0, 0]), at: t0))
        await store.ingest(try scrape(Self.payload(cpu: 12, ok: 190, failed: 10, a: [50, 100], b: [0, 100]), at: t0.addingTimeInterval(10)))
        let now = t0.addingTimeInterval(11)
        let restricted = await store.snapshot(only: FleetRow.families)
        #expect(restricted.families.map(\.name).contains("unrelated_total") == false)
        let row = FleetRow(id: 7, name: "auth-1", snapshot: restricted, now: now, window: 600, hostName: "auth-1.example.com")
        #expect(row.id == 7 && row.source == .direct && row.hostName == "auth-1.example.com")
        #expect(row.state == .recovering && row.stateSince == t0)
        #expect(row.roles == ["auth", "ssh"])
        #expect(row.version == "17.4.3")
        #expect(abs((row.cpu ?? 0) - 0.2) < 1e-9)
        #expect(row.memory == 1e8 && row.heartbeatsMissed == 3)
        #expect(row.goroutines == nil)  // not exposed: blank, never zero
        #expect(abs((row.grpcRate ?? 0) - 10) < 1e-9)
        #expect(abs((row.grpcErrorShare ?? 0) - 0.1) < 1e-9)
        let expected = 0.01 + 0.09 * (0.99 * 200 - 50) / 150
        #expect(abs((row.backendP99 ?? 0) - expected) < 1e-9)
        #expect(row.processStart == Date(timeIntervalSince1970: 1.7e9))
        #expect(row.lastScrape == t0.addingTimeInterval(10) && row.scrapeError == nil)
        #expect(row.strip.count == FleetRow.stripSlots && row.strip.last == .recovering && row.strip.first == .some(nil))
        // The restricted snapshot gives the same row as the full one.
        let full = FleetRow(id: 7, name: "auth-1", snapshot: await store.snapshot(), now: now, window: 600, hostName: "auth-1.example.com")
        #expect(full == row)
        // A failed scrape: unreachable, the error kept, the figures stale but kept.
        await store.fail(ScrapeFailure(time: now, error: .refused(target: "127.0.0.1:1"), retryAt: nil))
        let failed = FleetRow(id: 7, name: "auth-1", snapshot: await store.snapshot(only: FleetRow.families), now: now, window: 600)
        #expect(failed.state == .unreachable && failed.changes == 1 && failed.scrapeError != nil && failed.version == "17.4.3")
        #expect(failed.severity < row.severity)
    }

    @Test("switched to direct polling: an unchanged state keeps its start, changes add up, the strip's older slots come from the PromQL row")
    func continuing() {
        let switched = Date(timeIntervalSince1970: 1_800_000_000)
        var earlier = FleetRow(id: 1, name: "10.0.0.5:3000", source: .prometheus)
        earlier.state = .ok
        earlier.stateSince = switched.addingTimeInterval(-300)
        earlier.changes = 2
        earlier.restartedAt = switched.addingTimeInterval(-400)
        earlier.strip = (0..<FleetRow.stripSlots).map { $0 < 30 ? .degraded : .ok }
        var row = FleetRow(id: 1, name: "10.0.0.5:3000", source: .direct)
        row.state = .ok
        row.stateSince = switched
        row.strip = (0..<FleetRow.stripSlots).map { $0 >= FleetRow.stripSlots - 2 ? .ok : nil }
        let now = switched.addingTimeInterval(20)  // two slots of 10 s in a 600 s window of 60
        var joined = row
        joined.continuing(earlier, switchedAt: switched, now: now, window: 600)
        #expect(joined.stateSince == earlier.stateSince && joined.changes == 2 && joined.restartedAt == earlier.restartedAt)
        #expect(joined.source == .direct)
        #expect(joined.strip.count == FleetRow.stripSlots && !joined.strip.contains(nil))
        #expect(joined.strip.prefix(28).allSatisfy { $0 == .degraded } && joined.strip[28] == .ok)
        // A state that differs from the PromQL one starts at the direct row's own time.
        var degraded = row
        degraded.state = .degraded
        degraded.continuing(earlier, switchedAt: switched, now: now, window: 600)
        #expect(degraded.stateSince == switched)
        // Down and back since the switch: the state is the same as PromQL's, but it began anew.
        var back = row
        back.changes = 2
        back.stateSince = switched.addingTimeInterval(15)
        back.continuing(earlier, switchedAt: switched, now: now, window: 600)
        #expect(back.stateSince == switched.addingTimeInterval(15) && back.changes == 4)
        // After a whole window the direct history covers it alone.
        var late = row
        late.continuing(earlier, switchedAt: switched, now: switched.addingTimeInterval(601), window: 600)
        #expect(late == row)
    }

    @Test("roles drop _service; versions compare part by part")
    func helpers() {
        #expect(FleetRow.roles(["proxy_service", "auth_service", "auth_service", "kubernetes_service", "custom"]) == ["auth", "custom", "kube", "proxy"])
        #expect(FleetRow.p99(summing: []) == nil)
    }
}
