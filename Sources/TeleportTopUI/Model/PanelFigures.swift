import TeleportCore

/// tctl top's Backend/Cache, Watcher and Audit figures, read from a snapshot: rates over the
/// measured interval (never the nominal one) and quantiles over a window (never cumulative
/// shares since start).
public enum PanelFigures {
    /// One key of `backend_requests`.
    public struct BackendRequest: Sendable, Hashable {
        public var key: String
        /// Whether the request was a range read (`range="true"`): tctl top marks such keys.
        public var isRange: Bool
        public var count: Double
        public var rate: Double?
    }

    /// `backend_requests{component}` by key, busiest first (then by count, then key).
    public static func backendRequests(_ snapshot: MetricsSnapshot, component: String) -> [BackendRequest] {
        guard let family = snapshot.family("backend_requests") ?? snapshot.family("backend_requests_total") else { return [] }
        let rows = family.series.filter { $0.key.labels[label: "component"] == component }.map { series in
            BackendRequest(
                key: series.key.labels[label: "req"] ?? "", isRange: series.key.labels[label: "range"] == "true",
                count: series.value.isNaN ? 0 : series.value, rate: series.rate)
        }
        return rows.sorted {
            let (a, b) = ($0.rate ?? -1, $1.rate ?? -1)
            if a != b { return a > b }
            if $0.count != $1.count { return $0.count > $1.count }
            return $0.key < $1.key
        }
    }

    /// The latency histograms of a backend component, in tctl top's order (it collects
    /// batch writes but never shows them; we do).
    public static let latencyFamilies: [(title: String, family: String)] = [
        ("read", "backend_read_seconds"), ("batch read", "backend_batch_read_seconds"),
        ("write", "backend_write_seconds"), ("batch write", "backend_batch_write_seconds"),
    ]

    /// The histogram series of `family` for a component (or its only series when it has no
    /// component label).
    public static func histogram(_ snapshot: MetricsSnapshot, family name: String, component: String?) -> HistogramSnapshot? {
        guard let family = snapshot.family(name) else { return nil }
        guard let component else { return family.histograms.first }
        return family.histograms.first { $0.labels[label: "component"] == component }
            ?? (family.histograms.count == 1 && family.histograms[0].labels.isEmpty ? family.histograms[0] : nil)
    }

    /// One resource of `watcher_events` (a histogram: count = events, sum = bytes).
    public struct WatcherResource: Sendable, Hashable {
        public var resource: String
        public var events: Double
        public var eventRate: Double?
        public var byteRate: Double?
        /// Mean event size since start, in bytes.
        public var averageSize: Double?
    }

    /// `watcher_events` by resource, busiest first.
    public static func watcherResources(_ snapshot: MetricsSnapshot) -> [WatcherResource] {
        guard let family = snapshot.family("watcher_events") else { return [] }
        let sums = Dictionary(family.series.filter { $0.key.name.hasSuffix("_sum") }.map { ($0.key.labels, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = family.histograms.map { h in
            WatcherResource(
                resource: h.labels[label: "resource"] ?? h.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ","),
                events: h.count.isNaN ? 0 : h.count, eventRate: h.countRate, byteRate: sums[h.labels]?.rate,
                averageSize: h.count > 0 && !h.sum.isNaN ? h.sum / h.count : nil)
        }
        return rows.sorted {
            let (a, b) = ($0.eventRate ?? -1, $1.eventRate ?? -1)
            if a != b { return a > b }
            if $0.events != $1.events { return $0.events > $1.events }
            return $0.resource < $1.resource
        }
    }

    /// A rate with its recent points: the summed series of a family whose name ends with
    /// `suffix` (`_count`, `_sum`, or "" for counters).
    public struct Trend: Sendable, Hashable {
        public var rate: Double?
        public var spark: [Float]
    }

    public static func trend(_ snapshot: MetricsSnapshot, family name: String, suffix: String = "") -> Trend {
        guard let family = snapshot.family(name) ?? (suffix.isEmpty ? snapshot.family(name + "_total") : nil) else {
            return Trend(rate: nil, spark: [])
        }
        let series = family.series.filter { suffix.isEmpty ? true : $0.key.name.hasSuffix(suffix) }
        let rates = series.compactMap(\.rate)
        let length = series.map(\.spark.count).max() ?? 0
        var spark = [Float](repeating: .nan, count: length)
        for s in series {
            let offset = length - s.spark.count
            for (i, v) in s.spark.enumerated() where !v.isNaN { spark[offset + i] = (spark[offset + i].isNaN ? 0 : spark[offset + i]) + v }
        }
        return Trend(rate: rates.isEmpty ? nil : rates.reduce(0, +), spark: spark)
    }
}
