import Foundation
import TeleportCore

/// Where a fleet's rows come from: targets polled directly, or a Prometheus server. Rows are
/// handed over as they change; the focused instance (the one whose full dashboard is open)
/// also hands over its store's snapshot after each refresh.
public protocol FleetSource: Sendable {
    /// Instances known at the start (a Prometheus fleet discovers more as it runs).
    var initialRows: [FleetRow] { get }
    /// Runs until cancelled; `onStatus` hears of the source's own trouble (nil: all well).
    func run(
        onRow: @escaping @Sendable (FleetRow) -> Void, onFocused: @escaping @Sendable (FleetFocusUpdate) -> Void,
        onStatus: @escaping @Sendable (String?) -> Void) async
    /// Opens an instance's full dashboard (nil: back to the fleet); its current snapshot is
    /// handed over at once through `onFocused`.
    func focus(_ id: Int?) async
    /// Refreshes an instance now.
    func retry(_ id: Int)
    /// Changes the refresh interval.
    func setInterval(_ interval: Duration) async
    /// The client that reaches an instance's diag address or socket, if one does (profiles).
    func client(for id: Int) -> DiagClient?
    /// The store holding an instance's history, if it has one yet (heatmaps).
    func store(for id: Int) async -> MetricStore?
    /// Closes connections.
    func shutdown() async
    /// The focused instance.
    func focusedID() async -> Int?
    /// The client of an instance's debug socket, if known (its logs and log level).
    func socketClient(for id: Int) -> DiagClient?
    /// `d`: switches an instance read from Prometheus to direct polling and back; says what
    /// happened (or why it cannot), in one line.
    func toggleDirect(_ id: Int) async -> String
}

/// The focused instance's picture after a refresh (or at once when focused).
public struct FleetFocusUpdate: Sendable {
    public var id: Int
    /// The refresh's outcome; nil when handed over on focus.
    public var outcome: Result<ScrapeResult, ScrapeFailure>?
    public var snapshot: MetricsSnapshot

    public init(id: Int, outcome: Result<ScrapeResult, ScrapeFailure>?, snapshot: MetricsSnapshot) {
        self.id = id
        self.outcome = outcome
        self.snapshot = snapshot
    }
}
