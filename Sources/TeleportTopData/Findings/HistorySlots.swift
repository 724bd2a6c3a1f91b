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
        /// Per slot, the cumulative bucket increases (one per bound).
        var slots: [[Double]]

        /// The buckets summed over slots `range`.
        func buckets(_ range: Range<Int>) -> [HistogramSeries.Bucket] {
            var sums = [Double](repeating: 0, count: bounds.count)
            for s in range where s < slots.count {
                for (b, v) in slots[s].enumerated() { sums[b] += v }
            }
            return zip(bounds, sums).map { HistogramSeries.Bucket(upperBound: $0, cumulativeCount: $1) }
        }

        /// The quantile of each slot's observations (NaN where it had fewer than
        /// `minObservations`: a p99 of 40 observations is the luck of one or two of them).
        func slotQuantiles(_ q: Double, minObservations: Double = 1) -> [Double] {
            slots.map { cumulative in
                guard (cumulative.last ?? 0) >= max(minObservations, 1e-9) else { return .nan }
                let buckets = zip(bounds, cumulative).map { HistogramSeries.Bucket(upperBound: $0, cumulativeCount: $1) }
                return BucketQuantile.estimate(q, buckets: buckets)?.value ?? .nan
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
    var series: [Series]
    var histograms: [Histogram]
    /// Indices into `series` by family name and by series name (a signature reads a few
    /// families of 41k series: no scan).
    private(set) var byName: [String: [Int]] = [:]

    /// The series whose family or series name is one of `names`, in series order.
    func series(named names: Set<String>) -> [Series] {
        var ids = Set<Int>()
        for name in names { ids.formUnion(byName[name] ?? []) }
        return ids.sorted().map { series[$0] }
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
    /// name (nil: all).
    init?(_ history: MetricHistory, windows rolling: FindingsWindows, baseline: DateInterval? = nil, include: ((String) -> Bool)? = nil) {
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
        let times = (from...last).map { history.time(at: $0) }
        let gaps = (from...last).map { history.gap(at: $0) }
        let slotOf: [Int] = times.map { t in
            if t > recentStart { return min(n - 1, b + Int(((t - recentStart) / slot).rounded(.up)) - 1) }
            guard t > baselineStart, t <= baselineEnd + 1e-9 else { return -1 }
            return min(b - 1, Int(((t - baselineStart) / slot).rounded(.up)) - 1)
        }
        // One series at a time: its values decoded into `scratch`, then summed per slot in
        // `sums` and `weights` (all three reused: nothing allocated per point or per series
        // but its result).
        var scratch = [Double](repeating: .nan, count: times.count)
        var sums = [Double](repeating: 0, count: n)
        var weights = [Double](repeating: 0, count: n)
        func slotted(_ id: Int) -> (values: [Double], increases: [Double], isCounter: Bool) {
            let isCounter = Self.isCounter(name: history.series[id].key.name, type: history.series[id].type)
            scratch.withUnsafeMutableBufferPointer { values in
                if history.series[id].sameSince <= from {
                    // Unchanged over the window (most of a Teleport's series): no decoding.
                    values.update(repeating: history.series[id].last)
                } else {
                    history.decode(id, from: from, through: last, into: values)
                }
                sums.withUnsafeMutableBufferPointer { sums in
                    weights.withUnsafeMutableBufferPointer { weights in
                        slotOf.withUnsafeBufferPointer { slotOf in
                            times.withUnsafeBufferPointer { times in
                                gaps.withUnsafeBufferPointer { gaps in
                                    for k in 0..<n {
                                        sums[k] = 0
                                        weights[k] = 0
                                    }
                                    Self.accumulate(
                                        values: UnsafeBufferPointer(values), slotOf: slotOf, times: times, gaps: gaps, isCounter: isCounter,
                                        sums: sums, weights: weights)
                                }
                            }
                        }
                    }
                }
            }
            var out = sums
            for k in 0..<n { out[k] = weights[k] > 0 ? sums[k] / weights[k] : .nan }
            return (out, isCounter ? sums : [], isCounter)
        }
        var bucketIDs = Set<Int>()
        var histograms: [Histogram] = []
        for record in history.histograms where include?(record.familyName) ?? true {
            var slots = [[Double]](repeating: [], count: n)
            for bucket in record.buckets {
                bucketIDs.insert(bucket.id)
                let increases = slotted(bucket.id).increases
                for s in 0..<n { slots[s].append(increases.isEmpty ? 0 : increases[s]) }
            }
            // Cumulative counts never go down across bounds (a bucket missing a pair).
            for s in 0..<n {
                var running = 0.0
                for b in slots[s].indices {
                    running = max(running, slots[s][b])
                    slots[s][b] = running
                }
            }
            histograms.append(Histogram(family: record.familyName, labels: record.labels, bounds: record.buckets.map(\.upperBound), slots: slots))
        }
        var series: [Series] = []
        series.reserveCapacity(history.series.count - bucketIDs.count)
        for id in history.series.indices where !bucketIDs.contains(id) && (include?(history.series[id].familyName) ?? true) {
            let (values, increases, isCounter) = slotted(id)
            series.append(
                Series(
                    key: history.series[id].key, family: history.series[id].familyName, type: history.series[id].type, values: values,
                    increases: increases, isCounter: isCounter))
        }
        self.series = series
        self.histograms = histograms
        for (i, one) in series.enumerated() {
            byName[one.family, default: []].append(i)
            if one.key.name != one.family { byName[one.key.name, default: []].append(i) }
        }
    }

    /// Sums a series' points into their slots: a counter's valid increases (no gap, no
    /// reset, both points present) with the seconds they span; anything else's values with
    /// their count. `values[j]` was taken at `times[j]` and falls in slot `slotOf[j]` (-1: none).
    @inline(__always)
    private static func accumulate(
        values: UnsafeBufferPointer<Double>, slotOf: UnsafeBufferPointer<Int>, times: UnsafeBufferPointer<Double>, gaps: UnsafeBufferPointer<Bool>,
        isCounter: Bool, sums: UnsafeMutableBufferPointer<Double>, weights: UnsafeMutableBufferPointer<Double>
    ) {
        let count = slotOf.count
        if isCounter {
            var j = 1
            while j < count {
                let slot = slotOf[j]
                let v = values[j]
                let p = values[j - 1]
                if slot >= 0, !gaps[j], v >= p {  // false when either is NaN
                    sums[slot] += v - p
                    weights[slot] += times[j] - times[j - 1]
                }
                j += 1
            }
        } else {
            for j in 0..<count {
                let slot = slotOf[j]
                let v = values[j]
                if slot >= 0, !v.isNaN {
                    sums[slot] += v
                    weights[slot] += 1
                }
            }
        }
    }

    static func isCounter(name: String, type: MetricType) -> Bool {
        switch type {
        case .counter: return true
        case .histogram, .summary: return name.hasSuffix("_count") || name.hasSuffix("_sum") || name.hasSuffix("_bucket")
        default: return false
        }
    }
}
