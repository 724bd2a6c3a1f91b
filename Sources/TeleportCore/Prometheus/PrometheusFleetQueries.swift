import Foundation

/// The PromQL a fleet refresh sends and how the answers become rows. Every query is a
/// vector over all instances at once (grouped by the instance label where it aggregates),
/// so a refresh costs the same number of requests for 3 instances or 3,000. Every query
/// means the same on Prometheus and on VictoriaMetrics (docs/fleet.md says why, query by
/// query): state changes and restarts are never read from `changes()`, which MetricsQL
/// counts from the sample before the window.
public struct PrometheusFleetQueries: Sendable {
    /// What each query answers.
    public enum Name: String, Sendable, Hashable, CaseIterable {
        case state, build, services, start, cpu, memory, goroutines, grpcTotal, grpcFailed, backendP99, heartbeats, restarts, newest
        case stateRange, upRange
    }

    /// Requests per refresh at most: the instant and range queries, `/api/v1/targets`, the
    /// engine's two status answers (once), the open instance's raw series and, every few
    /// minutes, the metadata.
    public static let perRefresh = 20

    public let selector: PrometheusSelector
    public let instanceLabel: String
    /// Seconds of the state strip, the changes and the restarts.
    public let window: Double
    /// Seconds between the range queries' points: the refresh interval (at most 10,000
    /// points a series, under both engines' limits).
    public let step: Double

    public init(selector: PrometheusSelector, instanceLabel: String, window: Double, step: Double = 5) {
        self.selector = selector
        self.instanceLabel = instanceLabel
        self.window = max(60, window)
        self.step = max(step, 0.1, self.window / 10_000)
    }

    /// The instant queries, by what they answer.
    public var instant: [(Name, String)] {
        let s = selector
        let by = instanceLabel
        let w = "\(Int(window))s"
        let start = s.metric("process_start_time_seconds")
        return [
            (.state, s.metric("process_state")),
            (.build, s.metric("teleport_build_info")),
            (.services, s.metric("teleport_services") + " == 1"),
            (.start, start),
            (.cpu, "rate(\(s.metric("process_cpu_seconds_total"))[1m])"),
            (.memory, s.metric("process_resident_memory_bytes")),
            (.goroutines, s.metric("go_goroutines")),
            (.grpcTotal, "sum by (\(by)) (rate(\(s.metric("grpc_server_handled_total"))[1m]))"),
            (.grpcFailed, "sum by (\(by)) (rate(\(s.metric("grpc_server_handled_total", "grpc_code!=\"OK\""))[1m]))"),
            (.backendP99, "histogram_quantile(0.99, sum by (\(by), le) (rate(\(s.metric("backend_read_seconds_bucket"))[1m])))"),
            (.heartbeats, s.metric("heartbeats_missed_total")),
            // More than a second apart: VictoriaMetrics may read a stored start back a few ulps off.
            (.restarts, "max_over_time(\(start)[\(w)]) - min_over_time(\(start)[\(w)]) > 1"),
            (.newest, "timestamp(\(s.metric("process_state")))"),
        ]
    }

    /// The range queries (state history and strip), `window` wide, `step` apart.
    public var range: [(Name, String)] {
        [(.stateRange, selector.metric("process_state")), (.upRange, selector.metric("up"))]
    }

    /// The rows the answers describe: one per instance that has a `process_state` series
    /// or is a scrape target of the selector's job; figures where the answers have them.
    public static func assemble(
        answers: [Name: [PrometheusAnswer.Series]], targets: [PrometheusAnswer.Target], instanceLabel: String,
        now: Date, window: Double
    ) -> [FleetRow] {
        var rows: [String: FleetRow] = [:]
        func each(_ query: Name, _ body: (inout FleetRow, PrometheusAnswer.Series, Double) -> Void) {
            for series in answers[query] ?? [] {
                guard let instance = series.metric[instanceLabel], let value = series.value?.value, var row = rows[instance] else { continue }
                body(&row, series, value)
                rows[instance] = row
            }
        }
        for series in answers[.state] ?? [] {
            guard let instance = series.metric[instanceLabel] else { continue }
            var r = rows[instance] ?? FleetRow(id: 0, name: instance, source: .prometheus)
            if let value = series.value?.value, let state = ProcessState(gaugeValue: value) { r.state = ObservedState(state) }
            r.lastScrape = series.value.map { Date(timeIntervalSince1970: $0.time) }
            rows[instance] = r
        }
        // Targets of the selector's job that are down carry no current series: keep them as unreachable.
        let job = targetJobs(answers[.state] ?? [])
        for target in targets {
            guard let instance = target.labels[instanceLabel], rows[instance] != nil || (target.labels["job"].map(job.contains) ?? false)
            else { continue }
            var r = rows[instance] ?? FleetRow(id: 0, name: instance, source: .prometheus)
            r.lastScrape = target.lastScrapeDate ?? r.lastScrape
            if target.health == "down" {
                r.state = .unreachable
                let error = target.lastError ?? ""
                r.scrapeError = Sanitized.quote(error.isEmpty ? "down" : error)
            }
            rows[instance] = r
        }
        each(.build) { r, s, _ in r.version = s.metric["version"] }
        each(.services) { r, s, _ in if let name = s.metric["service_name"] { r.roles = FleetRow.roles(r.roles + [name]) } }
        each(.start) { r, _, v in r.processStart = Date(timeIntervalSince1970: v) }
        each(.cpu) { r, _, v in r.cpu = v }
        each(.memory) { r, _, v in r.memory = v }
        each(.goroutines) { r, _, v in r.goroutines = v }
        each(.grpcTotal) { r, _, v in r.grpcRate = v }
        each(.grpcFailed) { r, _, v in r.grpcErrorShare = v }
        each(.backendP99) { r, _, v in r.backendP99 = v.isNaN ? nil : v }
        each(.heartbeats) { r, _, v in r.heartbeatsMissed = v }
        // The current start is the restart's time.
        each(.restarts) { r, _, _ in r.restartedAt = r.processStart }
        let timelines = PrometheusStateHistory.timelines(state: answers[.stateRange] ?? [], up: answers[.upRange] ?? [], instanceLabel: instanceLabel)
        for (name, var row) in rows {
            // grpcFailed holds the failed rate until here: make it a share of the total.
            if let total = row.grpcRate {
                row.grpcErrorShare = total > 0 ? (row.grpcErrorShare ?? 0) / total : nil
            } else {
                row.grpcErrorShare = nil
            }
            if let timeline = timelines[name] {
                row.changes = timeline.changes(since: now.addingTimeInterval(-window))
                row.strip = FleetRow.strip(timeline, end: now, window: window)
                // When the current state began, if the history ends in it.
                row.stateSince = timeline.since(row.state)
                row.stateSinceIsLowerBound = row.stateSince != nil && timeline.sinceIsLowerBound
            }
            rows[name] = row
        }
        return rows.values.sorted { $0.name < $1.name }
    }

    static func targetJobs(_ series: [PrometheusAnswer.Series]) -> Set<String> {
        Set(series.compactMap { $0.metric["job"] })
    }

    /// Each instance's newest sample time (`timestamp(process_state)`), the engine's lag's measure.
    public static func newestSamples(_ answers: [Name: [PrometheusAnswer.Series]], instanceLabel: String) -> [String: Double] {
        var newest: [String: Double] = [:]
        for series in answers[.newest] ?? [] {
            guard let instance = series.metric[instanceLabel], let time = series.value?.value else { continue }
            newest[instance] = max(newest[instance] ?? time, time)
        }
        return newest
    }

    /// An instance's raw series (an instant query's vector) as the families a scrape would
    /// have given, typed by the server's metadata, else the embedded catalog, else the sample
    /// names (`PrometheusFamilyTypes`: `x_bucket`, `x_sum`, `x_count` of a histogram `x` form
    /// one family), minus the labels every series shares (`instance`, `job`).
    public static func families(
        from series: [PrometheusAnswer.Series], metadata: PrometheusAnswer.MetadataData, dropping: Set<String>, catalog: MetricCatalog = .builtin
    ) -> [MetricFamily] {
        let kinds = kinds(of: series, metadata: metadata, catalog: catalog)
        return families(
            series.compactMap { item in item.value.map { (item.metric, $0.value) } }, kinds: kinds, metadata: metadata, dropping: dropping, catalog: catalog)
    }

    /// The family and type of every sample name among the series (metadata, else the
    /// catalog and the sample names).
    public static func kinds(
        of series: [PrometheusAnswer.Series], metadata: PrometheusAnswer.MetadataData, catalog: MetricCatalog = .builtin
    ) -> [String: PrometheusFamilyTypes.Kind] {
        var labelNames: [String: Set<String>] = [:]
        for item in series {
            if let name = item.metric["__name__"] { labelNames[name, default: []].formUnion(item.metric.keys) }
        }
        return PrometheusFamilyTypes.resolve(labelNames: labelNames, metadata: metadata, catalog: catalog)
    }

    /// Samples (a series' labels and one value each) as the families a scrape would give.
    public static func families(
        _ samples: [(metric: [String: String], value: Double)], kinds: [String: PrometheusFamilyTypes.Kind], metadata: PrometheusAnswer.MetadataData,
        dropping: Set<String>, catalog: MetricCatalog = .builtin
    ) -> [MetricFamily] {
        var families: [String: MetricFamily] = [:]
        for (metric, value) in samples {
            guard let sampleName = metric["__name__"] else { continue }
            let kind = kinds[sampleName] ?? PrometheusFamilyTypes.Kind(family: sampleName, type: .untyped)
            let labels = metric.filter { $0.key != "__name__" && !dropping.contains($0.key) }.map { Label($0.key, $0.value) }
                .sorted { $0.name < $1.name }
            let help = metadata[kind.family]?.first?.help ?? catalog.entries(named: kind.family).first?.description
            var family = families[kind.family] ?? MetricFamily(name: kind.family, type: kind.type, help: help)
            family.samples.append(Sample(name: sampleName, labels: labels, value: value))
            families[kind.family] = family
        }
        return families.keys.sorted().compactMap { name in
            guard var family = families[name] else { return nil }
            family.samples.sort(by: exposition)
            return family
        }
    }

    /// Exposition order: by labels (without `le` and `quantile`), then buckets or quantiles
    /// by bound, then `_sum`, `_count`.
    static func exposition(_ a: Sample, _ b: Sample) -> Bool {
        func key(_ s: Sample) -> (String, Int, Double) {
            let rest = s.labels.filter { $0.name != "le" && $0.name != "quantile" }.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
            let rank = s.name.hasSuffix("_bucket") ? 0 : s.name.hasSuffix("_sum") ? 1 : s.name.hasSuffix("_count") ? 2 : 0
            let bound = (s.labels[label: "le"] ?? s.labels[label: "quantile"]).flatMap { Double($0) } ?? 0
            return (rest, rank, bound)
        }
        let (ka, kb) = (key(a), key(b))
        if ka.0 != kb.0 { return ka.0 < kb.0 }
        if ka.1 != kb.1 { return ka.1 < kb.1 }
        return ka.2 < kb.2
    }
}

extension MetricType {
    /// The type Prometheus's metadata names (`counter`, `gauge`, `histogram`, `summary`; else untyped).
    public init(prometheusType text: String?) {
        switch text {
        case "counter": self = .counter
        case "gauge": self = .gauge
        case "histogram": self = .histogram
        case "summary": self = .summary
        default: self = .untyped
        }
    }
}
