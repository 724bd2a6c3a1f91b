import Foundation

/// Everything the dashboard and `snapshot` show of one target at one moment: an immutable
/// value, read without locks.
public struct MetricsSnapshot: Sendable {
    /// What is being watched: `127.0.0.1:3000`, a socket path, or `embedded (...)`.
    public var target: String
    public var interval: Duration
    /// Seconds of history kept.
    public var historySeconds: Double
    public var scrapeCount: Int
    public var lastScrape: ScrapeInfo?
    /// Set while the latest attempt failed (the data shown is then the last good one).
    public var lastFailure: ScrapeFailure?
    public var state: ObservedState
    public var readyz: ReadyzAnswer?
    public var timeline: StateTimeline
    public var build: BuildInfo?
    public var processStart: Date?
    public var pid: Int?
    public var families: [FamilySnapshot]
    /// Indices into `families` per dashboard group, in exposition order.
    public var groups: [MetricGroup: [Int]]

    /// Whether the data shown is older than the latest attempt.
    public var isStale: Bool { lastFailure != nil }

    /// The family called `name`, if the target exposes it.
    public func family(_ name: String) -> FamilySnapshot? {
        families.first { $0.name == name }
    }

    public static func empty(target: String, interval: Duration) -> MetricsSnapshot {
        MetricsSnapshot(
            target: target, interval: interval, historySeconds: 0, scrapeCount: 0, lastScrape: nil,
            lastFailure: nil, state: .unknown, readyz: nil, timeline: StateTimeline(), build: nil, processStart: nil,
            pid: nil, families: [], groups: [:])
    }

    public init(
        target: String, interval: Duration, historySeconds: Double, scrapeCount: Int, lastScrape: ScrapeInfo? = nil, lastFailure: ScrapeFailure? = nil,
        state: ObservedState, readyz: ReadyzAnswer? = nil, timeline: StateTimeline, build: BuildInfo? = nil, processStart: Date? = nil, pid: Int? = nil,
        families: [FamilySnapshot], groups: [MetricGroup: [Int]]
    ) {
        self.target = target
        self.interval = interval
        self.historySeconds = historySeconds
        self.scrapeCount = scrapeCount
        self.lastScrape = lastScrape
        self.lastFailure = lastFailure
        self.state = state
        self.readyz = readyz
        self.timeline = timeline
        self.build = build
        self.processStart = processStart
        self.pid = pid
        self.families = families
        self.groups = groups
    }
}

/// One histogram series' bucket increases per scrape interval over the history: what the
/// histogram view draws as a heatmap.
public struct Heatmap: Sendable, Hashable {
    public var family: String
    /// Labels without `le`.
    public var labels: [Label]
    /// Bucket upper bounds, ascending; the last is +Inf.
    public var bounds: [Double]
    /// One column per interval, oldest first; each holds the observations per bucket (not
    /// cumulative). An empty column is a gap (a failed scrape or a restart).
    public var columns: [[Double]]

    public init(family: String, labels: [Label], bounds: [Double], columns: [[Double]]) {
        self.family = family
        self.labels = labels
        self.bounds = bounds
        self.columns = columns
    }
}

/// Facts of the latest successful scrape.
public struct ScrapeInfo: Sendable, Hashable {
    public var time: Date
    public var duration: Duration
    public var bytes: Int
    public var series: Int
    /// When a Prometheus-API engine was last asked for the instance's samples (`time` is then
    /// the newest sample's); nil for a scrape of the target itself.
    public var asked: Date?

    public init(time: Date, duration: Duration, bytes: Int, series: Int, asked: Date? = nil) {
        self.time = time
        self.duration = duration
        self.bytes = bytes
        self.series = series
        self.asked = asked
    }

    /// When the data last arrived: the engine's answer, else the scrape.
    public var answered: Date { asked ?? time }
}

/// One family as shown: metadata, catalog rows, and every series with value and rates.
public struct FamilySnapshot: Sendable {
    public var name: String
    public var type: MetricType
    public var help: String?
    public var unit: String?
    public var group: MetricGroup
    /// The catalog's rows for this family (several when it is listed under several sections).
    public var catalog: [MetricCatalog.Entry]
    public var series: [SeriesSnapshot]
    public var histograms: [HistogramSnapshot]
    public var summaries: [SummarySeries]

    public init(
        name: String, type: MetricType, help: String? = nil, unit: String? = nil, group: MetricGroup, catalog: [MetricCatalog.Entry], series: [SeriesSnapshot],
        histograms: [HistogramSnapshot], summaries: [SummarySeries]
    ) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
        self.group = group
        self.catalog = catalog
        self.series = series
        self.histograms = histograms
        self.summaries = summaries
    }
}

/// One series as shown.
public struct SeriesSnapshot: Sendable {
    public var key: SeriesKey
    public var value: Double
    /// Per-second rate over the last interval (counters only; nil across a gap or reset).
    public var rate: Double?
    /// Per-second rate over the last minute of valid intervals (counters only).
    public var rate1m: Double?
    /// Recent points, oldest first: rates for counters, values otherwise (NaN = no point).
    public var spark: [Float]

    public init(key: SeriesKey, value: Double, rate: Double? = nil, rate1m: Double? = nil, spark: [Float]) {
        self.key = key
        self.value = value
        self.rate = rate
        self.rate1m = rate1m
        self.spark = spark
    }
}

/// The windows histogram quantiles are computed over.
public enum QuantileWindow: String, Sendable, Hashable, Codable, CaseIterable {
    case lastInterval = "last"
    case oneMinute = "1m"
    case fiveMinutes = "5m"

    /// The window in seconds; nil for the last interval (one pair of scrapes).
    public var seconds: Double? {
        switch self {
        case .lastInterval: return nil
        case .oneMinute: return 60
        case .fiveMinutes: return 300
        }
    }
}

/// Quantiles of one histogram series over one window, from the DELTA of its buckets.
public struct WindowQuantiles: Sendable, Hashable {
    public var p50: QuantileEstimate?
    public var p90: QuantileEstimate?
    public var p99: QuantileEstimate?
    /// The cumulative bucket increases over the window.
    public var buckets: [HistogramSeries.Bucket]

    /// Any quantile over the same buckets.
    public func quantile(_ q: Double) -> QuantileEstimate? {
        BucketQuantile.estimate(q, buckets: buckets)
    }

    /// Observations in the window.
    public var observations: Double { buckets.last?.cumulativeCount ?? 0 }

    public init(p50: QuantileEstimate? = nil, p90: QuantileEstimate? = nil, p99: QuantileEstimate? = nil, buckets: [HistogramSeries.Bucket]) {
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.buckets = buckets
    }
}

/// One histogram series as shown.
public struct HistogramSnapshot: Sendable {
    /// Labels without `le`.
    public var labels: [Label]
    public var count: Double
    public var sum: Double
    /// Observations per second over the last interval.
    public var countRate: Double?
    public var windows: [QuantileWindow: WindowQuantiles]

    public init(labels: [Label], count: Double, sum: Double, countRate: Double? = nil, windows: [QuantileWindow: WindowQuantiles]) {
        self.labels = labels
        self.count = count
        self.sum = sum
        self.countRate = countRate
        self.windows = windows
    }
}
