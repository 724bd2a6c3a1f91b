import Foundation

/// An instance's raw samples, as a range selector (`{instance="x"}[5m]`) asked as an instant
/// query answers them (every sample with its own timestamp, on Prometheus and on
/// VictoriaMetrics), regrouped into the scrapes that took them: one per timestamp, in time
/// order, each with the families a scrape of the target would give. An opened instance's
/// store folds these, so its rates and its state timeline run on the engine's sample times,
/// never on the time the engine was asked.
public enum PrometheusRawScrapes {
    /// One scrape as the engine stored it.
    public struct Scrape: Sendable {
        public var time: Date
        public var families: [MetricFamily]
    }

    /// The scrapes after `after` (nil: all) and up to `through` (nil: the newest), oldest
    /// first. Samples of one scrape share its
    /// timestamp; timestamps closer than `tolerance` seconds are one scrape (a target that
    /// stamps a few of its own samples), each series taking its newest sample there.
    public static func scrapes(
        from series: [PrometheusAnswer.Series], metadata: PrometheusAnswer.MetadataData, dropping: Set<String>, after: Date? = nil,
        through: Date? = nil, tolerance: Double = 0.5, catalog: MetricCatalog = .builtin
    ) -> [Scrape] {
        // Milliseconds, as both engines keep them (a Date's own Double is not exact there); a
        // time past year 33,000 or not finite is no sample time (dropped).
        func milliseconds(_ seconds: Double) -> Int64 { seconds.isFinite && abs(seconds) < 1e12 ? Int64((seconds * 1000).rounded()) : Int64.min }
        let low = after.map { milliseconds($0.timeIntervalSince1970) } ?? Int64.min
        let high = through.map { milliseconds($0.timeIntervalSince1970) } ?? Int64.max
        // Every distinct timestamp after `low`.
        var times = Set<Int64>()
        for item in series {
            for pair in item.values ?? [] {
                let t = milliseconds(pair.time)
                if t > low && t <= high { times.insert(t) }
            }
        }
        guard !times.isEmpty else { return [] }
        // Clusters of timestamps within the tolerance of the cluster's first: one scrape each,
        // stamped with the cluster's last time.
        var clusters: [(first: Int64, last: Int64)] = []
        for t in times.sorted() {
            if let open = clusters.last, Double(t - open.first) / 1000 < tolerance {
                clusters[clusters.count - 1].last = t
            } else {
                clusters.append((t, t))
            }
        }
        let kinds = PrometheusFleetQueries.kinds(of: series, metadata: metadata, catalog: catalog)
        var samples = [[(metric: [String: String], value: Double)]](repeating: [], count: clusters.count)
        let lasts = clusters.map(\.last)
        for item in series {
            var newest: [Int: Double] = [:]
            for pair in item.values ?? [] {
                let t = milliseconds(pair.time)
                guard t > low && t <= high else { continue }
                // The cluster whose span holds t: the last one starting at or before it.
                var lowIndex = 0
                var highIndex = clusters.count - 1
                while lowIndex < highIndex {
                    let mid = (lowIndex + highIndex + 1) / 2
                    if clusters[mid].first <= t { lowIndex = mid } else { highIndex = mid - 1 }
                }
                newest[lowIndex] = pair.value  // values come oldest first: the newest stays
            }
            for (index, value) in newest { samples[index].append((item.metric, value)) }
        }
        // A timestamp with no named sample (series without `__name__`) is no scrape.
        return zip(lasts, samples).compactMap { last, samples in
            let families = PrometheusFleetQueries.families(samples, kinds: kinds, metadata: metadata, dropping: dropping, catalog: catalog)
            return families.isEmpty ? nil : Scrape(time: Date(timeIntervalSince1970: Double(last) / 1000), families: families)
        }
    }
}
