import Foundation
import Synchronization
import TeleportCore

/// The one seam between a source of scrape outcomes and what the dashboard shows. An
/// outcome is folded into its instance's store here (`fold`, the only place that folds),
/// then published, in this order: the observers (a recording, findings), the instance's row
/// (a fleet), the open dashboard (the focused instance, or the one target of a single-target
/// dashboard). Every source goes through it: one target (a fleet of one), a fleet polled
/// directly, a fleet read from Prometheus, a replay.
public final class ScrapeSeam: Sendable {
    /// An instance as the seam publishes it.
    public struct Member: Sendable {
        public var id: Int
        public var name: String
        public var hostName: String?
        public var store: MetricStore
        /// Whether its debug socket is known (the row's logs column).
        public var hasSocket: Bool

        public init(id: Int, name: String, hostName: String? = nil, store: MetricStore, hasSocket: Bool = false) {
            self.id = id
            self.name = name
            self.hostName = hostName
            self.store = store
            self.hasSocket = hasSocket
        }
    }

    /// What an observer hears: an outcome just folded into a member's store.
    public struct Observation: Sendable {
        public var member: Member
        public var outcome: Result<ScrapeResult, ScrapeFailure>
        /// The interval the instance is polled at.
        public var interval: Duration
    }

    /// Where a published row comes from.
    public enum RowSource: Sendable {
        /// Computed from the member's store at `now` (a fleet polled directly, a replay);
        /// `adjust` amends it, told `now` (a row that continues what PromQL showed).
        case store(now: Date, adjust: (@Sendable (inout FleetRow, Date) -> Void)? = nil)
        /// No row (one target; the open instance of a fleet read from Prometheus, whose rows
        /// come from PromQL).
        case none
    }

    /// One target (no rows; every update is the dashboard's) or a fleet.
    public enum Shape: Sendable, Equatable {
        case single
        case fleet
    }

    /// A member's findings, as an evaluation left them.
    public struct FindingsUpdate: Sendable {
        public var id: Int
        public var name: String
        public var report: FindingsReport
    }

    private struct Sinks {
        var row: (@Sendable (FleetRow) -> Void)?
        var focused: (@Sendable (FleetFocusUpdate) -> Void)?
        var findings: [@Sendable (FindingsUpdate) -> Void] = []
    }

    public let shape: Shape
    /// Seconds the rows' changes and strips cover.
    public let window: Double
    private let sinks = Mutex(Sinks())
    private let focused: Mutex<Int?>
    private let observers = Mutex<[@Sendable (Observation) -> Void]>([])
    private let rowObservers = Mutex<[@Sendable (FleetRow) -> Void]>([])

    public init(shape: Shape, window: Double) {
        self.shape = shape
        self.window = window
        focused = Mutex(shape == .single ? 0 : nil)
    }

    /// Where rows and the open dashboard's updates go (the dashboard's event stream).
    public func connect(onRow: @escaping @Sendable (FleetRow) -> Void, onFocused: @escaping @Sendable (FleetFocusUpdate) -> Void) {
        sinks.withLock {
            $0.row = onRow
            $0.focused = onFocused
        }
    }

    /// Adds an observer of every folded outcome (called before the source runs).
    public func observe(_ observer: @escaping @Sendable (Observation) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    /// Adds an observer of every fleet row published (from a store or from PromQL).
    public func observeRows(_ observer: @escaping @Sendable (FleetRow) -> Void) {
        rowObservers.withLock { $0.append(observer) }
    }

    /// Adds a listener of findings (a `FindingsEngine` attached to this seam publishes them).
    public func connectFindings(_ onFindings: @escaping @Sendable (FindingsUpdate) -> Void) {
        sinks.withLock { $0.findings.append(onFindings) }
    }

    /// Publishes a member's findings to their listeners.
    public func publish(findings: FindingsUpdate) {
        for sink in sinks.withLock({ $0.findings }) { sink(findings) }
    }

    /// The open instance (always 0 for one target).
    public var focusedID: Int? { focused.withLock { $0 } }

    /// Opens an instance (nil: back to the fleet); returns the one open before.
    @discardableResult
    public func focus(_ id: Int?) -> Int? {
        guard shape == .fleet else { return 0 }
        return focused.withLock { current in
            defer { current = id }
            return current
        }
    }

    /// Folds an outcome into a store: the one place a scrape or a failure enters one.
    public static func fold(_ outcome: Result<ScrapeResult, ScrapeFailure>, into store: MetricStore) async {
        switch outcome {
        case .success(let scrape): await store.ingest(scrape)
        case .failure(let failure): await store.fail(failure)
        }
    }

    /// Folds `outcome` (nil: nothing new) into the member's store and publishes it.
    public func deliver(_ outcome: Result<ScrapeResult, ScrapeFailure>?, to member: Member, interval: Duration, row: RowSource) async {
        await deliver(all: outcome.map { [$0] } ?? [], to: member, interval: interval, row: row)
    }

    /// Folds several outcomes in order (scrapes an engine held, read at once) and publishes
    /// once, with the last.
    public func deliver(all outcomes: [Result<ScrapeResult, ScrapeFailure>], to member: Member, interval: Duration, row: RowSource) async {
        for outcome in outcomes {
            await Self.fold(outcome, into: member.store)
            let observation = Observation(member: member, outcome: outcome, interval: interval)
            for observer in observers.withLock({ $0 }) { observer(observation) }
        }
        await publish(outcomes.last, of: member, row: row)
    }

    /// Publishes what a member's store holds now, without folding (a replay that folded a
    /// stretch of history, an instance handed over as it opens).
    public func publish(_ outcome: Result<ScrapeResult, ScrapeFailure>?, of member: Member, row: RowSource) async {
        let sinks = self.sinks.withLock { $0 }
        if shape == .fleet, case .store(let now, let adjust) = row {
            var fleetRow = FleetRow(
                id: member.id, name: member.name, snapshot: await member.store.snapshot(only: FleetRow.families), now: now, window: window,
                hostName: member.hostName)
            fleetRow.hasSocket = member.hasSocket
            adjust?(&fleetRow, now)
            sinks.row?(fleetRow)
            for observer in rowObservers.withLock({ $0 }) { observer(fleetRow) }
        }
        if focusedID == member.id {
            sinks.focused?(FleetFocusUpdate(id: member.id, outcome: outcome, snapshot: await member.store.snapshot()))
        }
    }

    /// A row that does not come from a store (a fleet read from Prometheus: PromQL's).
    public func publish(row: FleetRow) {
        sinks.withLock { $0.row }?(row)
        for observer in rowObservers.withLock({ $0 }) { observer(row) }
    }
}
