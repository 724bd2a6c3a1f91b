import TeleportCore

/// The outcome of one heartbeat of one component, as Teleport's `TeleportOKEvent` and
/// `TeleportDegradedEvent` carry it.
public enum HeartbeatResult: Sendable, Hashable {
    case ok
    case failed
}
