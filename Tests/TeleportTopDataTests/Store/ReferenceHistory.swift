import Foundation
import TeleportCore

/// The history as it was before compression (kept as the reference the compressed one must
/// match bit for bit): a ring of scrape times and, per series, a ring of
/// values aligned with it (one timestamp per scrape, 8 bytes per value, NaN where a series
/// was absent). Pure computation: the `MetricStore` actor owns one.
///
/// Gaps: a failed scrape, more than 2.5 x the interval between scrapes, or a changed
/// `process_start_time_seconds` mark the next scrape as following a gap; no rate or
/// bucket delta is taken across one. A counter that goes down starts a new epoch: the pair
/// across the reset is skipped, so no rate is ever negative.
struct ReferenceHistory: Sendable {
    public let capacity: Int
    public let interval: Duration

    struct SeriesRecord: Sendable {
        var key: SeriesKey
        var familyName: String
        var type: MetricType
        var values: [Double]
        var lastSeen: Int
    }

    struct HistogramRecord: Sendable {
        var familyName: String
        var labels: [Label]
        var buckets: [(upperBound: Double, id: Int)] = []
        var countID: Int?
        var sumID: Int?
    }

    /// The latest scrape's families, in exposition order, with their series ids.
    struct FamilyLayout: Sendable {
        var family: MetricFamily  // samples emptied: metadata only
        var seriesIDs: [Int]
    }

    public private(set) var scrapeCount = 0
    private var times: [Double]
    private var gapBefore: [Bool]
    private(set) var series: [SeriesRecord] = []
    private var index: [SeriesKey: Int] = [:]
    private var lastOrder: [Int] = []
    private var histogramIndex: [SeriesKey: Int] = [:]  // family name + labels without le
    private(set) var histograms: [HistogramRecord] = []
    private(set) var layout: [FamilyLayout] = []
    private var failedSinceLastScrape = false
    private var lastStartTime: Double?

    /// A history of `capacity` scrapes taken every `interval`.
    public init(capacity: Int, interval: Duration) {
        self.capacity = max(2, capacity)
        self.interval = interval
        times = Array(repeating: .nan, count: self.capacity)
        gapBefore = Array(repeating: true, count: self.capacity)
    }

    /// The number of live series.
    public var seriesCount: Int { series.count }

    /// Values stored per series (never more than `capacity`).
    public var pointsPerSeries: Int { min(scrapeCount, capacity) }

    /// Notes a failed scrape: the next scrape follows a gap.
    public mutating func recordFailure() {
        failedSinceLastScrape = true
    }

    /// Folds one scrape's families into the history.
    public mutating func ingest(_ families: [MetricFamily], at time: Date) {
        let t = time.timeIntervalSince1970
        let idx = scrapeCount
        let pos = idx % capacity
        var gap = failedSinceLastScrape || idx == 0
        if idx > 0 {
            let previous = times[(idx - 1) % capacity]
            if t - previous > 2.5 * interval.seconds || t <= previous { gap = true }
        }
        let startTime = families.first { $0.name == "process_start_time_seconds" }?.samples.first?.value
        if let startTime, let lastStartTime, startTime != lastStartTime { gap = true }
        if let startTime { lastStartTime = startTime }
        times[pos] = t
        gapBefore[pos] = gap
        failedSinceLastScrape = false

        var order: [Int] = []
        order.reserveCapacity(lastOrder.count)
        var newLayout: [FamilyLayout] = []
        newLayout.reserveCapacity(families.count)
        var k = 0
        for family in families {
            var ids: [Int] = []
            ids.reserveCapacity(family.samples.count)
            for sample in family.samples {
                var id = -1
                if k < lastOrder.count {
                    let candidate = lastOrder[k]
                    if series[candidate].key.name == sample.name, series[candidate].key.labels == sample.labels,
                        series[candidate].familyName == family.name
                    {
                        id = candidate
                    }
                }
                if id < 0 {
                    let key = SeriesKey(name: sample.name, labels: sample.labels)
                    if let found = index[key] {
                        id = found
                    } else {
                        id = series.count
                        series.append(
                            SeriesRecord(
                                key: key, familyName: family.name, type: family.type,
                                values: Array(repeating: .nan, count: capacity), lastSeen: idx))
                        index[key] = id
                        register(id: id, family: family)
                    }
                }
                series[id].values[pos] = sample.value
                series[id].lastSeen = idx
                series[id].type = family.type
                order.append(id)
                ids.append(id)
                k += 1
            }
            var metadata = family
            metadata.samples = []
            newLayout.append(FamilyLayout(family: metadata, seriesIDs: ids))
        }
        lastOrder = order
        layout = newLayout
        for id in series.indices where series[id].lastSeen != idx {
            series[id].values[pos] = .nan
        }
        scrapeCount += 1
        if scrapeCount % capacity == 0 { pruneSeries(olderThan: scrapeCount - capacity) }
    }

    /// Adds a series to its histogram record when it is a bucket, count or sum.
    private mutating func register(id: Int, family: MetricFamily) {
        guard family.type == .histogram || family.type == .gaugehistogram else { return }
        let name = series[id].key.name
        let suffix = name.dropFirst(family.name.count)
        var labels = series[id].key.labels
        var bound: Double?
        if suffix == "_bucket" {
            guard let le = labels[label: "le"], let value = ExpositionNumber.parse(le) else { return }
            bound = value
            labels = labels.removing(["le"])
        } else if suffix != "_count" && suffix != "_sum" && suffix != "_gcount" && suffix != "_gsum" {
            return
        }
        let key = SeriesKey(name: family.name, labels: labels)
        let h: Int
        if let existing = histogramIndex[key] {
            h = existing
        } else {
            h = histograms.count
            histograms.append(HistogramRecord(familyName: family.name, labels: labels))
            histogramIndex[key] = h
        }
        if let bound {
            histograms[h].buckets.append((bound, id))
            histograms[h].buckets.sort { $0.upperBound < $1.upperBound }
        } else if suffix.hasSuffix("count") {
            histograms[h].countID = id
        } else {
            histograms[h].sumID = id
        }
    }

    /// Drops series not seen for a whole history, renumbering the rest.
    private mutating func pruneSeries(olderThan limit: Int) {
        guard series.contains(where: { $0.lastSeen < limit }) else { return }
        var remap = Array(repeating: -1, count: series.count)
        var kept: [SeriesRecord] = []
        kept.reserveCapacity(series.count)
        for (old, record) in series.enumerated() where record.lastSeen >= limit {
            remap[old] = kept.count
            kept.append(record)
        }
        series = kept
        index = Dictionary(uniqueKeysWithValues: series.enumerated().map { ($1.key, $0) })
        lastOrder = lastOrder.map { remap[$0] }.filter { $0 >= 0 }
        layout = layout.map { FamilyLayout(family: $0.family, seriesIDs: $0.seriesIDs.map { remap[$0] }.filter { $0 >= 0 }) }
        histograms = []
        histogramIndex = [:]
        for familyLayout in layout {
            for id in familyLayout.seriesIDs { register(id: id, family: familyLayout.family) }
        }
    }

    // MARK: Reading

    /// The time of the latest scrape.
    public var lastTime: Date? {
        scrapeCount > 0 ? Date(timeIntervalSince1970: times[(scrapeCount - 1) % capacity]) : nil
    }

    func time(at index: Int) -> Double { times[index % capacity] }

    /// The latest value of a series (NaN when absent from the latest scrape).
    func latest(_ id: Int) -> Double {
        scrapeCount > 0 ? series[id].values[(scrapeCount - 1) % capacity] : .nan
    }

    /// The valid increase of a counter series and the time it spans, over pairs of
    /// consecutive scrapes whose earlier point is no older than `window` seconds before
    /// the latest scrape (nil window: the last pair only).
    func increase(_ id: Int, window: Double?) -> (increase: Double, seconds: Double)? {
        guard scrapeCount >= 2 else { return nil }
        let last = scrapeCount - 1
        let end = time(at: last)
        let oldest = max(1, scrapeCount - capacity + 1)
        let values = series[id].values
        var increase = 0.0
        var seconds = 0.0
        var i = last
        while i >= oldest {
            let pos = i % capacity
            let previousPos = (i - 1) % capacity
            let tp = times[previousPos]
            if let window, tp < end - window - 1e-9 { break }
            if !gapBefore[pos] {
                let v = values[pos]
                let p = values[previousPos]
                if !v.isNaN, !p.isNaN, v >= p {
                    increase += v - p
                    seconds += times[pos] - tp
                }
            }
            if window == nil { break }
            i -= 1
        }
        return seconds > 0 ? (increase, seconds) : nil
    }

    /// Per-second rate of a counter over the window (nil window: the last interval).
    func rate(_ id: Int, window: Double?) -> Double? {
        guard let (increase, seconds) = increase(id, window: window) else { return nil }
        return increase / seconds
    }

    /// The latest `count` points of a series, oldest first; for counters the per-interval
    /// rates (NaN across gaps and resets), for everything else the values.
    func sparkline(_ id: Int, count: Int) -> [Float] {
        let available = min(scrapeCount, capacity)
        let n = min(count, available)
        guard n > 0 else { return [] }
        let values = series[id].values
        let type = series[id].type
        let name = series[id].key.name
        let isCounter =
            type == .counter
            || ((type == .histogram || type == .summary) && (name.hasSuffix("_count") || name.hasSuffix("_sum") || name.hasSuffix("_bucket")))
        var out: [Float] = []
        out.reserveCapacity(n)
        for i in (scrapeCount - n)..<scrapeCount {
            let pos = i % capacity
            if isCounter {
                guard i > scrapeCount - available, !gapBefore[pos] else {
                    out.append(.nan)
                    continue
                }
                let previousPos = (i - 1) % capacity
                let delta = values[pos] - values[previousPos]
                let seconds = times[pos] - times[previousPos]
                out.append(delta >= 0 && seconds > 0 ? Float(delta / seconds) : .nan)
            } else {
                out.append(Float(values[pos]))
            }
        }
        return out
    }

    /// The cumulative bucket increases of a histogram over a window (nil: last interval).
    func bucketIncreases(_ h: Int, window: Double?) -> [HistogramSeries.Bucket]? {
        let record = histograms[h]
        guard !record.buckets.isEmpty else { return nil }
        var out: [HistogramSeries.Bucket] = []
        out.reserveCapacity(record.buckets.count)
        for bucket in record.buckets {
            guard let (increase, _) = increase(bucket.id, window: window) else { return nil }
            out.append(.init(upperBound: bucket.upperBound, cumulativeCount: increase))
        }
        return out
    }

    /// Per-scrape bucket deltas (not cumulative) of a histogram for the latest `count`
    /// intervals, oldest first: the heatmap. A column is empty across a gap.
    func bucketDeltaColumns(_ h: Int, count: Int) -> [[Double]] {
        let record = histograms[h]
        let available = min(scrapeCount, capacity)
        let n = min(count, available - 1)
        guard n > 0 else { return [] }
        var columns: [[Double]] = []
        for i in (scrapeCount - n)..<scrapeCount {
            let pos = i % capacity
            let previousPos = (i - 1) % capacity
            guard !gapBefore[pos] else {
                columns.append([])
                continue
            }
            var column: [Double] = []
            var previousCumulative = 0.0
            for bucket in record.buckets {
                let values = series[bucket.id].values
                let raw = values[pos] - values[previousPos]
                let delta = raw.isNaN || raw < 0 ? 0 : raw
                let cumulative = delta > previousCumulative ? delta : previousCumulative
                column.append(cumulative - previousCumulative)
                previousCumulative = cumulative
            }
            columns.append(column)
        }
        return columns
    }
}
