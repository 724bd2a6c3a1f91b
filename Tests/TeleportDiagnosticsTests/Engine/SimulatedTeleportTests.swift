import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

@Suite("Simulated Teleport")
struct SimulatedTeleportTests {
    static let start = 1_700_000_000.0

    static func makeEngine() throws -> DiagnosticsEngine {
        let devNull = try #require(FileHandle(forWritingAtPath: "/dev/null"))
        return DiagnosticsEngine(logSink: LogSink(handle: devNull))
    }

    static func simulate(_ engine: DiagnosticsEngine, seed: UInt64 = 7, steps: Int, elapsed: Double = 0.25) -> (TeleportSimulation, SplitMix64) {
        var simulation = TeleportSimulation(registry: engine.registry, startTime: start)
        var random = SplitMix64(seed: seed)
        for _ in 0..<steps { simulation.step(&random, elapsed: elapsed) }
        return (simulation, random)
    }

    /// The sum of every sample called `sample` (default: the family's own name).
    static func total(_ families: [MetricFamily], _ name: String, sample: String? = nil) -> Double {
        let wanted = sample ?? name
        return families.first { $0.name == name }?.samples.filter { $0.name == wanted }.reduce(0) { $0 + $1.value } ?? 0
    }

    @Test("Every family of the simulated sections and every family tctl top reads is registered with its catalog type")
    func registersEverything() throws {
        let engine = try Self.makeEngine()
        let (simulation, _) = Self.simulate(engine, steps: 8)
        #expect(simulation.skipped.isEmpty)
        let types = Dictionary(engine.registry.gather().map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        let catalog = MetricCatalog.builtin
        let rows = catalog.entries.filter { SimulationCatalog.sections.contains($0.section) }
        #expect(rows.count == 148)
        for row in rows {
            let expected: MetricType = row.type == .summary ? .histogram : row.type
            #expect(types[row.name] == expected, "\(row.name)")
        }
        for name in SimulationCatalog.tctlTopNames {
            let expected = catalog.entries(named: name).first?.type ?? SimulationCatalog.extras.first { $0.name == name }?.type
            #expect(expected != nil, "\(name)")
            #expect(types[name] == expected, "\(name)")
        }
        for name in ["teleport_cache_events", "teleport_cache_stale_events"] { #expect(types[name] == .counter) }
        // The engine's own families are still there, untouched.
        #expect(types["process_state"] == .gauge)
        #expect(types["teleport_build_info"] == .gauge)
    }

    @Test("HELP is the catalog's description; labels follow Teleport's; histograms use Teleport's or byte buckets")
    func helpLabelsAndBuckets() throws {
        let engine = try Self.makeEngine()
        _ = Self.simulate(engine, steps: 40)
        let families = engine.registry.gather()
        func family(_ name: String) -> MetricFamily? { families.first { $0.name == name } }
        #expect(family("backend_requests")?.help == "Number of requests to the backend (reads, writes, and keepalives).")
        #expect(family("proxy_peer_server_connections")?.help == "Number of currently opened connection to proxy Proxy Service instances.")
        #expect(family("teleport_services")?.samples.count == 5)
        #expect(family("teleport_services")?.samples.allSatisfy { $0.value == 1 && $0.labels.map(\.name) == ["service_name"] } == true)
        let requests = try #require(family("backend_requests")?.samples.first)
        #expect(requests.labels.map(\.name) == ["component", "req", "range"])
        let handled = try #require(family("grpc_server_handled_total")?.samples.first)
        #expect(handled.labels.map(\.name) == ["grpc_code", "grpc_method", "grpc_service", "grpc_type", "server"])
        #expect(handled.labels.last?.value == "teleport-auth")
        let components = Set(family("backend_read_seconds")?.samples.compactMap { $0.labels.first { $0.name == "component" }?.value } ?? [])
        #expect(components == ["backend", "cache"])
        let queue = family("backend_watcher_queues_total")?.samples.contains { $0.labels == [Label("component", "auth:cache")] }
        #expect(queue == true)
        let readBounds = family("backend_read_seconds")?.samples.filter { $0.name == "backend_read_seconds_bucket" }
            .compactMap { $0.labels.last?.value }.prefix(17)
        #expect(readBounds.map(Array.init) == HistogramBuckets.teleport.map(ExpositionNumber.format) + ["+Inf"])
        let sizeBounds = family("watcher_event_sizes")?.samples.filter { $0.name == "watcher_event_sizes_bucket" }.first?.labels.last?.value
        #expect(sizeBounds == "64")
        #expect(family("teleport_migrations")?.samples.count == 3)
    }

    @Test("Between two steps counters advance, never go back, and histograms gain observations")
    func moves() throws {
        let engine = try Self.makeEngine()
        var (simulation, random) = Self.simulate(engine, steps: 20)
        let before = engine.registry.gather()
        simulation.step(&random, elapsed: 1)
        let after = engine.registry.gather()
        let counters = after.filter { $0.type == .counter }.map(\.name)
        for name in [
            "backend_requests", "grpc_server_handled_total", "grpc_server_started_total", "backend_read_requests_total",
            "teleport_kubernetes_server_api_requests_total", "teleport_cache_events",
        ] {
            #expect(Self.total(after, name) > Self.total(before, name), "\(name)")
        }
        for name in counters {
            let old = Dictionary(before.first { $0.name == name }?.samples.map { ($0.labels, $0.value) } ?? [], uniquingKeysWith: max)
            for sample in after.first(where: { $0.name == name })?.samples ?? [] {
                #expect(sample.value >= (old[sample.labels] ?? 0), "\(name) went back")
            }
        }
        let grown = after.filter { $0.type == .histogram }.filter {
            Self.total(after, $0.name, sample: $0.name + "_count") > Self.total(before, $0.name, sample: $0.name + "_count")
        }
        #expect(grown.count >= 10)
        #expect(grown.contains { $0.name == "backend_read_seconds" })
        // Started and handled RPCs agree per method: they share the events and the split.
        #expect(Self.total(after, "grpc_server_started_total") == Self.total(after, "grpc_server_handled_total"))
        #expect(Self.total(after, "backend_read_requests_total") == Self.total(after, "backend_read_seconds", sample: "backend_read_seconds_count"))
        #expect(
            Self.total(after, "teleport_audit_emit_events")
                == Self.total(after, "teleport_audit_emitted_event_sizes", sample: "teleport_audit_emitted_event_sizes_count"))
    }

    @Test("The exposition parses back, with every simulated family")
    func expositionParses() throws {
        let engine = try Self.makeEngine()
        _ = Self.simulate(engine, steps: 40)
        let parsed = try ExpositionParser().parse(engine.exposition())
        let names = Set(parsed.map(\.name))
        for spec in SimulationCatalog.specs() { #expect(names.contains(spec.name), "\(spec.name)") }
        let histogram = try #require(parsed.first { $0.name == "backend_read_seconds" })
        #expect(histogram.type == .histogram)
    }

    @Test("The same seed and steps give the same exposition")
    func deterministic() throws {
        let a = try Self.makeEngine()
        let b = try Self.makeEngine()
        _ = Self.simulate(a, seed: 42, steps: 30)
        _ = Self.simulate(b, seed: 42, steps: 30)
        let names = Set(SimulationCatalog.specs().map(\.name))
        #expect(a.registry.gather().filter { names.contains($0.name) } == b.registry.gather().filter { names.contains($0.name) })
    }

    @Test("Rates do not depend on the tick")
    func ratesIndependentOfTick() throws {
        let fine = try Self.makeEngine()
        let coarse = try Self.makeEngine()
        _ = Self.simulate(fine, seed: 1, steps: 40, elapsed: 0.25)
        _ = Self.simulate(coarse, seed: 2, steps: 10, elapsed: 1)
        let a = Self.total(fine.registry.gather(), "backend_requests")
        let b = Self.total(coarse.registry.gather(), "backend_requests")
        #expect(a > 1_000 && a < 1_800)  // 140 a second for 10 s
        #expect(abs(a - b) < 0.15 * max(a, b))
    }

    @Test("Latencies are mostly 1-50 ms, with a tail to seconds and now and then beyond the last bucket")
    func latencyShape() {
        var random = SplitMix64(seed: 3)
        let draws = (0..<200_000).map { _ in random.latency(median: 0.006) }
        let body = draws.filter { $0 >= 0.001 && $0 <= 0.05 }.count
        let seconds = draws.filter { $0 >= 1 }.count
        let beyond = draws.filter { $0 > 32.768 }.count
        #expect(Double(body) / Double(draws.count) > 0.9)
        #expect(seconds > 100)
        #expect(beyond >= 3 && beyond <= 40)  // 1 in 20,000
    }

}
