import Foundation
import TeleportCore

/// The store: folds scrape results and failures into the history, the state timeline and
/// the header facts, and builds immutable snapshots. An actor; all computation, no I/O.
public actor MetricStore {
    public let target: String
    public private(set) var interval: Duration
    public nonisolated let historySeconds: Double
    private var history: MetricHistory
    private var timeline = StateTimeline()
    private var lastScrape: ScrapeInfo?
    private var lastFailure: ScrapeFailure?
    private var readyz: ReadyzAnswer?
    private var observed: ObservedState = .unknown
    private var build: BuildInfo?
    private var processStart: Date?
    private let catalog: MetricCatalog
    /// Spark points kept per series in snapshots (families with more series than
    /// `sparkSeriesLimit` get none, to keep snapshots small).
    public var sparkPoints = 60
    /// The time a sparkline covers (60 points of the default 2 s interval).
    public var sparkSeconds: Double = 120
    public var sparkSeriesLimit = 500
    /// Columns of a heatmap (intervals, newest last).
    public var heatmapColumns = 120
    /// The time a heatmap covers (120 columns of the default 2 s interval).
    public var heatmapSeconds: Double = 240

    /// A store for `target` keeping `history` of scrapes taken every `interval`.
    public init(target: String, interval: Duration, history: Duration = .seconds(600), catalog: MetricCatalog = .builtin) {
        self.target = target
        self.interval = interval
        self.historySeconds = history.seconds
        self.history = MetricHistory(seconds: history.seconds, interval: interval)
        self.catalog = catalog
    }

    /// The number of scrapes folded in so far.
    public var scrapeCount: Int { history.scrapeCount }

    /// Points kept per series (the scrapes of the last `historySeconds`).
    public var pointsPerSeries: Int { history.pointsPerSeries }
    public var seriesCount: Int { history.seriesCount }
    /// Bytes the compressed values take.
    public var valueBytes: Int { history.valueBytes }

    /// The families kept (nil: all). A fleet's instances keep only what their rows need
    /// until their dashboard is opened: a fraction of the memory and of the work per scrape.
    public private(set) var retained: Set<String>?

    public func retain(_ families: Set<String>?) {
        retained = families
    }

    /// Forgets every scrape (a replay seeking back folds the recording in again from there).
    public func reset(interval: Duration) {
        self.interval = interval
        history = MetricHistory(seconds: historySeconds, interval: interval)
        timeline = StateTimeline()
        lastScrape = nil
        lastFailure = nil
        readyz = nil
        observed = .unknown
        build = nil
        processStart = nil
    }

    /// Puts back the state timeline of scrapes older than the history (a replay that seeks
    /// folds only the history's scrapes; the timeline of before comes from the recording's index).
    public func restoreTimeline(states: [(ObservedState, Date)], restarts: [Restart]) {
        for (state, time) in states { timeline.observe(state, at: time) }
        for restart in restarts { timeline.markRestart(restart) }
    }

    /// The history and the state timeline as they are now (values: the findings engine
    /// reads them off the store's actor).
    public func findingsSource() -> (history: MetricHistory, timeline: StateTimeline) {
        (history, timeline)
    }

    /// Folds a successful scrape in.
    public func ingest(_ scrape: ScrapeResult) {
        // Samples an engine held that are not newer than those held (an answer in flight when
        // the instance was switched to direct polling) add nothing.
        if scrape.asked != nil, let last = lastScrape, scrape.time <= last.time { return }
        let kept = retained.map { names in scrape.families.filter { names.contains($0.name) } } ?? scrape.families
        history.ingest(kept, at: scrape.time, interval: interval)
        lastScrape = ScrapeInfo(
            time: scrape.time, duration: scrape.duration, bytes: scrape.bytes,
            series: scrape.families.reduce(0) { $0 + $1.samples.count }, asked: scrape.asked)
        lastFailure = nil
        let newBuild = scrape.families.first(where: { $0.name == "teleport_build_info" })?.samples.first.map { info in
            BuildInfo(
                version: info.labels[label: "version"] ?? "", gitref: info.labels[label: "gitref"] ?? "",
                goversion: info.labels[label: "goversion"] ?? "")
        }
        let newStart = scrape.families.first { $0.name == "process_start_time_seconds" }?.samples.first
            .map { Date(timeIntervalSince1970: $0.value) }
        noteRestart(pid: scrape.readyz?.pid, start: newStart, version: newBuild?.version, at: scrape.time)
        readyz = scrape.readyz
        observed = Self.state(readyz: scrape.readyz, families: scrape.families)
        timeline.observe(observed, at: scrape.time)
        build = newBuild
        processStart = newStart
    }

    /// The time of the newest scrape folded in (nil: none yet).
    public var newestScrapeTime: Date? { lastScrape?.time }

    /// Notes that a Prometheus-API engine was asked and had no sample newer than those held:
    /// the data is current as of `asked`, and nothing is added to the history (nothing at all
    /// when the newest data is a direct scrape's).
    public func noteAsked(_ asked: Date, duration: Duration) {
        guard lastFailure == nil, var last = lastScrape, last.asked != nil else { return }
        last.asked = asked
        last.duration = duration
        lastScrape = last
    }

    /// Notes a failed scrape; the data is kept (stale). With no answer at all the state
    /// becomes unreachable; when the process answered `/readyz` but `/metrics` failed, the
    /// state is what `/readyz` says.
    public func fail(_ failure: ScrapeFailure) {
        history.recordFailure()
        lastFailure = failure
        if let answer = failure.readyz, let state = answer.state {
            if noteRestart(pid: answer.pid, start: nil, version: nil, at: failure.time) { processStart = nil }
            readyz = answer
            observed = ObservedState(state)
        } else {
            observed = ObservedState(failure: failure.error)
        }
        timeline.observe(observed, at: failure.time)
    }

    /// A new pid or process start time since the last answer is a restart.
    @discardableResult
    private func noteRestart(pid newPid: Int?, start newStart: Date?, version newVersion: String?, at time: Date) -> Bool {
        let oldPid = readyz?.pid
        let pidChanged = newPid != nil && oldPid != nil && newPid != oldPid
        let startChanged = newStart.flatMap { new in processStart.map { abs(new.timeIntervalSince($0)) > 0.5 } } ?? false
        guard pidChanged || startChanged else { return false }
        timeline.markRestart(
            Restart(
                time: time, oldPid: oldPid, newPid: newPid ?? oldPid, oldVersion: build?.version,
                newVersion: newVersion ?? build?.version))
        return true
    }

    /// Changes the interval in force (each scrape's gap rule uses the interval in force when
    /// it was taken).
    public func setInterval(_ interval: Duration) {
        self.interval = interval
    }

    /// The state a scrape shows: /readyz when the target has it, else the `process_state`
    /// gauge, else unknown (a plain exporter).
    static func state(readyz: ReadyzAnswer?, families: [MetricFamily]) -> ObservedState {
        if let state = readyz?.state { return ObservedState(state) }
        if let value = families.first(where: { $0.name == "process_state" })?.samples.first?.value,
            let state = ProcessState(gaugeValue: value)
        {
            return ObservedState(state)
        }
        return .unknown
    }

    /// An immutable picture of everything the store knows now; with `only`, of those
    /// families alone (a fleet row needs ten of them, not the thousands of series).
    public func snapshot(only names: Set<String>? = nil) -> MetricsSnapshot {
        var families: [FamilySnapshot] = []
        families.reserveCapacity(names?.count ?? history.layout.count)
        var histogramsByFamily: [String: [Int]] = [:]
        for (h, record) in history.histograms.enumerated() where names?.contains(record.familyName) ?? true {
            histogramsByFamily[record.familyName, default: []].append(h)
        }
        var groups: [MetricGroup: [Int]] = [:]
        for layout in history.layout {
            let family = layout.family
            if let names, !names.contains(family.name) { continue }
            let withSpark = layout.seriesIDs.count <= sparkSeriesLimit
            let isCounterLike = family.type == .counter || family.type == .histogram || family.type == .summary
            let series = layout.seriesIDs.map { id in
                SeriesSnapshot(
                    key: history.series[id].key,
                    value: history.latest(id),
                    rate: isCounterLike ? history.rate(id, window: nil) : nil,
                    rate1m: isCounterLike ? history.rate(id, window: 60) : nil,
                    spark: withSpark ? history.sparkline(id, count: sparkPoints, seconds: sparkSeconds) : [])
            }
            let histograms = (histogramsByFamily[family.name] ?? []).map(histogramSnapshot)
            var summaries: [SummarySeries] = []
            if family.type == .summary {
                var assembled = family
                assembled.samples = layout.seriesIDs.map {
                    Sample(name: history.series[$0].key.name, labels: history.series[$0].key.labels, value: history.latest($0))
                }
                summaries = assembled.summarySeries()
            }
            let entries = catalogEntries(for: family)
            let group = entries.first?.group ?? MetricGroup.forPrefix(of: family.name)
            groups[group, default: []].append(families.count)
            families.append(
                FamilySnapshot(
                    name: family.name, type: family.type, help: family.help, unit: family.unit,
                    group: group, catalog: entries, series: series, histograms: histograms, summaries: summaries))
        }
        return MetricsSnapshot(
            target: target, interval: interval, historySeconds: historySeconds, scrapeCount: history.scrapeCount,
            lastScrape: lastScrape, lastFailure: lastFailure, state: observed, readyz: readyz, timeline: timeline,
            build: build, processStart: processStart, pid: readyz?.pid, families: families, groups: groups)
    }

    /// Catalog rows for a family; an OpenMetrics counter family `x` is found as `x_total`.
    func catalogEntries(for family: MetricFamily) -> [MetricCatalog.Entry] {
        let direct = catalog.entries(named: family.name)
        if !direct.isEmpty || family.type != .counter { return direct }
        return catalog.entries(named: family.name + "_total")
    }

    func histogramSnapshot(_ h: Int) -> HistogramSnapshot {
        let record = history.histograms[h]
        var windows: [QuantileWindow: WindowQuantiles] = [:]
        for window in QuantileWindow.allCases {
            guard let buckets = history.bucketIncreases(h, window: window.seconds) else { continue }
            windows[window] = WindowQuantiles(
                p50: BucketQuantile.estimate(0.5, buckets: buckets),
                p90: BucketQuantile.estimate(0.9, buckets: buckets),
                p99: BucketQuantile.estimate(0.99, buckets: buckets),
                buckets: buckets)
        }
        return HistogramSnapshot(
            labels: record.labels,
            count: record.countID.map { history.latest($0) } ?? record.buckets.last.map { history.latest($0.id) } ?? .nan,
            sum: record.sumID.map { history.latest($0) } ?? .nan,
            countRate: record.countID.flatMap { history.rate($0, window: nil) },
            windows: windows)
    }

    /// The heatmap of one histogram series over the last `heatmapSeconds`, in at most
    /// `heatmapColumns` columns; nil when
    /// the store has no such histogram.
    public func heatmap(family: String, labels: [Label]) -> Heatmap? {
        heatmap(family: family, labels: labels, columns: heatmapColumns).map {
            Heatmap(family: family, labels: labels, bounds: $0.bounds, columns: $0.columns)
        }
    }

    /// The heatmap of one histogram series: per-interval bucket deltas, oldest first, with
    /// the bucket bounds; nil when the store has no such histogram.
    public func heatmap(family: String, labels: [Label], columns: Int) -> (bounds: [Double], columns: [[Double]])? {
        guard let h = history.histograms.firstIndex(where: { $0.familyName == family && $0.labels == labels }) else { return nil }
        return (history.histograms[h].buckets.map(\.upperBound), history.bucketDeltaColumns(h, count: columns, seconds: heatmapSeconds))
    }
}
