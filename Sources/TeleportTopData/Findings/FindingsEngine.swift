import Foundation
import Synchronization
import TeleportCore

/// The findings engine as a running thing: attached to a seam, it evaluates a member's
/// history every few scrapes off the caller's loop (one evaluation per member at a time),
/// keeps findings open across evaluations, and publishes them through the seam; on a
/// fleet, with the fleet's own findings of each instance (`FleetFindings`).
public final class FindingsEngine: Sendable {
    public struct Options: Sendable {
        public var windows: FindingsWindows
        public var thresholds: ChangeThresholds
        /// Scrapes between evaluations of a member.
        public var every: Int
        /// Seconds of polling (scrapes × interval) between evaluations at least: at 1 s an
        /// evaluation every 5 scrapes, not 3 (docs/findings.md, the cost).
        public var minimumSeconds: Double

        public init(windows: FindingsWindows = .init(), thresholds: ChangeThresholds = .init(), every: Int = 3, minimumSeconds: Double = 5) {
            self.windows = windows
            self.thresholds = thresholds
            self.every = max(1, every)
            self.minimumSeconds = max(0, minimumSeconds)
        }

        /// Whether `scrapes` scrapes at `interval` since the last evaluation make the next one due.
        public func isDue(scrapes: Int, interval: Duration) -> Bool {
            scrapes >= every && Double(scrapes) * interval.seconds + 1e-9 >= minimumSeconds
        }
    }

    private struct MemberState: Sendable {
        var tracker: FindingsTracker
        var cadence: FindingsCadence
        var running = false
        var latest: FindingsReport = .empty
    }

    public let options: Options
    private let members = Mutex<[Int: MemberState]>([:])
    private let fixedBaseline = Mutex<DateInterval?>(nil)
    private let fleet: Mutex<FleetFindings>

    public init(options: Options = .init()) {
        self.options = options
        fleet = Mutex(FleetFindings(minimumSeconds: max(1, options.minimumSeconds)))
    }

    /// Evaluates every member of `seam` as its scrapes arrive; reports go to the seam's
    /// findings listeners.
    public func attach(to seam: ScrapeSeam) {
        seam.observe { [self] observation in
            let member = observation.member
            let due = members.withLock { all -> Bool in
                var state = all[member.id] ?? memberState()
                let answered = if case .success = observation.outcome { true } else { false }
                let due = state.cadence.observe(answered: answered, interval: observation.interval, busy: state.running)
                if due { state.running = true }
                all[member.id] = state
                return due
            }
            guard due else { return }
            let instance = seam.shape == .fleet ? member.name : nil
            Task.detached { [self] in
                _ = await evaluate(member.store, id: member.id, instance: instance)
                members.withLock { $0[member.id]?.running = false }
                seam.publish(findings: ScrapeSeam.FindingsUpdate(id: member.id, name: member.name, report: published(member.id)))
            }
        }
        // A fleet's own signatures (version skew, outliers) over its rows, every instance's
        // (one read from Prometheus and never opened too), joined to its report.
        guard seam.shape == .fleet else { return }
        seam.observeRows { [self] row in
            for (id, name) in fleet.withLock({ $0.fold(row) }) {
                seam.publish(findings: ScrapeSeam.FindingsUpdate(id: id, name: name, report: published(id)))
            }
        }
    }

    /// What a member's listeners are shown: its latest report and the fleet's findings of it.
    public func published(_ id: Int) -> FindingsReport {
        var report = latest(id)
        report.findings += fleet.withLock { $0.findings[id] ?? [] }
        return report
    }

    /// The fixed span of scrape time changes are measured against (nil: the rolling window
    /// just before the recent one).
    public var baseline: DateInterval? { fixedBaseline.withLock { $0 } }

    /// Measures changes against `interval` of scrape time from the next evaluation on (nil:
    /// back to the rolling baseline). Findings open under the old baseline are dropped, so the
    /// next report is the new baseline's alone.
    public func setBaseline(_ interval: DateInterval?) {
        fixedBaseline.withLock { $0 = interval }
        members.withLock { all in
            for id in all.keys { all[id]?.tracker = FindingsTracker(clearAfter: options.thresholds.clearAfter) }
        }
    }

    /// Evaluates a store now, through the member's tracker (hysteresis), and returns the report.
    public func evaluate(_ store: MetricStore, id: Int, instance: String?) async -> FindingsReport {
        let (history, timeline) = await store.findingsSource()
        let open = members.withLock { $0[id]?.tracker.openKeys ?? [] }
        let raw = FindingsEvaluator.evaluate(
            history: history, timeline: timeline, windows: options.windows, thresholds: options.thresholds, open: open, instance: instance,
            baseline: baseline)
        return members.withLock { all in
            var state = all[id] ?? memberState()
            let report = state.tracker.update(raw)
            state.latest = report
            all[id] = state
            return report
        }
    }

    private func memberState() -> MemberState {
        MemberState(tracker: FindingsTracker(clearAfter: options.thresholds.clearAfter), cadence: FindingsCadence(options: options))
    }

    /// The latest report of a member (empty before its first evaluation).
    public func latest(_ id: Int) -> FindingsReport {
        members.withLock { $0[id]?.latest ?? .empty }
    }
}
