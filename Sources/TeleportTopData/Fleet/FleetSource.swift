import Foundation
import TeleportCore

/// Where a dashboard's data comes from: one target, targets polled directly, a Prometheus
/// server, a recording. Every outcome reaches the screen through the source's `seam`, which
/// folds it into the instance's store and hands over the rows and the open instance's
/// snapshots; the session connects the seam to the event stream before `run`.
public protocol FleetSource: Sendable {
    /// The one seam this source's outcomes go through.
    var seam: ScrapeSeam { get }
    /// Instances known at the start (a Prometheus fleet discovers more as it runs).
    var initialRows: [FleetRow] { get }
    /// Runs until cancelled; `onStatus` hears of the source's own trouble (nil: all well).
    func run(onStatus: @escaping @Sendable (String?) -> Void) async
    /// What a recording of this source says of it in its header (one target, the instances,
    /// a Prometheus selector).
    var recordedSources: RecordedSources { get }
    /// Records what a replay of this source needs (scrape bodies, or the server's answers).
    func attach(_ recorder: Recorder)
    /// Sets who hears the headers' words for the engine the source reads (`via
    /// VictoriaMetrics, 30s behind`) after each refresh; a source that reads none says nothing.
    func setOnEngine(_ sink: (@Sendable (String?) -> Void)?)
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

extension FleetSource {
    /// Polled directly or replayed: no engine between.
    public func setOnEngine(_ sink: (@Sendable (String?) -> Void)?) {}

    /// Connects the seam to `onRow` and `onFocused`, then runs (a caller without an event
    /// stream: `record`, `snapshot`, tests).
    public func run(
        onRow: @escaping @Sendable (FleetRow) -> Void, onFocused: @escaping @Sendable (FleetFocusUpdate) -> Void,
        onStatus: @escaping @Sendable (String?) -> Void
    ) async {
        seam.connect(onRow: onRow, onFocused: onFocused)
        await run(onStatus: onStatus)
    }
}
