import Foundation
import Synchronization
import TeleportCore

/// A fleet read from a Prometheus server: instances from the selector's instance label,
/// scrape health from `/api/v1/targets`, every figure computed server-side over the
/// dashboard's windows, at most `PrometheusFleetQueries.perRefresh` requests per refresh
/// whatever the fleet size (vector queries grouped by instance). The open instance's
/// screens are fed by its raw series (one instant query per refresh) folded into a store
/// of its own, so rates and quantiles come from the same code as direct polling.
public final class PrometheusFleet: FleetSource {
    /// What to read.
    public struct Options: Sendable {
        public var selector: PrometheusSelector
        public var instanceLabel: String
        public var interval: Duration
        public var window: Duration
        /// How long an instance no answer names stays on screen (shown as gone) before it is dropped.
        public var goneFor: Duration

        public init(selector: PrometheusSelector = .all, instanceLabel: String = "instance", interval: Duration = .seconds(5),
            window: Duration = .seconds(600), goneFor: Duration = .seconds(300))
        {
            self.selector = selector
            self.instanceLabel = instanceLabel
            self.interval = interval
            self.window = window
            self.goneFor = goneFor
        }
    }

    private struct Registry {
        var ids: [String: Int] = [:]
        var names: [String] = []
        var lastSeen: [Int: Date] = [:]
        var removed: Set<Int> = []
        var focused: Int?
        var stores: [Int: MetricStore] = [:]
        var metadata: PrometheusAnswer.MetadataData = [:]
        var metadataFetched: Date?
        var interval: Duration
    }

    public let client: any PrometheusAPI
    public let options: Options
    private let registry: Mutex<Registry>
    private let wake = Mutex<Task<Void, Never>?>(nil)
    private let focusSink = Mutex<(@Sendable (FleetFocusUpdate) -> Void)?>(nil)
    /// Requests the last refresh made (the budget is `PrometheusFleetQueries.perRefresh`).
    public var lastRequestCount: Int { requestCount.withLock { $0 } }
    private let requestCount = Mutex(0)

    public init(client: any PrometheusAPI, options: Options) {
        self.client = client
        self.options = options
        registry = Mutex(Registry(interval: options.interval))
    }

    public var initialRows: [FleetRow] { [] }

    /// One refresh: the fleet's rows, the server's warnings, or why it failed.
    public struct Refresh: Sendable {
        public var rows: [FleetRow]
        public var warnings: [String]
        public var failure: String?
    }

    /// Runs until cancelled; `onStatus` is told the server's trouble or warnings (nil when fine).
    public func run(onRow: @escaping @Sendable (FleetRow) -> Void, onFocused: @escaping @Sendable (FleetFocusUpdate) -> Void,
        onStatus: @escaping @Sendable (String?) -> Void) async
    {
        focusSink.withLock { $0 = onFocused }
        while !Task.isCancelled {
            let started = ContinuousClock.now
            let refresh = await refresh()
            // A refresh cut short by quitting says nothing about the server.
            guard !Task.isCancelled else { break }
            for row in refresh.rows { onRow(row) }
            if let failure = refresh.failure {
                onStatus("Prometheus: \(failure)")
            } else {
                onStatus(refresh.warnings.isEmpty ? nil : "Prometheus warnings: " + refresh.warnings.joined(separator: "; "))
            }
            await refreshFocused()
            guard !Task.isCancelled else { break }
            let interval = registry.withLock { $0.interval }
            let delay = max(.milliseconds(250), interval - (ContinuousClock.now - started))
            let sleep = Task<Void, Never> { _ = try? await Task.sleep(for: delay) }
            wake.withLock { $0 = sleep }
            await withTaskCancellationHandler { await sleep.value } onCancel: { sleep.cancel() }
        }
    }

    /// Queries the server once and assembles the rows (also what `snapshot --prometheus` prints).
    public func refresh(now: Date = Date()) async -> Refresh {
        let queries = PrometheusFleetQueries(selector: options.selector, instanceLabel: options.instanceLabel, window: options.window.seconds)
        // Every query at once; each child answers with plain values (no error crosses tasks).
        let client = self.client
        let outcomes = await withTaskGroup(of: QueryOutcome.self, returning: [QueryOutcome].self) { group in
            for (name, promql) in queries.instant {
                group.addTask { await Self.outcome(name) { try await client.query(promql, at: now) } }
            }
            for (name, promql) in queries.range {
                group.addTask {
                    await Self.outcome(name) {
                        try await client.queryRange(promql, start: now.addingTimeInterval(-queries.window), end: now, step: queries.step)
                    }
                }
            }
            var all: [QueryOutcome] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        var answers: [PrometheusFleetQueries.Name: [PrometheusAnswer.Series]] = [:]
        var warnings: [String] = []
        var requests = outcomes.count
        var failure: String?
        for outcome in outcomes {
            if let series = outcome.series { answers[outcome.name] = series }
            warnings += outcome.warnings
            if failure == nil { failure = outcome.failure }
        }
        var targets: [PrometheusAnswer.Target] = []
        requests += 1
        do { targets = try await client.targets() } catch {
            if failure == nil { failure = error.description }
        }
        requestCount.withLock { $0 = requests }
        if failure != nil && answers[.state] == nil {
            return Refresh(rows: [], warnings: Array(Set(warnings)).sorted(), failure: failure)
        }
        let assembled = PrometheusFleetQueries.assemble(answers: answers, targets: targets, instanceLabel: options.instanceLabel,
            now: now, window: queries.window)
        let rows = registry.withLock { registry -> [FleetRow] in
            var rows: [FleetRow] = []
            for var row in assembled {
                let id: Int
                if let known = registry.ids[row.name] { id = known } else {
                    id = registry.names.count
                    registry.ids[row.name] = id
                    registry.names.append(row.name)
                }
                row.id = id
                registry.lastSeen[id] = now
                registry.removed.remove(id)
                rows.append(row)
            }
            // Instances no answer names: gone for a while, then dropped.
            let named = Set(rows.map(\.id))
            for (id, seen) in registry.lastSeen where !named.contains(id) && !registry.removed.contains(id) {
                var row = FleetRow(id: id, name: registry.names[id], source: .prometheus)
                row.gone = true
                row.state = .unreachable
                row.lastScrape = seen
                row.scrapeError = "not in Prometheus's answers since \(Self.clock(seen))"
                if now.timeIntervalSince(seen) > options.goneFor.seconds {
                    row.removed = true
                    registry.removed.insert(id)
                }
                rows.append(row)
            }
            return rows.sorted { $0.id < $1.id }
        }
        return Refresh(rows: rows, warnings: Array(Set(warnings)).sorted(), failure: failure)
    }

    /// One query's answer, as plain values.
    struct QueryOutcome: Sendable {
        var name: PrometheusFleetQueries.Name
        var series: [PrometheusAnswer.Series]?
        var warnings: [String]
        var failure: String?
    }

    static func outcome(_ name: PrometheusFleetQueries.Name,
        _ query: () async throws -> (data: PrometheusAnswer.QueryData, warnings: [String])) async -> QueryOutcome
    {
        do {
            let (data, warnings) = try await query()
            return QueryOutcome(name: name, series: data.series, warnings: warnings, failure: nil)
        } catch {
            return QueryOutcome(name: name, series: nil, warnings: [], failure: String(describing: error))
        }
    }

    static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date) + " UTC"
    }

    /// Feeds the open instance's store from its raw series (at `now`: a replay's cursor).
    public func refreshFocused(now: Date = Date()) async {
        guard let (id, name) = registry.withLock({ r in r.focused.map { ($0, r.names[$0]) } }) else { return }
        let store = registry.withLock { r -> MetricStore in
            if let store = r.stores[id] { return store }
            let store = MetricStore(target: "\(name) (via Prometheus)", interval: r.interval, history: options.window)
            r.stores[id] = store
            return store
        }
        let needsMetadata = registry.withLock { r in r.metadataFetched.map { now.timeIntervalSince($0) > 300 || now < $0 } ?? true }
        if needsMetadata, let metadata = try? await client.metadata() {
            registry.withLock {
                $0.metadata = metadata
                $0.metadataFetched = now
            }
        }
        let started = now
        let clockStart = Date()
        let promql = rawSeriesQuery(name)
        let outcome: Result<ScrapeResult, ScrapeFailure>
        do {
            let (data, _) = try await client.query(promql, at: started)
            let metadata = registry.withLock { $0.metadata }
            let families = PrometheusFleetQueries.families(from: data.series, metadata: metadata, dropping: [options.instanceLabel, "job"])
            let scrape = ScrapeResult(time: started, duration: .seconds(Date().timeIntervalSince(clockStart)), bytes: 0, families: families,
                started: started)
            if families.isEmpty {
                let failure = ScrapeFailure(time: now, error: .other(detail: "Prometheus holds no current series for \(name)"),
                    retryAt: now.addingTimeInterval(options.interval.seconds))
                await store.fail(failure)
                outcome = .failure(failure)
            } else {
                await store.ingest(scrape)
                outcome = .success(scrape)
            }
        } catch {
            guard !Task.isCancelled else { return }
            let failure = ScrapeFailure(time: now, error: .other(detail: error.description), retryAt: now.addingTimeInterval(options.interval.seconds))
            await store.fail(failure)
            outcome = .failure(failure)
        }
        guard registry.withLock({ $0.focused }) == id else { return }
        focusSink.withLock { $0 }?(FleetFocusUpdate(id: id, outcome: outcome, snapshot: await store.snapshot()))
    }

    public func focus(_ id: Int?) async {
        registry.withLock { $0.focused = id }
        guard id != nil else { return }
        wake.withLock { $0?.cancel() }  // refresh at once
    }

    public func focusedID() async -> Int? { registry.withLock { $0.focused } }

    /// The PromQL of an instance's raw series (what its open dashboard is fed from).
    public func rawSeriesQuery(_ name: String) -> String {
        "{" + [options.selector.matchers, PrometheusSelector.equals(options.instanceLabel, name)].filter { !$0.isEmpty }.joined(separator: ",") + "}"
    }

    /// The open instance's name.
    public var focusedName: String? { registry.withLock { r in r.focused.flatMap { r.names.indices.contains($0) ? r.names[$0] : nil } } }

    /// Sets who is handed the open instance's snapshots (`run` sets it; a replay calls this).
    public func setFocusSink(_ sink: (@Sendable (FleetFocusUpdate) -> Void)?) {
        focusSink.withLock { $0 = sink }
    }

    public func retry(_ id: Int) {
        wake.withLock { $0?.cancel() }
    }

    public func setInterval(_ interval: Duration) async {
        registry.withLock { $0.interval = interval }
        wake.withLock { $0?.cancel() }
    }

    public func client(for id: Int) -> DiagClient? { nil }

    public func socketClient(for id: Int) -> DiagClient? { nil }

    public func store(for id: Int) async -> MetricStore? {
        registry.withLock { $0.stores[id] }
    }

    public func shutdown() async { await client.shutdown() }
}
