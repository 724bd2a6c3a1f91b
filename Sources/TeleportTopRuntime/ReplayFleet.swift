import Foundation
import TeleportCore
import TeleportTopData

/// A recording read back, as a `FleetSource` (one target's recording is a fleet of one): its
/// rows and the open instance's snapshots come from the replay driver at its cursor, through
/// the driver's seam, not from polling. No instance can be reached: no captures, no logs of
/// its own, no retries.
public final class ReplayFleet: FleetSource {
    public let driver: ReplayDriver

    public init(driver: ReplayDriver) {
        self.driver = driver
    }

    public var seam: ScrapeSeam { driver.seam }
    public var recordedSources: RecordedSources { RecordedSources() }
    public func attach(_ recorder: Recorder) {}

    public var initialRows: [FleetRow] {
        driver.members.map { FleetRow(id: $0.id, name: $0.name, source: .direct) }
    }

    /// The driver posts the rows itself: nothing to run.
    public func run(onStatus: @escaping @Sendable (String?) -> Void) async {}

    public func focus(_ id: Int?) async { await driver.focus(id) }
    public func retry(_ id: Int) {}
    public func setInterval(_ interval: Duration) async {}
    public func client(for id: Int) -> DiagClient? { nil }
    public func socketClient(for id: Int) -> DiagClient? { nil }

    public func store(for id: Int) async -> MetricStore? {
        driver.members.indices.contains(id) ? driver.members[id].store : nil
    }

    public func shutdown() async {}
    public func toggleDirect(_ id: Int) async -> String { "a replay shows what was recorded: nothing is polled" }
    public func focusedID() async -> Int? { await driver.focusedID() }
}
