import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData

/// The store behind the golden screens: the simulated Teleport with a fixed seed, fixed
/// process figures, a fixed clock (UTC), and a state history with a degraded episode.
public enum GoldenSnapshots {
    /// 2026-11-18 11:06:40 UTC.
    public static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    /// A store fed `scrapes` scrapes 2 s apart (the last one failed when `failLast`).
    public static func store(scrapes: Int = 4, failLast: Bool = false) async throws -> MetricStore {
        let registry = MetricRegistry()
        let processFamilies: [MetricFamily] = [
            MetricFamily(name: "process_cpu_seconds_total", type: .counter, help: "Total user and system CPU time spent in seconds.", samples: []),
            MetricFamily(name: "process_resident_memory_bytes", type: .gauge, help: "Resident memory size in bytes.", samples: []),
            MetricFamily(name: "process_start_time_seconds", type: .gauge, help: "Start time of the process since unix epoch in seconds.", samples: []),
            MetricFamily(name: "process_open_fds", type: .gauge, help: "Number of open file descriptors.", samples: []),
            MetricFamily(name: "process_max_fds", type: .gauge, help: "Maximum number of open file descriptors.", samples: []),
        ]
        var simulation = SeededSimulation(registry: registry, startTime: t0.timeIntervalSince1970 - 7200, seed: 42)
        let state = try registry.gauge("process_state", help: "State of the teleport process: 0 - ok, 1 - recovering, 2 - degraded, 3 - starting")
        let build = try registry.gauge("teleport_build_info", help: "Build information.", labels: ["version", "gitref", "goversion"])
        build.set(1, "17.2.1", "v17.2.1-0-g1234567", "go1.23.4")
        let store = MetricStore(target: "127.0.0.1:3000", interval: .seconds(2))
        let states: [ProcessState] = [.ok, .degraded, .recovering, .ok, .ok, .ok]
        for i in 0..<scrapes {
            for _ in 0..<8 { simulation.step(elapsed: 0.25) }
            state.set(states[i % states.count].gaugeValue)
            var families = registry.gather()
            var process = processFamilies
            let values = [12.5 + Double(i) * 0.04, 187_654_321 + Double(i) * 4096, t0.timeIntervalSince1970 - 7200, 41 + Double(i), 65536]
            for j in process.indices { process[j].samples = [Sample(name: process[j].name, value: values[j])] }
            families += process
            families.sort { $0.name < $1.name }
            let time = t0.addingTimeInterval(Double(i) * 2)
            let readyz = ReadyzAnswer(
                statusCode: states[i % states.count].readyzStatusCode,
                status: states[i % states.count].readyzStatusText, pid: 4242)
            await store.ingest(ScrapeResult(time: time, duration: .milliseconds(3), bytes: 48_213, families: families, readyz: readyz, healthy: true))
        }
        if failLast {
            await store.fail(
                ScrapeFailure(
                    time: t0.addingTimeInterval(Double(scrapes) * 2),
                    error: .refused(target: "127.0.0.1:3000"), retryAt: t0.addingTimeInterval(Double(scrapes) * 2 + 4)))
        }
        return store
    }

    /// The snapshot of `store(scrapes:failLast:)`.
    public static func snapshot(scrapes: Int = 4, failLast: Bool = false) async throws -> MetricsSnapshot {
        try await store(scrapes: scrapes, failLast: failLast).snapshot()
    }
}
