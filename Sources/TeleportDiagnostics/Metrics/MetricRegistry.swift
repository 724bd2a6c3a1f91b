import Synchronization
import TeleportCore

/// The engine's own metrics: counters, gauges and histograms with labels, plus collectors
/// that compute families at scrape time (process metrics). `gather()` returns families
/// sorted by name and series sorted by label values, so the exposition is stable.
public final class MetricRegistry: Sendable {
    private struct Entry: Sendable {
        var type: MetricType
        var help: String
        var labelNames: [String]
        var buckets: [Double]
        var store: any SeriesStore
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let collectors = Mutex<[@Sendable () -> [MetricFamily]]>([])

    public init() {}

    /// A counter family; the same call twice returns the same family.
    public func counter(_ name: String, help: String, labels: [String] = []) throws(MetricRegistryError) -> CounterFamily {
        let store = try register(name, .counter, help, labels, []) { ScalarStore(labelCount: labels.count) }
        if labels.isEmpty { store.values.withLock { if $0[[]] == nil { $0[[]] = 0 } } }  // as client_golang: 0 from the start
        return CounterFamily(store: store)
    }

    /// A gauge family; the same call twice returns the same family.
    public func gauge(_ name: String, help: String, labels: [String] = []) throws(MetricRegistryError) -> GaugeFamily {
        let store = try register(name, .gauge, help, labels, []) { ScalarStore(labelCount: labels.count) }
        if labels.isEmpty { store.values.withLock { if $0[[]] == nil { $0[[]] = 0 } } }
        return GaugeFamily(store: store)
    }

    /// A histogram family with the given upper bounds (Teleport's by default).
    public func histogram(
        _ name: String, help: String, labels: [String] = [], buckets: [Double] = HistogramBuckets.teleport
    ) throws(MetricRegistryError) -> HistogramFamily {
        let bounds = Array(Set(buckets.filter { $0.isFinite })).sorted()
        let store = try register(name, .histogram, help, labels, bounds) { HistogramStore(bounds: bounds, labelCount: labels.count) }
        if labels.isEmpty {
            store.series.withLock { if $0[[]] == nil { $0[[]] = HistogramStore.Series(counts: Array(repeating: 0, count: bounds.count + 1)) } }
        }
        return HistogramFamily(store: store)
    }

    /// Adds a collector whose families are computed at every `gather()`. A collected family
    /// whose name is registered already is left out.
    public func register(collector: @escaping @Sendable () -> [MetricFamily]) {
        collectors.withLock { $0.append(collector) }
    }

    /// Every family, sorted by name.
    public func gather() -> [MetricFamily] {
        let snapshot = entries.withLock { $0 }
        var families: [MetricFamily] = snapshot.map { name, entry in
            MetricFamily(
                name: name, type: entry.type, help: entry.help,
                samples: entry.store.samples(name: name, labelNames: entry.labelNames))
        }
        var names = Set(snapshot.keys)
        for collect in collectors.withLock({ $0 }) {
            for family in collect() where !names.contains(family.name) {
                names.insert(family.name)
                families.append(family)
            }
        }
        families.sort { $0.name < $1.name }
        return families
    }

    private func register<S: SeriesStore>(
        _ name: String, _ type: MetricType, _ help: String, _ labels: [String], _ buckets: [Double], make: () -> S
    ) throws(MetricRegistryError) -> S {
        guard Self.isValidMetricName(name) else { throw .invalidName(name) }
        for label in labels where !Self.isValidLabelName(label) || label == "le" && type == .histogram {
            throw .invalidName(label)
        }
        let result: Result<S, MetricRegistryError> = entries.withLock { entries in
            if let existing = entries[name] {
                if existing.type != type { return .failure(.conflict(name: name, reason: "type \(existing.type.rawValue)")) }
                if existing.help != help { return .failure(.conflict(name: name, reason: "other help text")) }
                if existing.labelNames != labels { return .failure(.conflict(name: name, reason: "other label names")) }
                if existing.buckets != buckets { return .failure(.conflict(name: name, reason: "other buckets")) }
                guard let store = existing.store as? S else { return .failure(.conflict(name: name, reason: "another kind")) }
                return .success(store)
            }
            let store = make()
            entries[name] = Entry(type: type, help: help, labelNames: labels, buckets: buckets, store: store)
            return .success(store)
        }
        return try result.get()
    }

    static func isValidMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "0") else { return false }
        return name.utf8.allSatisfy { b in
            (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") || b == UInt8(ascii: "_")
                || b == UInt8(ascii: ":") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
        } && !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
    }

    static func isValidLabelName(_ name: String) -> Bool {
        !name.contains(":") && isValidMetricName(name) && !name.hasPrefix("__")
    }
}

/// Storage for one family's series, keyed by label values.
protocol SeriesStore: AnyObject, Sendable {
    func samples(name: String, labelNames: [String]) -> [Sample]
}

/// Labels for a series: the registry's label names zipped with the given values (missing
/// values are empty, extra values are dropped, so a miscounted call never traps).
func labelPairs(_ names: [String], _ values: [String]) -> [Label] {
    names.enumerated().map { i, name in Label(name, i < values.count ? values[i] : "") }
}

func normalized(_ values: [String], count: Int) -> [String] {
    if values.count == count { return values }
    return (0..<count).map { $0 < values.count ? values[$0] : "" }
}

final class ScalarStore: SeriesStore {
    let labelCount: Int
    let values = Mutex<[[String]: Double]>([:])

    init(labelCount: Int) { self.labelCount = labelCount }

    func samples(name: String, labelNames: [String]) -> [Sample] {
        let snapshot = values.withLock { $0 }
        return snapshot.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { key, value in
            Sample(name: name, labels: labelPairs(labelNames, key), value: value)
        }
    }
}

final class HistogramStore: SeriesStore {
    struct Series: Sendable {
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    let bounds: [Double]
    let labelCount: Int
    let series = Mutex<[[String]: Series]>([:])

    init(bounds: [Double], labelCount: Int) {
        self.bounds = bounds
        self.labelCount = labelCount
    }

    func observe(_ value: Double, key: [String]) {
        guard !value.isNaN else { return }
        let key = normalized(key, count: labelCount)
        let index = bounds.firstIndex { value <= $0 } ?? bounds.count
        series.withLock { all in
            var s = all[key] ?? Series(counts: Array(repeating: 0, count: bounds.count + 1))
            s.counts[index] += 1
            s.sum += value
            s.count += 1
            all[key] = s
        }
    }

    func samples(name: String, labelNames: [String]) -> [Sample] {
        let snapshot = series.withLock { $0 }
        var out: [Sample] = []
        for (key, s) in snapshot.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let labels = labelPairs(labelNames, key)
            var cumulative: UInt64 = 0
            for (i, bound) in bounds.enumerated() {
                cumulative += s.counts[i]
                out.append(Sample(name: name + "_bucket", labels: labels + [Label("le", ExpositionNumber.format(bound))], value: Double(cumulative)))
            }
            out.append(Sample(name: name + "_bucket", labels: labels + [Label("le", "+Inf")], value: Double(s.count)))
            out.append(Sample(name: name + "_sum", labels: labels, value: s.sum))
            out.append(Sample(name: name + "_count", labels: labels, value: Double(s.count)))
        }
        return out
    }
}

/// A registered counter family. Counters only go up.
public struct CounterFamily: Sendable {
    let store: ScalarStore

    /// Adds `amount` (ignored unless positive) to the series with these label values.
    public func increment(_ labelValues: String..., by amount: Double = 1) {
        increment(labelValues: labelValues, by: amount)
    }

    public func increment(labelValues: [String], by amount: Double = 1) {
        guard amount > 0 else { return }
        let key = normalized(labelValues, count: store.labelCount)
        store.values.withLock { $0[key, default: 0] += amount }
    }

    /// The current value of a series (0 when it has never been incremented).
    public func value(_ labelValues: String...) -> Double {
        let key = normalized(labelValues, count: store.labelCount)
        return store.values.withLock { $0[key] ?? 0 }
    }
}

/// A registered gauge family.
public struct GaugeFamily: Sendable {
    let store: ScalarStore

    public func set(_ value: Double, _ labelValues: String...) {
        set(value, labelValues: labelValues)
    }

    public func set(_ value: Double, labelValues: [String]) {
        let key = normalized(labelValues, count: store.labelCount)
        store.values.withLock { $0[key] = value }
    }

    public func add(_ delta: Double, _ labelValues: String...) {
        let key = normalized(labelValues, count: store.labelCount)
        store.values.withLock { $0[key, default: 0] += delta }
    }

    public func value(_ labelValues: String...) -> Double {
        let key = normalized(labelValues, count: store.labelCount)
        return store.values.withLock { $0[key] ?? 0 }
    }
}

/// A registered histogram family.
public struct HistogramFamily: Sendable {
    let store: HistogramStore

    /// Records one observation in the series with these label values.
    public func observe(_ value: Double, _ labelValues: String...) {
        store.observe(value, key: labelValues)
    }

    public func observe(_ value: Double, labelValues: [String]) {
        store.observe(value, key: labelValues)
    }
}
