import Foundation
import TeleportCore

/// A store's history cut into equal slots of time: the baseline's slots, then the recent
/// window's ending at the newest scrape; per series the slot's rate (counters, reset- and
/// gap-aware) or mean (everything else), per histogram the bucket increases of each slot. The
/// baseline is the window just before the recent one, or a fixed span of scrape time. Pure:
/// built from a `MetricHistory` value.
struct HistorySlots: Sendable {
    struct Series: Sendable {
        var key: SeriesKey
        var family: String
        var type: MetricType
        /// Counters: per-second rate in each slot; others: the mean. NaN: no point.
        var values: [Double]
        /// Counters: the valid increase in each slot (0 where none).
        var increases: [Double]
        var isCounter: Bool
    }

    struct Histogram: Sendable {
        var family: String
        var labels: [Label]
        var bounds: [Double]
        /// Per slot, the cumulative bucket increases (one per bound), flat: slot `s`'s at
        /// `s * bounds.count ..< (s + 1) * bounds.count`.
        var cumulative: [Double]
        var slotCount: Int

        /// The cumulative increases of slot `s`.
        func slot(_ s: Int) -> ArraySlice<Double> { cumulative[(s * bounds.count)..<((s + 1) * bounds.count)] }

        /// The buckets summed over slots `range`.
        func buckets(_ range: Range<Int>) -> [HistogramSeries.Bucket] {
            var sums = [Double](repeating: 0, count: bounds.count)
            for s in range where s < slotCount {
                for (b, v) in slot(s).enumerated() { sums[b] += v }
            }
            return zip(bounds, sums).map { HistogramSeries.Bucket(upperBound: $0, cumulativeCount: $1) }
        }

        /// The quantile of each slot's observations (NaN where it had fewer than
        /// `minObservations`: a p99 of 40 observations is the luck of one or two of them).
        func slotQuantiles(_ q: Double, minObservations: Double = 1) -> [Double] {
            let m = bounds.count
            let least = max(minObservations, 1e-9)
            // Bounds ascending and distinct with +Inf last (as a histogram exposes them): each
            // slot's counts, already cumulative, are read in place.
            let inShape = bounds.last == .infinity && zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }
            return bounds.withUnsafeBufferPointer { bounds in
                cumulative.withUnsafeBufferPointer { counts in
                    (0..<slotCount).map { s in
                        guard m > 0, counts[s * m + m - 1] >= least else { return .nan }
                        if inShape {
                            return BucketQuantile.estimateSorted(q, count: m, bound: { bounds[$0] }, cumulative: { counts[s * m + $0] })?.value ?? .nan
                        }
                        let buckets = (0..<m).map { HistogramSeries.Bucket(upperBound: bounds[$0], cumulativeCount: counts[s * m + $0]) }
                        return BucketQuantile.estimate(q, buckets: buckets)?.value ?? .nan
                    }
                }
            }
        }
    }

    /// The rolling windows (with a fixed baseline, `baseline` is its slots' length).
    let windows: FindingsWindows
    /// The newest scrape's time (the evaluation's time).
    let end: Date
    /// Seconds the held scrapes span.
    let coveredSeconds: Double
    /// The start of the baseline's first slot, in seconds since 1970.
    let baselineStart: Double
    /// The fixed baseline asked for (nil: the window before the recent one).
    let fixedBaseline: DateInterval?
    /// The oldest held scrape reaches back to the baseline's start.
    let holdsBaseline: Bool
    var histograms: [Histogram]
    /// The history cut (the series' keys, families and types are read from it).
    private let history: MetricHistory
    /// The history ids of the slotted series (histogram buckets are in `histograms`).
    private let ids: [Int]
    private let counters: [Bool]
    /// Every series' slots, `windows.slots` per series: values (rates or means) and counters'
    /// increases (0 for other series). Flat: a 41k-series target is two allocations, not 82k.
    private let flatValues: [Double]
    private let flatIncreases: [Double]
    /// Indices of series by family name and by series name (a signature reads a few
    /// families of 41k series: no scan).
    private(set) var byName: [String: [Int]] = [:]

    /// How many series are slotted.
    var count: Int { ids.count }

    func key(at index: Int) -> SeriesKey { history.series[ids[index]].key }
    func family(at index: Int) -> String { history.series[ids[index]].familyName }
    func type(at index: Int) -> MetricType { history.series[ids[index]].type }
    func isCounter(at index: Int) -> Bool { counters[index] }

    /// Reads a series' slot values (`windows.slots` of them) without copying them.
    func withValues<R>(at index: Int, _ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        let n = windows.slots
        return try flatValues.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[index * n..<(index + 1) * n])) }
    }

    /// One series as a value.
    func series(at index: Int) -> Series {
        let n = windows.slots
        let record = history.series[ids[index]]
        let counter = counters[index]
        return Series(
            key: record.key, family: record.familyName, type: record.type, values: Array(flatValues[index * n..<(index + 1) * n]),
            increases: counter ? Array(flatIncreases[index * n..<(index + 1) * n]) : [], isCounter: counter)
    }

    /// The series whose family or series name is one of `names`, in series order.
    func series(named names: Set<String>) -> [Series] {
        var ids = Set<Int>()
        for name in names { ids.formUnion(byName[name] ?? []) }
        return ids.sorted().map(series(at:))
    }

    /// The start of slot `index` (0: the baseline's oldest).
    func slotStart(_ index: Int) -> Date {
        let b = windows.baselineSlots
        if index < b { return Date(timeIntervalSince1970: baselineStart + Double(index) * windows.slot) }
        return end.addingTimeInterval(-Double(windows.slots - index) * windows.slot)
    }

    var baselineRange: Range<Int> { 0..<windows.baselineSlots }
    var recentRange: Range<Int> { windows.baselineSlots..<windows.slots }

    /// How the evidence names the baseline: "the 240 s before", "the baseline 05:10:00-05:20:00 UTC".
    var baselineText: String {
        guard let fixedBaseline else { return "the \(FindingFigure.number(windows.baseline)) s before" }
        return "the baseline \(FindingFigure.clock(fixedBaseline.start, zone: false))-\(FindingFigure.clock(fixedBaseline.end))"
    }

    /// Slots of `history` under `windows`; nil before two scrapes, or when a fixed `baseline`
    /// leaves less than a slot before the recent window. `include` picks the series by family
    /// name (nil: all); `workers` forces how many threads slot them (nil: one per core for
    /// a large target).
    init?(
        _ history: MetricHistory, windows rolling: FindingsWindows, baseline: DateInterval? = nil, include: ((String) -> Bool)? = nil,
        workers: Int? = nil
    ) {
        guard history.pointsPerSeries >= 2 else { return nil }
        let last = history.scrapeCount - 1
        let endTime = history.time(at: last)
        let slot = rolling.slot
        let recentStart = endTime - Double(rolling.recentSlots) * slot
        var windows = rolling
        var baselineStart = recentStart - Double(rolling.baselineSlots) * slot
        if let baseline {
            let start = baseline.start.timeIntervalSince1970
            let usable = min(baseline.end.timeIntervalSince1970, recentStart) - start
            let count = Int((usable / slot + 1e-9).rounded(.down))
            guard count >= 1 else { return nil }
            windows = FindingsWindows(recent: rolling.recent, baseline: Double(count) * slot, slot: slot)
            baselineStart = start
        }
        self.windows = windows
        self.fixedBaseline = baseline
        self.baselineStart = baselineStart
        self.history = history
        self.end = Date(timeIntervalSince1970: endTime)
        let oldest = history.time(at: history.base)
        self.coveredSeconds = endTime - oldest
        self.holdsBaseline = oldest <= baselineStart + slot / 2
        let n = windows.slots
        let b = windows.baselineSlots
        let baselineEnd = baselineStart + Double(b) * slot
        // The first scrape whose pair (i - 1, i) lands in a slot.
        var first = last
        while first > history.base, history.time(at: first - 1) > baselineStart { first -= 1 }
        let from = max(history.base, first - 1)
        let frame = SlotFrame(
            history: history, from: from, last: last, slots: n,
            slotOf: (from...last).map { index in
                let t = history.time(at: index)
                if t > recentStart { return min(n - 1, b + Int(((t - recentStart) / slot).rounded(.up)) - 1) }
                guard t > baselineStart, t <= baselineEnd + 1e-9 else { return -1 }
                return min(b - 1, Int(((t - baselineStart) / slot).rounded(.up)) - 1)
            })
        // The jobs: every series picked but histogram buckets, then every histogram's buckets.
        let records = history.histograms.filter { include?($0.familyName) ?? true }
        var bucketIDs: [Int] = []
        for record in records { bucketIDs += record.buckets.map(\.id) }
        var isBucket = [Bool](repeating: false, count: history.series.count)
        for id in bucketIDs { isBucket[id] = true }
        // A family's series sit together: `include` is asked once per run of them.
        var lastFamily: String?
        var lastIncluded = true
        var jobs = history.series.indices.filter { id in
            guard !isBucket[id] else { return false }
            guard let include else { return true }
            let family = history.series[id].familyName
            if family != lastFamily {
                lastFamily = family
                lastIncluded = include(family)
            }
            return lastIncluded
        }
        let seriesJobs = jobs.count
        jobs += bucketIDs
        let counters = jobs.map { Self.isCounter(name: history.series[$0].key.name, type: history.series[$0].type) }
        let (values, increases) = frame.slot(jobs, counters: counters, workers: workers)
        // Histograms: each slot's bucket increases, cumulative (never down across bounds: a
        // bucket missing a pair).
        var histograms: [Histogram] = []
        var job = seriesJobs
        for record in records {
            let m = record.buckets.count
            var cumulative = [Double](repeating: 0, count: n * m)
            for b in 0..<m {
                for s in 0..<n { cumulative[s * m + b] = increases[(job + b) * n + s] }
            }
            job += m
            for s in 0..<n {
                var running = 0.0
                for b in 0..<m {
                    running = max(running, cumulative[s * m + b])
                    cumulative[s * m + b] = running
                }
            }
            histograms.append(
                Histogram(family: record.familyName, labels: record.labels, bounds: record.buckets.map(\.upperBound), cumulative: cumulative, slotCount: n))
        }
        self.histograms = histograms
        // The buckets' slots stay at the end of the flat arrays, unread (no copy).
        self.ids = Array(jobs[..<seriesJobs])
        self.counters = Array(counters[..<seriesJobs])
        self.flatValues = values
        self.flatIncreases = increases
        // By family a run at a time (a family's series sit together), by series name where it differs.
        var run: (family: String, indices: [Int])?
        for (i, id) in ids.enumerated() {
            let record = history.series[id]
            if run?.family != record.familyName {
                if let run { byName[run.family, default: []] += run.indices }
                run = (record.familyName, [])
            }
            run?.indices.append(i)
            if record.key.name != record.familyName { byName[record.key.name, default: []].append(i) }
        }
        if let run { byName[run.family, default: []] += run.indices }
    }

    static func isCounter(name: String, type: MetricType) -> Bool {
        switch type {
        case .counter: return true
        case .histogram, .summary: return name.hasSuffix("_count") || name.hasSuffix("_sum") || name.hasSuffix("_bucket")
        default: return false
        }
    }
}
