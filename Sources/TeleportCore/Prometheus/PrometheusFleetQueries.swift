import Foundation

/// The PromQL a fleet refresh sends and how the answers become rows. Every query is a
/// vector over all instances at once (grouped by the instance label where it aggregates),
/// so a refresh costs the same number of requests for 3 instances or 3,000.
public struct PrometheusFleetQueries: Sendable {
    /// What each query answers.
    public enum Name: String, Sendable, Hashable, CaseIterable {
        case state, build, services, start, cpu, memory, goroutines, grpcTotal, grpcFailed, backendP99, heartbeats, changes, restarts
        case stateRange, upRange
    }

    /// Requests per refresh at most: the instant and range queries, `/api/v1/targets`, and
    /// the open instance's raw series (and, every few minutes, the metadata).
    public static let perRefresh = 20

    public let selector: PrometheusSelector
    public let instanceLabel: String
    /// Seconds of the state strip and of `changes`.
    public let window: Double

    public init(selector: PrometheusSelector, instanceLabel: String, window: Double) {
        self.selector = selector
        self.instanceLabel = instanceLabel
        self.window = max(60, window)
    }

    /// The range queries' step: the strip's slots.
    public var step: Double { (window / Double(FleetRow.stripSlots)).rounded(.up) }

    /// The instant queries, by what they answer.
    public var instant: [(Name, String)] {
        let s = selector
        let by = instanceLabel
        let w = "\(Int(window))s"
        return [
            (.state, s.metric("process_state")),
            (.build, s.metric("teleport_build_info")),
            (.services, s.metric("teleport_services") + " == 1"),
            (.start, s.metric("process_start_time_seconds")),
            (.cpu, "rate(\(s.metric("process_cpu_seconds_total"))[1m])"),
            (.memory, s.metric("process_resident_memory_bytes")),
            (.goroutines, s.metric("go_goroutines")),
            (.grpcTotal, "sum by (\(by)) (rate(\(s.metric("grpc_server_handled_total"))[1m]))"),
            (.grpcFailed, "sum by (\(by)) (rate(\(s.metric("grpc_server_handled_total", "grpc_code!=\"OK\""))[1m]))"),
            (.backendP99, "histogram_quantile(0.99, sum by (\(by), le) (rate(\(s.metric("backend_read_seconds_bucket"))[1m])))"),
            (.heartbeats, s.metric("heartbeats_missed_total")),
            (.changes, "changes(\(s.metric("process_state"))[\(w)])"),
            (.restarts, "changes(\(s.metric("process_start_time_seconds"))[\(w)])"),
        ]
    }

    /// The range queries (the state strip).
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
        func row(_ name: String) -> FleetRow { rows[name] ?? FleetRow(id: 0, name: name, source: .prometheus) }
        func each(_ query: Name, _ body: (inout FleetRow, PrometheusAnswer.Series, Double) -> Void) {
            for series in answers[query] ?? [] {
                guard let instance = series.metric[instanceLabel], let value = series.value?.value, var r = rows[instance] else { continue }
                body(&r, series, value)
                rows[instance] = r
            }
        }
        for series in answers[.state] ?? [] {
            guard let instance = series.metric[instanceLabel] else { continue }
            var r = row(instance)
            if let value = series.value?.value, let state = ProcessState(gaugeValue: value) { r.state = ObservedState(state) }
            r.lastScrape = series.value.map { Date(timeIntervalSince1970: $0.time) }
            rows[instance] = r
        }
        // Targets of the selector's job that are down carry no current series: keep them as unreachable.
        let job = targetJobs(answers[.state] ?? [])
        for target in targets {
            guard let instance = target.labels[instanceLabel], rows[instance] != nil || (target.labels["job"].map(job.contains) ?? false)
            else { continue }
            var r = row(instance)
            r.lastScrape = target.lastScrapeDate ?? r.lastScrape
            if target.health == "down" {
                r.state = .unreachable
                r.scrapeError = Sanitized.quote(target.lastError.flatMap { $0.isEmpty ? nil : $0 } ?? "down")
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
        each(.changes) { r, _, v in r.changes = Int(v) }
        each(.restarts) { r, _, v in if v > 0 { r.restartedAt = r.processStart } }
        for (name, var r) in rows {
            // grpcFailed holds the failed rate until here: make it a share of the total.
            if let total = r.grpcRate {
                r.grpcErrorShare = total > 0 ? (r.grpcErrorShare ?? 0) / total : nil
            } else {
                r.grpcErrorShare = nil
            }
            rows[name] = r
        }
        let strips = strips(state: answers[.stateRange] ?? [], up: answers[.upRange] ?? [], instanceLabel: instanceLabel, now: now, window: window)
        for (name, strip) in strips {
            guard var r = rows[name] else { continue }
            r.strip = strip
            let current = r.state
            // When the current state began: the start of the strip's last run of it.
            var since: Int?
            for i in stride(from: strip.count - 1, through: 0, by: -1) {
                guard strip[i] == current else { break }
                since = i
            }
            if let since { r.stateSince = now.addingTimeInterval(-window + window * Double(since) / Double(strip.count)) }
            rows[name] = r
        }
        return rows.values.sorted { $0.name < $1.name }
    }

    static func targetJobs(_ series: [PrometheusAnswer.Series]) -> Set<String> {
        Set(series.compactMap { $0.metric["job"] })
    }

    /// The state per strip slot from the ranges of `process_state` and `up` (down: unreachable).
    static func strips(state: [PrometheusAnswer.Series], up: [PrometheusAnswer.Series], instanceLabel: String, now: Date, window: Double)
        -> [String: [ObservedState?]]
    {
        let slots = FleetRow.stripSlots
        func slot(_ time: Double) -> Int? {
            let offset = time - (now.timeIntervalSince1970 - window)
            guard offset >= 0 else { return nil }
            return min(slots - 1, Int(offset / window * Double(slots)))
        }
        var strips: [String: [ObservedState?]] = [:]
        for series in state {
            guard let instance = series.metric[instanceLabel] else { continue }
            var strip = strips[instance] ?? Array(repeating: nil, count: slots)
            for point in series.values ?? [] {
                guard let i = slot(point.time), let value = ProcessState(gaugeValue: point.value) else { continue }
                strip[i] = ObservedState(value)
            }
            strips[instance] = strip
        }
        for series in up {
            guard let instance = series.metric[instanceLabel], strips[instance] != nil || !(series.values ?? []).isEmpty else { continue }
            var strip = strips[instance] ?? Array(repeating: nil, count: slots)
            for point in series.values ?? [] where point.value == 0 {
                if let i = slot(point.time) { strip[i] = .unreachable }
            }
            strips[instance] = strip
        }
        return strips
    }

    /// An instance's raw series (an instant query's vector) as the families a scrape would
    /// have given, typed by the server's metadata (`x_bucket`, `x_sum`, `x_count` of a
    /// histogram `x` form one family), minus the labels every series shares (`instance`, `job`).
    public static func families(from series: [PrometheusAnswer.Series], metadata: PrometheusAnswer.MetadataData, dropping: Set<String>)
        -> [MetricFamily]
    {
        var families: [String: MetricFamily] = [:]
        var order: [String] = []
        for item in series {
            guard let sampleName = item.metric["__name__"], let value = item.value?.value else { continue }
            var familyName = sampleName
            var type = MetricType(prometheusType: metadata[sampleName]?.first?.type)
            if metadata[sampleName] == nil {
                for suffix in ["_bucket", "_sum", "_count"] where sampleName.hasSuffix(suffix) {
                    let base = String(sampleName.dropLast(suffix.count))
                    if let kind = metadata[base]?.first?.type, kind == "histogram" || kind == "summary" {
                        familyName = base
                        type = MetricType(prometheusType: kind)
                    }
                }
            }
            let labels = item.metric.filter { $0.key != "__name__" && !dropping.contains($0.key) }.map { Label($0.key, $0.value) }
                .sorted { $0.name < $1.name }
            if families[familyName] == nil { order.append(familyName) }
            families[familyName, default: MetricFamily(name: familyName, type: type, help: metadata[familyName]?.first?.help)].samples.append(
                Sample(name: sampleName, labels: labels, value: value))
        }
        return order.sorted().compactMap { name in
            guard var family = families[name] else { return nil }
            family.samples.sort(by: exposition)
            return family
        }
    }

    /// Exposition order: by labels (without `le`), then buckets by bound, then `_sum`, `_count`.
    static func exposition(_ a: Sample, _ b: Sample) -> Bool {
        func key(_ s: Sample) -> (String, Int, Double) {
            let rest = s.labels.filter { $0.name != "le" }.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
            let rank = s.name.hasSuffix("_bucket") ? 0 : s.name.hasSuffix("_sum") ? 1 : s.name.hasSuffix("_count") ? 2 : 0
            let bound = s.labels[label: "le"].flatMap { Double($0) } ?? 0
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
