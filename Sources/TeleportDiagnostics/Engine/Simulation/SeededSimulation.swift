import TeleportCore

/// The simulated Teleport's workload without clocks or services: a seeded generator stepped
/// by hand, so tests, goldens and benchmarks get the same figures every run.
public struct SeededSimulation: Sendable {
    private var simulation: TeleportSimulation
    private var random: SplitMix64

    /// Registers every simulated family in `registry`; `startTime` is the process start (Unix seconds).
    public init(registry: MetricRegistry, startTime: Double, seed: UInt64) {
        simulation = TeleportSimulation(registry: registry, startTime: startTime)
        random = SplitMix64(seed: seed)
    }

    /// Advances the workload by `elapsed` seconds.
    public mutating func step(elapsed: Double) {
        simulation.step(&random, elapsed: elapsed)
    }
}
