import Synchronization
import TeleportDiagnostics

/// Hands the newest snapshot from the async world to the UI thread; older ones are dropped.
final class SnapshotMailbox: Sendable {
    private let slot = Mutex<MetricsSnapshot?>(nil)

    func put(_ snapshot: MetricsSnapshot) { slot.withLock { $0 = snapshot } }

    func take() -> MetricsSnapshot? { slot.withLock { value in defer { value = nil }; return value } }
}
