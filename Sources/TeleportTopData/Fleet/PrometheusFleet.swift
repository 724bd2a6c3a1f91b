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
        /// How an instance switched to direct polling (`d`) is asked.
        public var direct: DiagClient.Options

        public init(
            selector: PrometheusSelector = .all, instanceLabel: String = "instance", interval: Duration = .seconds(5),
            window: Duration = .seconds(600), goneFor: Duration = .seconds(300), direct: DiagClient.Options = .init()
        ) {
            self.selector = selector
            self.instanceLabel = instanceLabel
            self.interval = interval
            self.window = window
            self.goneFor = goneFor
            self.direct = direct
        }
    }

    private struct Registry {
        var ids: [String: Int] = [:]
        var names: [String] = []
        var lastSeen: [Int: Date] = [:]
        var removed: Set<Int> = []
        var stores: [Int: MetricStore] = [:]
        /// Each instance's last row from PromQL (where a switch to direct polling starts from).
        var lastRows: [Int: FleetRow] = [:]
        var metadata: PrometheusAnswer.MetadataData = [:]
        var metadataFetched: Date?
        var interval: Duration
        /// The server's engine, once told (`engineAsked`: it answered the question at all).
        var engine: PrometheusEngine?
        var engineAsked = false
        /// Each instance's scrape interval as the engine's targets say (seconds).
        var scrapeIntervals: [String: Double] = [:]
        /// How far behind the scrapes the engine's answers are, on purpose (seconds).
        var lag: Double?
        /// The newest sample folded into each open instance's store (nil: none yet: its
        /// history is filled first).
        var newest: [Int: Date] = [:]
    }

    public let client: any PrometheusAPI
    public let options: Options
    private let registry: Mutex<Registry>
    private let wake = Mutex<Task<Void, Never>?>(nil)
    public let seam: ScrapeSeam
    private let engineSink = Mutex<(@Sendable (String?) -> Void)?>(nil)
    /// Instances polled directly instead (`d`).
    private let directs = DirectOverrides()
    /// Requests the last refresh made (the budget is `PrometheusFleetQueries.perRefresh`).
    public var lastRequestCount: Int { requestCount.withLock { $0 } }
    private let requestCount = Mutex(0)

    /// `seam`: the one to publish through (a replay's fleets, made anew at each seek back,
    /// share the replay's); a new one by default.
    public init(client: any PrometheusAPI, options: Options, seam: ScrapeSeam? = nil) {
        self.client = client
        self.options = options
        registry = Mutex(Registry(interval: options.interval))
        self.seam = seam ?? ScrapeSeam(shape: .fleet, window: options.window.seconds)
    }

    public var recordedSources: RecordedSources {
        RecordedSources(prometheus: .init(selector: options.selector.description, instanceLabel: options.instanceLabel))
    }

    /// Every answer of the server, as received: a replay asks the same queries of them.
    public func attach(_ recorder: Recorder) {
        client.setOnAnswer { recorder.prometheus($0) }
    }

    public var initialRows: [FleetRow] { [] }

    /// One refresh: the fleet's rows, the server's warnings, or why it failed; the engine
    /// and how far behind the scrapes its answers are (nil: not on purpose).
    public struct Refresh: Sendable {
        public var rows: [FleetRow]
        public var warnings: [String]
        public var failure: String?
        public var engine: PrometheusEngine?
        public var lag: Double?

        /// The headers' words: `via VictoriaMetrics, 30s behind`.
        public var via: String? { PrometheusEngine.via(engine, lag: lag) }
    }

    /// Sets who hears the headers' words for the engine after each refresh (the session).
    public func setOnEngine(_ sink: (@Sendable (String?) -> Void)?) {
        engineSink.withLock { $0 = sink }
    }

    /// Runs until cancelled; `onStatus` is told the server's trouble or warnings (nil when fine).
    public func run(onStatus: @escaping @Sendable (String?) -> Void) async {
        while !Task.isCancelled {
            let started = ContinuousClock.now
            let refresh = await refresh()
            // A refresh cut short by quitting says nothing about the server.
            guard !Task.isCancelled else { break }
            // An instance polled directly has its rows from its own scrapes.
            for row in refresh.rows where !directs.contains(row.id) { seam.publish(row: row) }
            engineSink.withLock { $0 }?(refresh.via)
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
            await withTaskCancellationHandler {
                await sleep.value
            } onCancel: {
                sleep.cancel()
            }
        }
    }

    /// Queries the server once and assembles the rows (also what `snapshot --prometheus` prints).
    public func refresh(now: Date = Date()) async -> Refresh {
        let interval = registry.withLock { $0.interval }
        let queries = PrometheusFleetQueries(
            selector: options.selector, instanceLabel: options.instanceLabel, window: options.window.seconds, step: interval.seconds)
        let client = self.client
        var requests = 0
        if !registry.withLock({ $0.engineAsked }) {
            requests += 2
            await detectEngine()
        }
        // Every query at once; each child answers with plain values (no error crosses tasks).
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
        requests += outcomes.count
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
        let engine = registry.withLock { $0.engine }
        if failure != nil && answers[.state] == nil {
            return Refresh(rows: [], warnings: Array(Set(warnings)).sorted(), failure: failure, engine: engine)
        }
        var lastScrapes: [String: Date] = [:]
        for target in targets {
            if let instance = target.labels[options.instanceLabel], let date = target.lastScrapeDate { lastScrapes[instance] = date }
        }
        let lag = PrometheusEngine.lag(
            newestSamples: PrometheusFleetQueries.newestSamples(answers, instanceLabel: options.instanceLabel), lastScrapes: lastScrapes,
            scrapeInterval: targets.compactMap(\.scrapeIntervalSeconds).max())
        registry.withLock { r in
            r.lag = lag
            for target in targets {
                if let instance = target.labels[options.instanceLabel], let seconds = target.scrapeIntervalSeconds { r.scrapeIntervals[instance] = seconds }
            }
        }
        if engine == .victoriaMetrics, (answers[.state] ?? []).isEmpty, !lastScrapes.isEmpty {
            // Scraped, yet nothing to see: it holds back the newest samples (the header tells by how much once it shows them).
            warnings.append("VictoriaMetrics shows no samples of the scraped targets yet (it holds the newest back: -search.latencyOffset, 30s by default)")
        }
        let assembled = PrometheusFleetQueries.assemble(
            answers: answers, targets: targets, instanceLabel: options.instanceLabel,
            now: now, window: queries.window)
        let rows = registry.withLock { registry -> [FleetRow] in
            var rows: [FleetRow] = []
            for var row in assembled {
                let id: Int
                if let known = registry.ids[row.name] {
                    id = known
                } else {
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
            for row in rows { if row.removed { registry.lastRows[row.id] = nil } else { registry.lastRows[row.id] = row } }
            return rows.sorted { $0.id < $1.id }
        }
        return Refresh(rows: rows, warnings: Array(Set(warnings)).sorted(), failure: failure, engine: engine, lag: lag)
    }

    /// Tells the engine from its status answers, once: asked again only when neither
    /// answered at all (the server was down, or a recording holds neither).
    func detectEngine() async {
        let client = self.client
        async let active = try? client.get(PrometheusEngine.activeQueriesPath)
        async let build = try? client.get(PrometheusEngine.buildInfoPath)
        let (activeAnswer, buildAnswer) = await (active, build)
        guard activeAnswer != nil || buildAnswer != nil else { return }
        let engine = PrometheusEngine.detect(buildInfo: buildAnswer, activeQueries: activeAnswer)
        registry.withLock {
            $0.engine = engine
            $0.engineAsked = true
        }
    }

    /// The engine, once told.
    public var engine: PrometheusEngine? { registry.withLock { $0.engine } }

    /// One query's answer, as plain values.
    struct QueryOutcome: Sendable {
        var name: PrometheusFleetQueries.Name
        var series: [PrometheusAnswer.Series]?
        var warnings: [String]
        var failure: String?
    }

    static func outcome(
        _ name: PrometheusFleetQueries.Name,
        _ query: () async throws -> (data: PrometheusAnswer.QueryData, warnings: [String])
    ) async -> QueryOutcome {
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

    /// The most samples the first read of an opened instance's history asks for (about
    /// 30 bytes each in the engine's JSON).
    public static let historyPoints = 500_000

    /// The open instance's store, made on first use; its interval is the larger of the
    /// refresh's and the instance's scrape interval (what its samples are spaced by).
    func openStore(_ id: Int, _ name: String) -> MetricStore {
        registry.withLock { r -> MetricStore in
            if let store = r.stores[id] { return store }
            let spacing = max(r.interval.seconds, r.scrapeIntervals[name] ?? 0)
            let store = MetricStore(
                target: "\(name) via \(r.engine?.description ?? "the Prometheus API")", interval: .seconds(spacing), history: options.window)
            r.stores[id] = store
            return store
        }
    }

    /// Feeds the open instance's store from its raw samples (at `now`: a replay's cursor),
    /// each scrape at its own timestamp: the first time its history over the window (as much
    /// as `historyPoints` allows), then the samples newer than those held. A refresh that
    /// brings no new sample adds nothing.
    public func refreshFocused(now: Date = Date()) async {
        guard let id = seam.focusedID, let name = registry.withLock({ r in r.names.indices.contains(id) ? r.names[id] : nil }), !directs.contains(id)
        else { return }
        let store = openStore(id, name)
        let needsMetadata = registry.withLock { r in r.metadataFetched.map { now.timeIntervalSince($0) > 300 || now < $0 } ?? true }
        if needsMetadata, let metadata = try? await client.metadata() {
            registry.withLock {
                $0.metadata = metadata
                $0.metadataFetched = now
            }
        }
        let clockStart = Date()
        let (newest, interval, range, lag) = registry.withLock { r in
            (
                r.newest[id], r.interval,
                Self.liveRange(refresh: r.interval.seconds, scrape: r.scrapeIntervals[name], lag: r.lag, window: options.window.seconds),
                r.lag
            )
        }
        let selector = rawSeriesQuery(name)
        let member = ScrapeSeam.Member(id: id, name: name, store: store)
        do {
            var seconds = range
            if let newest {
                // A refresh that came late (a loaded machine, a slow engine) asks for all it
                // missed, so no scrape falls between two reads.
                seconds = Self.catchUpRange(live: range, since: now.timeIntervalSince(newest), window: options.window.seconds)
            } else {
                // How many series the instance has decides how far back its history is read.
                let count = try? await client.query("count(\(selector))", at: now).data.series.first?.value?.value
                seconds = Self.historyRange(series: count ?? 0, scrape: registry.withLock { $0.scrapeIntervals[name] }, window: options.window.seconds)
            }
            let (data, _) = try await client.query("\(selector)[\(Int(seconds))s]", at: now)
            let metadata = registry.withLock { $0.metadata }
            // An engine that holds its newest samples back from queries (VictoriaMetrics'
            // latency offset) still answers them raw: the dashboard shows the moment the row does.
            let scrapes = PrometheusRawScrapes.scrapes(
                from: data.series, metadata: metadata, dropping: [options.instanceLabel, "job"], after: newest,
                through: lag.map { now.addingTimeInterval(-$0) })
            let duration = Duration.seconds(Date().timeIntervalSince(clockStart))
            guard let last = scrapes.last else {
                if newest == nil {
                    let failure = ScrapeFailure(
                        time: now, error: .other(detail: "Prometheus holds no samples of \(name) in the last \(Int(seconds))s"),
                        retryAt: now.addingTimeInterval(interval.seconds))
                    await seam.deliver(.failure(failure), to: member, interval: interval, row: .none)
                } else {
                    await store.noteAsked(now, duration: duration)
                    await seam.deliver(nil, to: member, interval: interval, row: .none)
                }
                return
            }
            registry.withLock { $0.newest[id] = last.time }
            // A scrape the engine failed (`up` 0) is the instance unreachable then, as its row's
            // state history counts it.
            let outcomes = scrapes.map { scrape -> Result<ScrapeResult, ScrapeFailure> in
                if scrape.families.first(where: { $0.name == "up" })?.samples.first?.value == 0 {
                    return .failure(ScrapeFailure(time: scrape.time, error: .other(detail: "the engine's scrape of \(name) failed (up 0)"), retryAt: nil))
                }
                return .success(ScrapeResult(time: scrape.time, duration: duration, bytes: 0, families: scrape.families, asked: now))
            }
            await seam.deliver(all: outcomes, to: member, interval: interval, row: .none)
        } catch {
            guard !Task.isCancelled else { return }
            let failure = ScrapeFailure(time: now, error: .other(detail: error.description), retryAt: now.addingTimeInterval(interval.seconds))
            await seam.deliver(.failure(failure), to: member, interval: interval, row: .none)
        }
    }

    public func focus(_ id: Int?) async {
        seam.focus(id)
        guard let id else { return }
        if let member = directs.member(id) {
            await seam.publish(nil, of: member.published, row: .none)
            return
        }
        wake.withLock { $0?.cancel() }  // refresh at once
    }

    public func focusedID() async -> Int? { seam.focusedID }

    /// The PromQL of an instance's raw series (what its open dashboard is fed from).
    public func rawSeriesQuery(_ name: String) -> String {
        "{" + [options.selector.matchers, PrometheusSelector.equals(options.instanceLabel, name)].filter { !$0.isEmpty }.joined(separator: ",") + "}"
    }

    /// The open instance's name.
    public var focusedName: String? {
        let id = seam.focusedID
        return registry.withLock { r in id.flatMap { r.names.indices.contains($0) ? r.names[$0] : nil } }
    }

    public func retry(_ id: Int) {
        if let member = directs.member(id) { member.poller.retryNow() }
        wake.withLock { $0?.cancel() }
    }

    public func setInterval(_ interval: Duration) async {
        registry.withLock { $0.interval = interval }
        for member in directs.all { await member.poller.setInterval(interval) }
        wake.withLock { $0?.cancel() }
    }

    /// An instance polled directly has a client (profiles); the others none.
    public func client(for id: Int) -> DiagClient? { directs.member(id)?.client }

    public func socketClient(for id: Int) -> DiagClient? { nil }

    public func store(for id: Int) async -> MetricStore? {
        if let member = directs.member(id) { return member.store }
        return registry.withLock { $0.stores[id] }
    }

    public func shutdown() async {
        for member in directs.removeAll() { await DirectOverrides.stop(member) }
        await client.shutdown()
    }

    /// Switches an instance to direct polling, or back to PromQL: its instance label must be
    /// a diag address (`host:port`) that answers from here, else it stays as it was. Says what
    /// happened, in one line.
    public func toggleDirect(_ id: Int) async -> String {
        guard let name = registry.withLock({ r in r.names.indices.contains(id) ? r.names[id] : nil }) else { return "no such instance" }
        if let member = directs.remove(id) {
            await DirectOverrides.stop(member)
            // The same store goes on from PromQL's samples newer than the direct scrapes it holds.
            let directNewest = await member.store.newestScrapeTime ?? Date()
            let spacing = registry.withLock { r in
                r.newest[id] = directNewest
                return max(r.interval.seconds, r.scrapeIntervals[name] ?? 0)
            }
            await member.store.setInterval(.seconds(spacing))
            wake.withLock { $0?.cancel() }  // its PromQL row at once
            return "\(name): read from Prometheus again"
        }
        let target: DiagTarget
        do { target = try DiagTarget(diagAddr: name) } catch {
            return "\(name) is no diag address (its \(options.instanceLabel) label is not host:port): it stays read from Prometheus"
        }
        let client: DiagClient
        do { client = try DiagClient(target: target, options: options.direct) } catch {
            return "\(name): \(error.description)"
        }
        let (result, _) = await client.poll()
        let scrape: ScrapeResult
        switch result {
        case .success(let answer): scrape = answer
        case .failure(let error):
            await client.shutdown()
            return "\(name) does not answer from here (\(error.description)): it stays read from Prometheus"
        }
        let interval = registry.withLock { $0.interval }
        // One store per instance, whichever source feeds it: the history read from the
        // engine goes on with the direct scrapes.
        let store = openStore(id, name)
        await store.setInterval(interval)
        let poller = Poller(client: client, store: store, schedule: PollSchedule(interval: interval), startDelay: interval)
        let window = options.window.seconds
        let earlier = registry.withLock { $0.lastRows[id] }
        let switchedAt = Date()
        let member = ScrapeSeam.Member(id: id, name: name, store: store)
        // Its row continues what PromQL showed (the state's start, the strip's older slots).
        let row: @Sendable () -> ScrapeSeam.RowSource = {
            .store(now: Date()) { row, now in if let earlier { row.continuing(earlier, switchedAt: switchedAt, now: now, window: window) } }
        }
        let seam = self.seam
        let task = Task { await poller.runUnfolded(handing: { outcome in await seam.deliver(outcome, to: member, interval: interval, row: row()) }) }
        directs.insert(.init(client: client, store: store, poller: poller, published: member, task: task), as: id)
        await seam.deliver(.success(scrape), to: member, interval: interval, row: row())
        return "\(name): polled directly every \(DurationText.format(interval)) (d again: back to Prometheus)"
    }
}
