import TeleportCore

/// The labels of one simulated family: the label names it is registered with and the series
/// the simulation moves. Each series has a weight (its share of the family's events) and a
/// scale (multiplies observed values, counter amounts and gauge levels).
struct SimulationLabels: Sendable {
    struct Series: Sendable {
        var values: [String]
        var weight: Double
        var scale: Double
    }

    var names: [String]
    var series: [Series]

    /// No labels: one series.
    static let none = SimulationLabels(names: [], series: [Series(values: [], weight: 1, scale: 1)])

    /// One label with weighted values (scale 1).
    static func label(_ name: String, _ values: [(String, Double)]) -> SimulationLabels {
        SimulationLabels(names: [name], series: values.map { Series(values: [$0.0], weight: $0.1, scale: 1) })
    }

    /// One label with weighted and scaled values: (value, weight, scale).
    static func scaled(_ name: String, _ values: [(String, Double, Double)]) -> SimulationLabels {
        SimulationLabels(names: [name], series: values.map { Series(values: [$0.0], weight: $0.1, scale: $0.2) })
    }

    /// One label for a gauge: each value's level (its scale), equal weights.
    static func levels(_ name: String, _ values: [(String, Double)]) -> SimulationLabels {
        SimulationLabels(names: [name], series: values.map { Series(values: [$0.0], weight: 1, scale: $0.1) })
    }

    /// Several labels a row: (values, weight, scale).
    static func rows(_ names: [String], _ rows: [([String], Double, Double)]) -> SimulationLabels {
        SimulationLabels(names: names, series: rows.map { Series(values: $0.0, weight: $0.1, scale: $0.2) })
    }

    /// Every series of `self` split over every series of `other`. Each series keeps its
    /// total weight (the split uses `other`'s weights normalised), so an event's uniform
    /// draw picks the same `self` series in both tables: families that share an activity
    /// and a table prefix agree (started and handled RPCs per method, for instance).
    func crossed(with other: SimulationLabels) -> SimulationLabels {
        let total = other.series.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return self }
        var out: [Series] = []
        for a in series {
            for b in other.series {
                out.append(Series(values: a.values + b.values, weight: a.weight * b.weight / total, scale: a.scale * b.scale))
            }
        }
        return SimulationLabels(names: names + other.names, series: out)
    }

    /// The same series with the label names in `order` (client_golang writes label names
    /// sorted; the series order, and so the event split, is unchanged). Names missing from
    /// `order` keep their place after the listed ones.
    func ordered(_ order: [String]) -> SimulationLabels {
        let indices =
            order.compactMap { names.firstIndex(of: $0) }
            + names.indices.filter { !order.contains(names[$0]) }
        return SimulationLabels(
            names: indices.map { names[$0] },
            series: series.map { s in Series(values: indices.map { s.values[$0] }, weight: s.weight, scale: s.scale) })
    }

    /// The same series with scale 1 (a counter sharing a latency table's split).
    var unscaled: SimulationLabels {
        SimulationLabels(names: names, series: series.map { Series(values: $0.values, weight: $0.weight, scale: 1) })
    }
}

/// How many events a family sees in a step.
enum SimulationPace: Sendable, Hashable {
    /// The family's own Poisson stream of this many events a second.
    case rate(Double)
    /// A named activity of `SimulationProfiles.activities`, shared with other families so
    /// their counts agree (a request counter and its latency histogram).
    case shared(String)
}

/// What a histogram observes, or a counter adds, per event (times the series' scale).
enum SimulationDistribution: Sendable, Hashable {
    case constant(Double)
    /// Seconds: log-normal around the median with a long tail (`SplitMix64.latency`).
    case latency(median: Double)
    /// Seconds: wide log-normal, no tail (sessions, connections, batch jobs).
    case duration(median: Double)
    /// Bytes: log-normal around the median.
    case bytes(median: Double)
    /// Uniform in the range, rounded to a whole number.
    case whole(ClosedRange<Double>)
    /// One of the values, with weights.
    case choice([Double], weights: [Double])
}

/// How a family moves every step.
enum SimulationMovement: Sendable, Hashable {
    /// Counter: each event adds an amount to the series it falls on.
    case count(SimulationPace, amount: SimulationDistribution = .constant(1))
    /// Histogram: each event observes one value in the series it falls on.
    case observe(SimulationPace, SimulationDistribution)
    /// Gauge: a mean-reverting random walk of each series' scale times x, x starting at
    /// `level` and kept within `low...high`, moving `volatility` per square-root second;
    /// whole numbers when `whole`.
    case walk(level: Double, low: Double, high: Double, volatility: Double, whole: Bool = true)
    /// Gauge: each series' scale times `value`, never moving.
    case constant(Double)
    /// Gauge: 0, turning 1 at `rate` a second (per series) for about `seconds`.
    case flag(rate: Double, seconds: Double)
    /// Gauge: the simulated clock in Unix seconds, lagging up to `lag` seconds.
    case clock(lag: Double)
}

/// One family the simulation registers and moves.
struct SimulatedFamilySpec: Sendable {
    var name: String
    var type: MetricType
    var help: String
    var labels: SimulationLabels
    var buckets: [Double]
    var movement: SimulationMovement
}
