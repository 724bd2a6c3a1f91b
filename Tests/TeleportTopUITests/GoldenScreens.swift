import Foundation
import Testing

@testable import TeleportDiagnostics
@testable import TeleportTopUI

/// Golden screens: plain text files in Tests/TeleportTopUITests/Goldens. A missing or
/// different golden fails; `UPDATE_GOLDENS=1 swift test` rewrites them (never under CI), and
/// the diff is reviewed with git.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    static func check(_ screen: Screen, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let file = directory.appendingPathComponent("\(name).txt")
        let text = screen.text + "\n"
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" && ProcessInfo.processInfo.environment["CI"] != "true"
        if update {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        guard let golden = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("missing golden \(name).txt (run UPDATE_GOLDENS=1 swift test, then review it)", sourceLocation: sourceLocation)
            return
        }
        if golden != text {
            let a = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let b = text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            Issue.record("golden \(name).txt differs at line \(first + 1):\nwant: \(first < a.count ? String(a[first]) : "")\ngot:  \(first < b.count ? String(b[first]) : "")",
                sourceLocation: sourceLocation)
        }
    }
}

/// Fixed snapshots for the goldens: the simulated Teleport with a fixed seed, fixed process
/// figures, a fixed clock (UTC), and a state history with a degraded episode.
enum Fixtures {
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-17 10:26:40 UTC

    static func snapshot(scrapes: Int = 4, failLast: Bool = false, focus: HistogramSelection? = nil) async -> MetricsSnapshot {
        let registry = MetricRegistry()
        let processFamilies: [MetricFamily] = [
            MetricFamily(name: "process_cpu_seconds_total", type: .counter, help: "Total user and system CPU time spent in seconds.", samples: []),
            MetricFamily(name: "process_resident_memory_bytes", type: .gauge, help: "Resident memory size in bytes.", samples: []),
            MetricFamily(name: "process_start_time_seconds", type: .gauge, help: "Start time of the process since unix epoch in seconds.", samples: []),
            MetricFamily(name: "process_open_fds", type: .gauge, help: "Number of open file descriptors.", samples: []),
            MetricFamily(name: "process_max_fds", type: .gauge, help: "Maximum number of open file descriptors.", samples: []),
        ]
        var simulation = TeleportSimulation(registry: registry, startTime: t0.timeIntervalSince1970 - 7200)
        var random = SplitMix64(seed: 42)
        let state = try! registry.gauge("process_state", help: "State of the teleport process: 0 - ok, 1 - recovering, 2 - degraded, 3 - starting")
        let build = try! registry.gauge("teleport_build_info", help: "Build information.", labels: ["version", "gitref", "goversion"])
        build.set(1, "17.2.1", "v17.2.1-0-g1234567", "go1.23.4")
        let store = MetricStore(target: "127.0.0.1:3000", interval: .seconds(2))
        let states: [ProcessState] = [.ok, .degraded, .recovering, .ok, .ok, .ok]
        for i in 0..<scrapes {
            for _ in 0..<8 { simulation.step(&random, elapsed: 0.25) }
            state.set(states[i % states.count].gaugeValue)
            var families = registry.gather()
            var process = processFamilies
            let values = [12.5 + Double(i) * 0.04, 187_654_321 + Double(i) * 4096, t0.timeIntervalSince1970 - 7200, 41 + Double(i), 65536]
            for j in process.indices { process[j].samples = [Sample(name: process[j].name, value: values[j])] }
            families += process
            families.sort { $0.name < $1.name }
            let time = t0.addingTimeInterval(Double(i) * 2)
            let readyz = ReadyzAnswer(statusCode: states[i % states.count].readyzStatusCode,
                status: states[i % states.count].readyzStatusText, pid: 4242)
            await store.ingest(ScrapeResult(time: time, duration: .milliseconds(3), bytes: 48_213, families: families, readyz: readyz, healthy: true))
        }
        if failLast {
            await store.fail(ScrapeFailure(time: t0.addingTimeInterval(Double(scrapes) * 2),
                error: .refused(target: "127.0.0.1:3000"), retryAt: t0.addingTimeInterval(Double(scrapes) * 2 + 4)))
        }
        if let focus { await store.focus(family: focus.family, labels: focus.labels) }
        return await store.snapshot()
    }

    static func state(_ snapshot: MetricsSnapshot, tab: Tab = .overview) -> DashboardState {
        var state = DashboardState(snapshot: snapshot, isEmbedded: false, now: t0.addingTimeInterval(7.5))
        state.tab = tab
        return state
    }
}
