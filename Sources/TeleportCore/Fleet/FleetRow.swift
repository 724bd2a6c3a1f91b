import Foundation

/// One instance of a fleet as its row shows it: identity, state, and the handful of
/// figures an operator compares across instances. A figure is nil where the instance does
/// not expose its family (shown blank, never zero). Built from a snapshot (direct polling)
/// or from PromQL answers (a Prometheus server); the same value either way.
public struct FleetRow: Sendable, Hashable, Codable {
    /// Where the row's figures come from.
    public enum Source: String, Sendable, Hashable, Codable {
        case direct
        case prometheus
    }

    /// Stable for the run: the instance's index in the fleet.
    public var id: Int
    public var name: String
    public var source: Source
    /// Services running (`teleport_services{service_name}` = 1, `_service` dropped), sorted.
    public var roles: [String] = []
    public var version: String?
    public var state: ObservedState = .unknown
    /// When the current state began (as far as the history reaches).
    public var stateSince: Date?
    /// `stateSince` is only a lower bound: the state was already there when the watching
    /// (or the server's history) began.
    public var stateSinceIsLowerBound: Bool?
    /// State changes within the window.
    public var changes = 0
    /// `process_start_time_seconds`.
    public var processStart: Date?
    /// The time of the last restart seen within the window.
    public var restartedAt: Date?
    /// Cores used: the rate of `process_cpu_seconds_total` over 1m.
    public var cpu: Double?
    /// `process_resident_memory_bytes`.
    public var memory: Double?
    public var goroutines: Double?
    /// Requests per second of `grpc_server_handled_total` over 1m, and the share of them
    /// whose `grpc_code` is not OK (0...1; nil without requests).
    public var grpcRate: Double?
    public var grpcErrorShare: Double?
    /// p99 of `backend_read_seconds` over 1m, all series summed by `le`.
    public var backendP99: Double?
    /// `heartbeats_missed_total` (a gauge in Teleport, despite its name).
    public var heartbeatsMissed: Double?
    /// The last successful scrape.
    public var lastScrape: Date?
    /// The last attempt's error while it failed (sanitized on display).
    public var scrapeError: String?
    /// The state over the window, oldest first, one entry per slot (nil: no observation).
    public var strip: [ObservedState?] = []
    /// The host name its spans carry (`teleport.host.name`), when known.
    public var hostName: String?
    /// Its debug socket is known (the Logs screen and the log level work for it).
    public var hasSocket = false
    /// No source has named the instance lately (a Prometheus instance gone stale).
    public var gone = false
    /// Gone long enough to be dropped from the table.
    public var removed = false

    public init(id: Int, name: String, source: Source) {
        self.id = id
        self.name = name
        self.source = source
    }

    /// The families a row is built from (a store snapshot restricted to them is enough).
    public static let families: Set<String> = [
        "process_state", "teleport_services", "teleport_build_info", "process_start_time_seconds", "process_cpu_seconds_total",
        "process_resident_memory_bytes", "go_goroutines", "grpc_server_handled_total", "backend_read_seconds", "heartbeats_missed_total",
    ]

    /// Slots in the state strip.
    public static let stripSlots = 60

    /// The row of a directly polled instance: figures from its store's snapshot, the strip
    /// over `window` seconds ending at `now`.
    public init(id: Int, name: String, snapshot: MetricsSnapshot, now: Date, window: Double = 600, hostName: String? = nil) {
        self.init(id: id, name: name, source: .direct)
        self.hostName = hostName
        state = snapshot.state
        stateSince = snapshot.timeline.since
        stateSinceIsLowerBound = snapshot.timeline.sinceIsLowerBound
        changes = snapshot.timeline.changes(since: now.addingTimeInterval(-window))
        processStart = snapshot.processStart
        restartedAt = snapshot.timeline.restarts.last.flatMap { $0.time >= now.addingTimeInterval(-window) ? $0.time : nil }
        version = snapshot.build?.version
        lastScrape = snapshot.lastScrape?.time
        scrapeError = snapshot.lastFailure.map { String(describing: $0.error) }
        strip = Self.strip(snapshot.timeline, end: now, window: window)
        if let services = snapshot.family("teleport_services") {
            roles = Self.roles(services.series.filter { $0.value == 1 }.compactMap { $0.key.labels[label: "service_name"] })
        }
        cpu = snapshot.family("process_cpu_seconds_total")?.series.first?.rate1m
        memory = snapshot.family("process_resident_memory_bytes")?.series.first?.value
        goroutines = snapshot.family("go_goroutines")?.series.first?.value
        heartbeatsMissed = snapshot.family("heartbeats_missed_total")?.series.first?.value
        if let grpc = snapshot.family("grpc_server_handled_total"), !grpc.series.isEmpty {
            let rates = grpc.series.compactMap { series in series.rate1m.map { (series.key.labels[label: "grpc_code"], $0) } }
            if !rates.isEmpty {
                let total = rates.reduce(0) { $0 + $1.1 }
                grpcRate = total
                let failed = rates.filter { $0.0 != nil && $0.0 != "OK" }.reduce(0) { $0 + $1.1 }
                grpcErrorShare = total > 0 ? failed / total : nil
            }
        }
        if let backend = snapshot.family("backend_read_seconds") {
            backendP99 = Self.p99(summing: backend.histograms.compactMap { $0.windows[.oneMinute]?.buckets })
        }
    }

    /// `auth_service` → `auth`, `kubernetes_service` → `kube` (short names, as `tsh` shows
    /// roles), sorted, unique.
    public static func roles(_ serviceNames: [String]) -> [String] {
        let short = ["kubernetes": "kube", "database": "db", "windows_desktop": "desktop", "application": "app"]
        return Array(
            Set(
                serviceNames.map { name in
                    let base = name.hasSuffix("_service") ? String(name.dropLast(8)) : name
                    return short[base] ?? base
                })
        ).sorted()
    }

    /// The p99 of several series' cumulative buckets summed by upper bound (PromQL's
    /// `sum by (le)`), nil without observations.
    public static func p99(summing series: [[HistogramSeries.Bucket]]) -> Double? {
        guard !series.isEmpty else { return nil }
        var sums: [Double: Double] = [:]
        for buckets in series { for bucket in buckets { sums[bucket.upperBound, default: 0] += bucket.cumulativeCount } }
        let merged = sums.map { HistogramSeries.Bucket(upperBound: $0.key, cumulativeCount: $0.value) }
        return BucketQuantile.estimate(0.99, buckets: merged)?.value
    }

    /// The timeline sampled at the end of each of `slots` equal slots of the window.
    public static func strip(_ timeline: StateTimeline, end: Date, window: Double, slots: Int = stripSlots) -> [ObservedState?] {
        (0..<slots).map { slot in
            timeline.state(at: end.addingTimeInterval(-window + window * Double(slot + 1) / Double(slots)))
        }
    }

    /// A row of an instance switched from Prometheus to direct polling at `switchedAt`: what
    /// its own short history cannot know yet comes from `earlier` (its last PromQL row): the
    /// start of a state unchanged since, the changes and restart in the window, the strip's older slots.
    public mutating func continuing(_ earlier: FleetRow, switchedAt: Date, now: Date, window: Double) {
        let elapsed = max(0, now.timeIntervalSince(switchedAt))
        guard elapsed < window else { return }
        // Only while the state seen since the switch is the one PromQL last showed.
        if changes == 0, state == earlier.state, let since = earlier.stateSince, since < (stateSince ?? now) {
            stateSince = since
            stateSinceIsLowerBound = earlier.stateSinceIsLowerBound
        }
        changes += earlier.changes
        if restartedAt == nil { restartedAt = earlier.restartedAt }
        let shift = min(earlier.strip.count, Int(elapsed / (window / Double(max(1, earlier.strip.count)))))
        let older = Array(earlier.strip.dropFirst(shift)) + Array(repeating: nil, count: shift)
        if strip.count == older.count {
            for slot in strip.indices where strip[slot] == nil { strip[slot] = older[slot] }
        }
    }

    /// Nothing answered yet: neither a scrape nor an error.
    public var isWaiting: Bool { lastScrape == nil && scrapeError == nil && !gone && state == .unknown }

    /// Severity for sorting: degraded, unreachable, recovering, starting, ok, then the rest.
    public var severity: Int {
        if gone { return 6 }
        switch state {
        case .degraded: return 0
        case .unreachable, .notMetrics: return 1
        case .recovering: return 2
        case .starting: return 3
        case .ok: return 4
        case .unknown: return 5
        }
    }
}
