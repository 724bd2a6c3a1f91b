import TeleportCore

/// The simulated Teleport's families and their state. `init` registers the families (a
/// name registered already with other help, type, labels or buckets is skipped silently);
/// `step` moves them by `elapsed` seconds. Deterministic for a seed and a sequence of steps.
struct TeleportSimulation: Sendable {
    enum Handle: Sendable {
        case counter(CounterFamily)
        case gauge(GaugeFamily)
        case histogram(HistogramFamily)
    }

    struct Family: Sendable {
        let spec: SimulatedFamilySpec
        let handle: Handle
        let movement: SimulationMovement
        /// The index in `activities` of a shared pace.
        let activity: Int?
        /// Cumulative normalised weights of the series, for picking one by a uniform draw.
        let cumulative: [Double]
        /// Per series: the walk's position, or the seconds a flag stays up.
        var state: [Double]
    }

    private(set) var families: [Family] = []
    /// Names that could not be registered (registered already in another shape).
    private(set) var skipped: [String] = []
    /// The shared activities: rate a second and the current load factor around 1.
    private(set) var activities: [(name: String, rate: Double, load: Double)]
    /// The simulated wall clock, Unix seconds.
    private(set) var clock: Double

    /// Mean reversion of walks and loads, per second.
    static let reversion = 0.05

    init(registry: MetricRegistry, startTime: Double, specs: [SimulatedFamilySpec] = SimulationCatalog.specs()) {
        activities = SimulationProfiles.activities.map { (name: $0.name, rate: $0.rate, load: 1.0) }
        clock = startTime
        for spec in specs {
            guard let handle = Self.register(spec, in: registry) else {
                skipped.append(spec.name)
                continue
            }
            let movement = Self.fits(spec.movement, spec.type) ? spec.movement : SimulationProfiles.movement(for: "", type: spec.type)
            var activity: Int?
            if case .count(.shared(let name), _) = movement { activity = activities.firstIndex { $0.name == name } }
            if case .observe(.shared(let name), _) = movement { activity = activities.firstIndex { $0.name == name } }
            let total = spec.labels.series.reduce(0) { $0 + max(0, $1.weight) }
            var running = 0.0
            let cumulative = spec.labels.series.map { series -> Double in
                running += max(0, series.weight)
                return total > 0 ? running / total : 1
            }
            var state = Array(repeating: 0.0, count: spec.labels.series.count)
            if case .walk(let level, _, _, _, _) = movement { state = state.map { _ in level } }
            let family = Family(spec: spec, handle: handle, movement: movement, activity: activity, cumulative: cumulative, state: state)
            Self.setGauge(family, clock: clock, jitter: 0)
            families.append(family)
        }
    }

    static func register(_ spec: SimulatedFamilySpec, in registry: MetricRegistry) -> Handle? {
        do {
            switch spec.type {
            case .counter: return .counter(try registry.counter(spec.name, help: spec.help, labels: spec.labels.names))
            case .gauge: return .gauge(try registry.gauge(spec.name, help: spec.help, labels: spec.labels.names))
            case .histogram:
                return .histogram(try registry.histogram(spec.name, help: spec.help, labels: spec.labels.names, buckets: spec.buckets))
            default: return nil
            }
        } catch {
            return nil
        }
    }

    static func fits(_ movement: SimulationMovement, _ type: MetricType) -> Bool {
        switch movement {
        case .count: return type == .counter
        case .observe: return type == .histogram
        case .walk, .constant, .flag, .clock: return type == .gauge
        }
    }

    /// Moves every family by `elapsed` seconds (clamped to 0...10: a stalled process does
    /// not make up for lost time in one burst).
    mutating func step(_ random: inout SplitMix64, elapsed: Double) {
        let dt = min(max(elapsed.isFinite ? elapsed : 0, 0), 10)
        guard dt > 0 else { return }
        clock += dt
        var shared: [[Double]] = []
        shared.reserveCapacity(activities.count)
        for i in activities.indices {
            var load = activities[i].load
            load += Self.reversion * (1 - load) * dt + 0.08 * dt.squareRoot() * random.normal()
            activities[i].load = min(2, max(0.4, load))
            let count = random.poisson(activities[i].rate * activities[i].load * dt)
            shared.append((0..<count).map { _ in random.unit() })
        }
        for f in families.indices {
            switch families[f].movement {
            case .count(let pace, let amount):
                let draws = Self.draws(pace, families[f].activity, shared, dt, &random)
                guard case .counter(let counter) = families[f].handle else { continue }
                var sums = Array(repeating: 0.0, count: families[f].cumulative.count)
                for u in draws {
                    guard let s = Self.pick(u, families[f].cumulative) else { break }
                    sums[s] += Self.sample(amount, &random) * families[f].spec.labels.series[s].scale
                }
                for (s, sum) in sums.enumerated() where sum > 0 {
                    counter.increment(labelValues: families[f].spec.labels.series[s].values, by: sum)
                }
            case .observe(let pace, let distribution):
                let draws = Self.draws(pace, families[f].activity, shared, dt, &random)
                guard case .histogram(let histogram) = families[f].handle else { continue }
                for u in draws {
                    guard let s = Self.pick(u, families[f].cumulative) else { break }
                    let series = families[f].spec.labels.series[s]
                    histogram.observe(Self.sample(distribution, &random) * series.scale, labelValues: series.values)
                }
            case .walk(let level, let low, let high, let volatility, _):
                for s in families[f].state.indices {
                    var x = families[f].state[s]
                    x += Self.reversion * (level - x) * dt + volatility * dt.squareRoot() * random.normal()
                    families[f].state[s] = min(high, max(low, x))
                }
                Self.setGauge(families[f], clock: clock, jitter: random.unit())
            case .flag(let rate, let seconds):
                for s in families[f].state.indices {
                    if families[f].state[s] > 0 {
                        families[f].state[s] = max(0, families[f].state[s] - dt)
                    } else if random.unit() < rate * dt {
                        families[f].state[s] = seconds * (0.5 + random.unit())
                    }
                }
                Self.setGauge(families[f], clock: clock, jitter: random.unit())
            case .clock:
                Self.setGauge(families[f], clock: clock, jitter: random.unit())
            case .constant:
                continue
            }
        }
    }

    /// The uniform draws of this step's events: the shared activity's, or the family's own.
    static func draws(_ pace: SimulationPace, _ activity: Int?, _ shared: [[Double]], _ dt: Double, _ random: inout SplitMix64) -> [Double] {
        if let activity, activity < shared.count { return shared[activity] }
        let rate: Double
        if case .rate(let r) = pace { rate = r } else { rate = 0.5 }  // an unknown shared name
        return (0..<random.poisson(rate * dt)).map { _ in random.unit() }
    }

    /// The series a uniform draw falls on (nil when the family has no series).
    static func pick(_ u: Double, _ cumulative: [Double]) -> Int? {
        guard !cumulative.isEmpty else { return nil }
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if u < cumulative[mid] { high = mid } else { low = mid + 1 }
        }
        return low
    }

    static func sample(_ distribution: SimulationDistribution, _ random: inout SplitMix64) -> Double {
        switch distribution {
        case .constant(let value): return value
        case .latency(let median): return random.latency(median: median)
        case .duration(let median): return random.duration(median: median)
        case .bytes(let median): return random.bytes(median: median)
        case .whole(let range): return (range.lowerBound + random.unit() * (range.upperBound - range.lowerBound)).rounded()
        case .choice(let values, let weights):
            let total = weights.reduce(0, +)
            var u = random.unit() * total
            for (value, weight) in zip(values, weights) {
                if u < weight { return value }
                u -= weight
            }
            return values.last ?? 0
        }
    }

    /// Sets a gauge family's series from its state; `jitter` (0..<1) is the share of the
    /// clock's lag this time.
    static func setGauge(_ family: Family, clock: Double, jitter: Double) {
        guard case .gauge(let gauge) = family.handle else { return }
        for (s, series) in family.spec.labels.series.enumerated() {
            let value: Double
            switch family.movement {
            case .walk(_, _, _, _, let whole):
                let level = series.scale * (s < family.state.count ? family.state[s] : 1)
                value = whole ? level.rounded() : level
            case .constant(let constant): value = series.scale * constant
            case .flag: value = s < family.state.count && family.state[s] > 0 ? series.scale : 0
            case .clock(let lag): value = (clock - lag * jitter).rounded(.down)
            case .count, .observe: continue
            }
            gauge.set(value, labelValues: series.values)
        }
    }
}
