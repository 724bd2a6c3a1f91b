import Foundation
import ServiceLifecycle
import TeleportCore

/// A simulated Teleport process for the embedded mode: every family of the catalog's Auth,
/// Proxy, SSH, BPF, Kubernetes and Database sections plus what `tctl top` reads, labelled
/// as Teleport labels them and moving like a small busy cluster (request rates, rare errors,
/// wandering gauges, latency and size histograms). Deterministic for a seed. It imitates
/// the shape of a cluster, not a real one: no real resource names, leaf clusters under
/// example.com.
public struct SimulatedTeleport: Service {
    let engine: DiagnosticsEngine
    let tick: Duration
    let seed: UInt64
    /// The `service_name`s `teleport_services` reports as running (nil: all of them).
    let services: [String]?

    public init(engine: DiagnosticsEngine, tick: Duration = .milliseconds(250), seed: UInt64 = 0x7e1e_9047_5111_0001, services: [String]? = nil) {
        self.engine = engine
        self.tick = tick
        self.seed = seed
        self.services = services
    }

    /// Registers the families, then moves them every tick by the time that really passed,
    /// until graceful shutdown.
    public func run() async throws {
        let registry = engine.registry
        let start = engine.now().timeIntervalSince1970
        let tick = self.tick
        let seed = self.seed
        var specs = SimulationCatalog.specs()
        if let services {
            for i in specs.indices where specs[i].name == "teleport_services" {
                specs[i].labels = .levels("service_name", services.map { ($0, 1) })
            }
        }
        await cancelWhenGracefulShutdown { [specs] in
            var simulation = TeleportSimulation(registry: registry, startTime: start, specs: specs)
            var random = SplitMix64(seed: seed)
            let clock = ContinuousClock()
            var last = clock.now
            var elapsed = Self.seconds(tick)
            while !Task.isCancelled {
                simulation.step(&random, elapsed: elapsed)
                try? await Task.sleep(for: tick)
                let now = clock.now
                elapsed = Self.seconds(now - last)
                last = now
            }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
