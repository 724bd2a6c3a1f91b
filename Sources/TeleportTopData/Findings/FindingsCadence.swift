import Foundation

/// When a member's history is evaluated, one rule for the live engine, a replay's index and
/// `check --sweep` (so a recording gives what live gave): every few scrapes and at most once
/// per few seconds of polling (`FindingsEngine.Options.isDue`), and at once when the member
/// starts or stops answering (a slow or dead target's scrapes are far apart: its state must
/// not wait for three of them).
public struct FindingsCadence: Sendable {
    public let options: FindingsEngine.Options
    /// Scrapes (answered or failed) since the last evaluation.
    public private(set) var scrapes = 0
    /// Whether the newest scrape was answered (nil before the first).
    private var answering: Bool?
    /// A change of answering came while an evaluation was running: the next scrape is due.
    private var owed = false

    public init(options: FindingsEngine.Options) {
        self.options = options
    }

    /// Counts a scrape (`answered`: it was, not a failure) at `interval`; true when an
    /// evaluation is due now. `busy`: one is running (this one then waits, and a change of
    /// answering is owed to the next scrape).
    public mutating func observe(answered: Bool, interval: Duration, busy: Bool = false) -> Bool {
        scrapes += 1
        let changed = answering != answered
        answering = answered
        guard !busy else {
            owed = owed || changed
            return false
        }
        guard changed || owed || options.isDue(scrapes: scrapes, interval: interval) else { return false }
        scrapes = 0
        owed = false
        return true
    }
}
