import Foundation
import ServiceLifecycle

/// Traffic for the simulated Teleport: backend requests and latencies, gRPC calls, logins
/// and connected resources, moving every tick so rates and histograms change between
/// scrapes. Deterministic for a given seed.
public struct SimulatedWorkload: Service {
    let engine: DiagnosticsEngine
    let tick: Duration
    let seed: UInt64

    public init(engine: DiagnosticsEngine, tick: Duration = .milliseconds(500), seed: UInt64 = 0x7e1e_9047) {
        self.engine = engine
        self.tick = tick
        self.seed = seed
    }

    /// The families the workload moves.
    struct Families {
        let backendRequests: CounterFamily
        let backendRead: HistogramFamily
        let backendWrite: HistogramFamily
        let grpcHandled: CounterFamily
        let logins: CounterFamily
        let connected: GaugeFamily

        init(_ registry: MetricRegistry) throws(MetricRegistryError) {
            backendRequests = try registry.counter("backend_requests",
                help: "Number of requests to the backend (reads, writes, and keepalives).", labels: ["component", "req", "range"])
            backendRead = try registry.histogram("backend_read_seconds", help: "Latency for read operations.", labels: ["component"])
            backendWrite = try registry.histogram("backend_write_seconds", help: "Latency for backend write operations.", labels: ["component"])
            grpcHandled = try registry.counter("grpc_server_handled_total",
                help: "Total number of RPCs completed on the server, regardless of success or failure.",
                labels: ["grpc_code", "grpc_method", "grpc_service", "grpc_type", "server"])
            logins = try registry.counter("user_login_total", help: "Number of times there was a user login")
            connected = try registry.gauge("teleport_connected_resources",
                help: "Number and type of resources connected via keepalives.", labels: ["type"])
        }
    }

    static let keys = ["/nodes/default", "/roles", "/authorities/host", "/web/sessions", "/namespaces/default"]
    static let methods = ["GetAuthPreference", "GetClusterName", "GetRoles", "UpsertNode", "GenerateUserCerts"]

    public func run() async throws {
        let families = try Families(engine.registry)
        let seed = self.seed
        families.connected.set(12, "node")
        families.connected.set(3, "kube")
        families.connected.set(2, "db")
        let tick = self.tick
        await cancelWhenGracefulShutdown {
            var random = SplitMix64(seed: seed)
            while !Task.isCancelled {
                Self.step(families, &random)
                try? await Task.sleep(for: tick)
            }
        }
    }

    static func step(_ f: Families, _ random: inout SplitMix64) {
        for _ in 0..<(3 + random.next(below: 8)) {
            let key = keys[random.next(below: keys.count)]
            let component = random.next(below: 3) == 0 ? "cache" : "backend"
            f.backendRequests.increment(component, key, random.next(below: 4) == 0 ? "true" : "false")
            f.backendRead.observe(random.latency(), component)
        }
        if random.next(below: 2) == 0 { f.backendWrite.observe(random.latency() * 3, "backend") }
        for _ in 0..<(1 + random.next(below: 5)) {
            let code = random.next(below: 50) == 0 ? "Unavailable" : "OK"
            f.grpcHandled.increment(code, methods[random.next(below: methods.count)], "proto.AuthService", "unary", "teleport-auth")
        }
        if random.next(below: 10) == 0 { f.logins.increment() }
    }
}

/// A small deterministic random generator (SplitMix64).
struct SplitMix64: Sendable {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    /// A uniform value in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A latency in seconds: mostly 1-50 ms, now and then up to a few seconds.
    mutating func latency() -> Double {
        let u = unit()
        if u < 0.97 { return 0.001 + unit() * 0.049 }
        return 0.05 + unit() * 3
    }
}
