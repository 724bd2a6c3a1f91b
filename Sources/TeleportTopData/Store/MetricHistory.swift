import Foundation
import TeleportCore

/// The scrape history of one target, by time: every scrape's time and the interval in force
/// when it was taken, and per series its values at every scrape (NaN where it was absent),
/// compressed losslessly with Gorilla's XOR encoding in chunks of `chunkSize` scrapes.
/// Scrapes older than `seconds` before the newest are dropped (whole chunks at a time), so
/// memory grows with the data that arrived and windows are spans of time at any pace. Pure
/// computation: the `MetricStore` actor owns one.
///
/// Gaps: a failed scrape, more than 2.5 x the interval in force at a scrape since the one
/// before it, or a changed `process_start_time_seconds` mark the scrape as following a gap;
/// no rate or bucket delta is taken across one. A counter that goes down starts a new epoch:
/// the pair across the reset is skipped, so no rate is ever negative.
public struct MetricHistory: Sendable {
    /// Seconds of scrapes kept before the newest.
    public let seconds: Double
    /// The interval in force at the newest scrape.
    public private(set) var interval: Duration
    /// Scrapes per compressed chunk.
    static let chunkSize = 64

    struct SeriesRecord: Sendable {
        var key: SeriesKey
        var familyName: String
        var type: MetricType
        /// The values, one per scrape from `firstChunk`'s first scrape on.
        var stream = XORWriter()
        /// The word where each held chunk starts (chunk `firstChunk + i`).
        var chunkStarts: [Int32] = []
        var firstChunk: Int
        /// The values at the newest scrape and the one before (read without decoding).
        var last: Double = .nan
        var previous: Double = .nan
        /// The newest scrape (global index) the series was in.
        var lastSeen: Int
        /// The scrape (global index) from which on every value equals, bit for bit, the one
        /// before it: a window starting there holds `last` throughout (read without decoding).
        var sameSince: Int
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

    /// Scrapes folded in since the start (global indices run from 0 to scrapeCount - 1).
    public private(set) var scrapeCount = 0
    /// The global index of the oldest scrape held.
    private(set) var base = 0
    private var times: [Double] = []
    private var gapBefore: [Bool] = []
    private(set) var series: [SeriesRecord] = []
    private var index: [SeriesKey: Int] = [:]
    private var lastOrder: [Int] = []
    private var histogramIndex: [SeriesKey: Int] = [:]  // family name + labels without le
    private(set) var histograms: [HistogramRecord] = []
    private(set) var layout: [FamilyLayout] = []
    private var failedSinceLastScrape = false
    private var lastStartTime: Double?
    /// Each scrape's value per series, filled while folding a scrape.
    private var pending: [Double] = []

    /// A history of `seconds` of scrapes, taken every `interval` until told otherwise.
    public init(seconds: Double, interval: Duration) {
        self.seconds = max(seconds, 1)
        self.interval = interval
    }

    /// The number of live series.
    public var seriesCount: Int { series.count }

    /// Scrapes held (so values per series).
    public var pointsPerSeries: Int { scrapeCount - base }

    /// Bytes the series' compressed values take.
    public var valueBytes: Int { series.reduce(0) { $0 + $1.stream.bytes + $1.chunkStarts.capacity * 4 } }

    /// Notes a failed scrape: the next scrape follows a gap.
    public mutating func recordFailure() {
        failedSinceLastScrape = true
    }

    /// Folds one scrape's families into the history; `interval` is the one in force when it
    /// was taken (nil: unchanged).
    public mutating func ingest(_ families: [MetricFamily], at time: Date, interval: Duration? = nil) {
        if let interval { self.interval = interval }
        let t = time.timeIntervalSince1970
        let idx = scrapeCount
        var gap = failedSinceLastScrape || times.isEmpty
        if let previous = times.last, t - previous > 2.5 * self.interval.seconds || t <= previous { gap = true }
        let startTime = families.first { $0.name == "process_start_time_seconds" }?.samples.first?.value
        if let startTime, let lastStartTime, startTime != lastStartTime { gap = true }
        if let startTime { lastStartTime = startTime }
        times.append(t)
        gapBefore.append(gap)
        failedSinceLastScrape = false
        if idx % Self.chunkSize == 0 {
            for id in series.indices { series[id].chunkStarts.append(Int32(series[id].stream.startChunk())) }
        }

        pending.removeAll(keepingCapacity: true)
        pending.append(contentsOf: repeatElement(.nan, count: series.count))
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
                        id = addSeries(key, family: family, at: idx)
                    }
                }
                pending[id] = sample.value
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
        for id in series.indices {
            let value = pending[id]
            if value.bitPattern != series[id].last.bitPattern { series[id].sameSince = idx }
            series[id].stream.append(value)
            series[id].previous = series[id].last
            series[id].last = value
        }
        scrapeCount += 1
        trim()
    }

    /// A new series: its stream starts at the current chunk, NaN before `idx`.
    private mutating func addSeries(_ key: SeriesKey, family: MetricFamily, at idx: Int) -> Int {
        let chunk = idx / Self.chunkSize
        var record = SeriesRecord(key: key, familyName: family.name, type: family.type, firstChunk: chunk, lastSeen: idx, sameSince: idx)
        record.chunkStarts.append(Int32(record.stream.startChunk()))
        for _ in (chunk * Self.chunkSize)..<idx { record.stream.append(.nan) }
        let id = series.count
        series.append(record)
        pending.append(.nan)
        index[key] = id
        register(id: id, family: family)
        return id
    }

    /// Drops scrapes older than `seconds` before the newest (keeping at least two), whole
    /// chunks of values with them, and series absent from every scrape still held.
    private mutating func trim() {
        guard let newest = times.last else { return }
        var drop = 0
        while drop < times.count - 2, times[drop] < newest - seconds - 1e-9 { drop += 1 }
        guard drop > 0 else { return }
        times.removeFirst(drop)
        gapBefore.removeFirst(drop)
        base += drop
        let firstChunk = base / Self.chunkSize
        for id in series.indices where series[id].firstChunk < firstChunk {
            let chunks = firstChunk - series[id].firstChunk
            guard chunks < series[id].chunkStarts.count else { continue }  // a series seen only long ago: pruned below
            let words = Int(series[id].chunkStarts[chunks])
            series[id].stream.dropWords(words)
            series[id].chunkStarts.removeFirst(chunks)
            for i in series[id].chunkStarts.indices { series[id].chunkStarts[i] -= Int32(words) }
            series[id].firstChunk = firstChunk
        }
        if series.contains(where: { $0.lastSeen < base }) { pruneSeries(olderThan: base) }
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

    /// Drops series not seen in any scrape held, renumbering the rest.
    private mutating func pruneSeries(olderThan limit: Int) {
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
    public var lastTime: Date? { times.last.map { Date(timeIntervalSince1970: $0) } }

    /// The time of a held scrape (global index).
    func time(at index: Int) -> Double { times[index - base] }

    func gap(at index: Int) -> Bool { gapBefore[index - base] }

    /// The latest value of a series (NaN when absent from the latest scrape).
    func latest(_ id: Int) -> Double { scrapeCount > 0 ? series[id].last : .nan }

    /// A series' values at the held scrapes `start...end` (global indices), decoded.
    func values(_ id: Int, from start: Int, through end: Int) -> [Double] {
        guard end >= start else { return [] }
        let record = series[id]
        var out: [Double] = []
        out.reserveCapacity(end - start + 1)
        var g = start
        let seriesStart = record.firstChunk * Self.chunkSize
        while g <= end, g < seriesStart {
            out.append(.nan)
            g += 1
        }
        while g <= end {
            let chunk = g / Self.chunkSize
            let chunkStart = chunk * Self.chunkSize
            record.stream.words.withUnsafeBufferPointer { words in
                var reader = XORReader(words: words, start: Int(record.chunkStarts[chunk - record.firstChunk]))
                for _ in chunkStart..<g { _ = reader.next() }
                let chunkEnd = min(end, chunkStart + Self.chunkSize - 1)
                while g <= chunkEnd {
                    out.append(reader.next())
                    g += 1
                }
            }
        }
        return out
    }

    /// Decodes a series' values at the held scrapes `start...end` (global indices) into
    /// `out` (at least `end - start + 1` long; NaN before the series began), allocating nothing.
    func decode(_ id: Int, from start: Int, through end: Int, into out: UnsafeMutableBufferPointer<Double>) {
        guard end >= start else { return }
        var g = start
        let firstChunk = series[id].firstChunk
        let seriesStart = firstChunk * Self.chunkSize
        while g <= end, g < seriesStart {
            out[g - start] = .nan
            g += 1
        }
        guard g <= end else { return }
        series[id].stream.words.withUnsafeBufferPointer { words in
            series[id].chunkStarts.withUnsafeBufferPointer { starts in
                while g <= end {
                    let chunk = g / Self.chunkSize
                    let chunkStart = chunk * Self.chunkSize
                    var reader = XORReader(words: words, start: Int(starts[chunk - firstChunk]))
                    for _ in chunkStart..<g { _ = reader.next() }
                    let chunkEnd = min(end, chunkStart + Self.chunkSize - 1)
                    while g <= chunkEnd {
                        out[g - start] = reader.next()
                        g += 1
                    }
                }
            }
        }
    }

    /// The first held scrape whose predecessor is no older than `window` seconds before the
    /// newest: pairs from there on fall in the window.
    func windowStart(_ window: Double) -> Int {
        let end = times[times.count - 1]
        // Times increase from scrape to scrape; find the first pair (i - 1, i) with t(i - 1) >= end - window.
        var low = 1
        var high = times.count - 1
        while low < high {
            let mid = (low + high) / 2
            if times[mid - 1] < end - window - 1e-9 { low = mid + 1 } else { high = mid }
        }
        return base + low
    }

    /// The valid increase of a counter series and the time it spans, over pairs of
    /// consecutive scrapes whose earlier point is no older than `window` seconds before
    /// the latest scrape (nil window: the last pair only).
    func increase(_ id: Int, window: Double?) -> (increase: Double, seconds: Double)? {
        guard scrapeCount - base >= 2 else { return nil }
        let last = scrapeCount - 1
        guard let window else {
            guard !gap(at: last) else { return nil }
            let (v, p) = (series[id].last, series[id].previous)
            guard !v.isNaN, !p.isNaN, v >= p else { return nil }
            let seconds = time(at: last) - time(at: last - 1)
            return seconds > 0 ? (v - p, seconds) : nil
        }
        let first = windowStart(window)
        guard first <= last else { return nil }
        let values = self.values(id, from: first - 1, through: last)
        var increase = 0.0
        var seconds = 0.0
        // Newest pair first, as the sums were always taken (the same order, the same bits).
        for i in (first...last).reversed() where !gap(at: i) {
            let v = values[i - first + 1]
            let p = values[i - first]
            if !v.isNaN, !p.isNaN, v >= p {
                increase += v - p
                seconds += time(at: i) - time(at: i - 1)
            }
        }
        return seconds > 0 ? (increase, seconds) : nil
    }

    /// Per-second rate of a counter over the window (nil window: the last interval).
    func rate(_ id: Int, window: Double?) -> Double? {
        guard let (increase, seconds) = increase(id, window: window) else { return nil }
        return increase / seconds
    }

    /// A series over the last `seconds`, oldest first, in at most `count` points: one per
    /// scrape when they fit, else per equal slot of time. For counters the per-second rates
    /// (NaN across gaps and resets), for everything else the values (a slot's last).
    func sparkline(_ id: Int, count: Int, seconds window: Double) -> [Float] {
        guard scrapeCount > base, count > 0 else { return [] }
        let last = scrapeCount - 1
        let end = time(at: last)
        var first = last
        while first > base, time(at: first - 1) > end - window + 1e-9 { first -= 1 }
        let from = max(base, first - 1)
        let values = self.values(id, from: from, through: last)
        let type = series[id].type
        let name = series[id].key.name
        let isCounter =
            type == .counter
            || ((type == .histogram || type == .summary) && (name.hasSuffix("_count") || name.hasSuffix("_sum") || name.hasSuffix("_bucket")))
        func value(_ i: Int) -> Double { values[i - from] }
        // Per point: the rate into it (counters) or its value.
        func point(_ i: Int) -> (delta: Double, seconds: Double)? {
            guard i > base, !gap(at: i) else { return nil }
            let delta = value(i) - value(i - 1)
            let seconds = time(at: i) - time(at: i - 1)
            return delta >= 0 && seconds > 0 ? (delta, seconds) : nil
        }
        let n = last - first + 1
        if n <= count {
            return (first...last).map { i in
                if isCounter { return point(i).map { Float($0.delta / $0.seconds) } ?? .nan }
                return Float(value(i))
            }
        }
        // More scrapes than points: equal slots of time, each the rate over its pairs or its last value.
        let start = end - window
        var out = [Float](repeating: .nan, count: count)
        var sums = [(delta: Double, seconds: Double)](repeating: (0, 0), count: count)
        for i in first...last {
            let slot = min(count - 1, max(0, Int((time(at: i) - start) / window * Double(count))))
            if isCounter {
                if let p = point(i) {
                    sums[slot].delta += p.delta
                    sums[slot].seconds += p.seconds
                }
            } else {
                out[slot] = Float(value(i))
            }
        }
        if isCounter {
            for slot in 0..<count where sums[slot].seconds > 0 { out[slot] = Float(sums[slot].delta / sums[slot].seconds) }
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

    /// Bucket increases (not cumulative) of a histogram per scrape over the last `seconds`,
    /// oldest first, in at most `count` columns (per equal slot of time when more scrapes
    /// than columns): the heatmap. A column is empty across a gap.
    func bucketDeltaColumns(_ h: Int, count: Int, seconds window: Double) -> [[Double]] {
        let record = histograms[h]
        guard scrapeCount - base >= 2, count > 0 else { return [] }
        let last = scrapeCount - 1
        let end = time(at: last)
        var first = last
        while first > base + 1, time(at: first - 1) > end - window + 1e-9 { first -= 1 }
        let from = first - 1
        let columns = record.buckets.map { values($0.id, from: from, through: last) }
        func column(_ i: Int) -> [Double]? {
            guard !gap(at: i) else { return nil }
            var out: [Double] = []
            var previousCumulative = 0.0
            for values in columns {
                let raw = values[i - from] - values[i - from - 1]
                let delta = raw.isNaN || raw < 0 ? 0 : raw
                let cumulative = delta > previousCumulative ? delta : previousCumulative
                out.append(cumulative - previousCumulative)
                previousCumulative = cumulative
            }
            return out
        }
        let n = last - first + 1
        if n <= count { return (first...last).map { column($0) ?? [] } }
        let start = end - window
        var out = [[Double]](repeating: [], count: count)
        for i in first...last {
            let slot = min(count - 1, max(0, Int((time(at: i) - start) / window * Double(count))))
            guard let values = column(i) else { continue }
            out[slot] = out[slot].isEmpty ? values : zip(out[slot], values).map { $0 + $1 }
        }
        return out
    }
}
