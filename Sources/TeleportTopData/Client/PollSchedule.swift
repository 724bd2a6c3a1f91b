import TeleportCore

/// When the next scrape happens: on a fixed cadence from the first scrape (a slow scrape
/// skips the ticks it overran, so scrapes never overlap and never drift); while the target
/// fails, at the interval for the first `patientFailures` failures, then backing off x2 per
/// failure up to `maxBackoff` (a diag endpoint is local and cheap: 5 s by default); back to
/// the cadence on the first success.
public struct PollSchedule: Sendable, Hashable {
    public var interval: Duration
    public var maxBackoff: Duration
    /// The smallest interval accepted.
    public static let minimumInterval: Duration = .milliseconds(250)

    /// Failures retried at the interval before backing off.
    public static let patientFailures = 3

    public init(interval: Duration, maxBackoff: Duration = .seconds(5)) {
        self.interval = max(interval, Self.minimumInterval)
        self.maxBackoff = max(maxBackoff, self.interval)
    }

    /// The delay before the next attempt after `failures` consecutive failures (0 on success).
    public func backoff(failures: Int) -> Duration {
        guard failures > Self.patientFailures else { return interval }
        var delay = interval
        for _ in 0..<min(failures - Self.patientFailures, 32) {
            delay = delay * 2
            if delay >= maxBackoff { return maxBackoff }
        }
        return delay
    }

    /// The next tick on the cadence anchored at `anchor`, strictly after `now`.
    /// `anchor` is an offset from any origin (the poller uses its clock's instants).
    public func nextTick(anchor: Duration, now: Duration) -> Duration {
        guard now >= anchor else { return anchor }
        let elapsed = now - anchor
        let ticks = Int64((elapsed / interval).rounded(.down)) + 1
        return anchor + interval * ticks
    }
}
