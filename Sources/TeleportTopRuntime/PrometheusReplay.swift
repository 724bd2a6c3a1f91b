import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopUI

/// A fleet read from Prometheus, replayed: the same `PrometheusFleet` as live, asking a
/// recording's answers (`RecordedPrometheus`) instead of a server. Each time the cursor passes
/// a recorded refresh, the fleet refreshes at the cursor and its rows (and the open instance's
/// snapshot) go into the event stream; a seek back starts the fleet over.
public final class PrometheusReplay: FleetSource, @unchecked Sendable {
    let recorded: RecordedPrometheus
    let options: PrometheusFleet.Options
    let queue: EventQueue
    let clock: @Sendable () -> Date
    private let lock = NSLock()
    private var fleet: PrometheusFleet
    private var lastRefresh: Date?
    private var focused: Int?
    private var warned = false

    public init(reader: RecordingReader, options: PrometheusFleet.Options, queue: EventQueue, now: @escaping @Sendable () -> Date) {
        recorded = RecordedPrometheus(reader: reader, now: now)
        self.options = options
        self.queue = queue
        clock = now
        let seam = ScrapeSeam(shape: .fleet, window: options.window.seconds)
        self.seam = seam
        fleet = PrometheusFleet(client: recorded, options: options, seam: seam)
    }

    /// Shared by every fleet the replay makes (one per seek back).
    public let seam: ScrapeSeam
    /// A replay records nothing.
    public var recordedSources: RecordedSources { RecordedSources() }
    public func attach(_ recorder: Recorder) {}

    var current: PrometheusFleet { lock.withLock { fleet } }

    /// The cursor moved to `cursor` (`reset`: by a seek that started the stores over).
    public func move(to cursor: Date, reset: Bool) async {
        recorded.index()
        if reset {
            let fresh = PrometheusFleet(client: recorded, options: options, seam: seam)
            let open = lock.withLock { () -> Int? in
                self.fleet = fresh
                self.lastRefresh = nil
                return focused
            }
            if let open { await fresh.focus(open) }
        }
        let due = lock.withLock { reset || recorded.refreshed(after: lastRefresh, upTo: cursor) }
        guard due else { return }
        lock.withLock { lastRefresh = cursor }
        let fleet = current
        let refresh = await fleet.refresh(now: cursor)
        for row in refresh.rows { seam.publish(row: row) }
        queue.post(.fleetEngine(refresh.via))
        if let failure = refresh.failure {
            queue.post(.fleetStatus("Prometheus (recorded): \(failure)"))
        } else {
            queue.post(.fleetStatus(refresh.warnings.isEmpty ? nil : "Prometheus warnings: " + refresh.warnings.joined(separator: "; ")))
        }
        await refreshFocused(fleet, at: cursor)
    }

    /// Feeds the open instance's dashboard from its recorded raw series, when they were
    /// recorded (it was open while recording); else says so once, rather than showing the
    /// instance down.
    func refreshFocused(_ fleet: PrometheusFleet, at cursor: Date) async {
        guard let name = fleet.focusedName else { return }
        guard recorded.hasQuery(fleet.rawSeriesQuery(name), at: cursor) else {
            if lock.withLock({ () -> Bool in
                defer { warned = true }
                return !warned
            }) {
                queue.post(.notice("\(name)'s own series were not recorded by this time: an instance's dashboard is recorded while it is open"))
            }
            return
        }
        lock.withLock { warned = false }
        await fleet.refreshFocused(now: cursor)
    }

    public var initialRows: [FleetRow] { [] }

    /// When the first refresh was recorded (where a replay starts).
    public var firstRefresh: Date? { recorded.firstRefresh }

    /// The driver moves it (`move(to:reset:)`): nothing to run.
    public func run(onStatus: @escaping @Sendable (String?) -> Void) async {}

    public func focus(_ id: Int?) async {
        lock.withLock {
            focused = id
            warned = false
        }
        let fleet = current
        await fleet.focus(id)
        if id != nil { await refreshFocused(fleet, at: clock()) }
    }

    public func retry(_ id: Int) {}
    public func setInterval(_ interval: Duration) async {}
    public func client(for id: Int) -> DiagClient? { nil }
    public func socketClient(for id: Int) -> DiagClient? { nil }
    public func store(for id: Int) async -> MetricStore? { await current.store(for: id) }
    public func shutdown() async {}
    public func toggleDirect(_ id: Int) async -> String { "a replay shows what was recorded: nothing is polled" }
    public func focusedID() async -> Int? { lock.withLock { focused } }
}
