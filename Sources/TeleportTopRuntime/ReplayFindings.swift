import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopUI

/// A replay's findings: at every move of the cursor, each instance's store (the history up
/// to the cursor) is evaluated as the live engine would have (the findings it held open just
/// before, from the index, keep their lower thresholds); and, read once in the background
/// from the recording, the moments a finding opened (what `)` and `(` jump to).
public actor ReplayFindings {
    /// An instance of the replay: its id, its name in a fleet (nil: the one target), the
    /// store the driver folds the cursor's history into.
    public struct Member: Sendable {
        public var id: Int
        public var instance: String?
        public var store: MetricStore

        public init(id: Int, instance: String?, store: MetricStore) {
            self.id = id
            self.instance = instance
            self.store = store
        }
    }

    let members: [Member]
    let options: FindingsEngine.Options
    let relay: FindingsRelay
    private var pending: Date?
    private var running = false
    private var cursor: Date?
    /// The fixed baseline asked for with `b` (nil: rolling); the index keeps the rolling one.
    private var baseline: DateInterval?
    /// Each instance's evaluations over the recording (time, findings open after it), in order.
    private var evaluations: [Int: [(time: Date, open: Set<String>)]] = [:]
    private var moments: [Date] = []
    private var indexed = false
    private var progress = 0.0
    private var indexTask: Task<Void, Never>?

    public init(members: [Member], options: FindingsEngine.Options, queue: EventQueue) {
        self.members = members
        self.options = options
        let stores = Dictionary(members.map { ($0.id, $0.store) }, uniquingKeysWith: { a, _ in a })
        relay = FindingsRelay(queue: queue, windows: options.windows) { stores[$0] }
    }

    /// The cursor moved: the findings there (evaluations run one at a time; the newest cursor wins).
    public func moved(to cursor: Date) {
        self.cursor = cursor
        pending = cursor
        guard !running else { return }
        running = true
        Task { await self.drain() }
    }

    private func drain() async {
        while let cursor = pending {
            pending = nil
            for member in members {
                let (history, timeline) = await member.store.findingsSource()
                let open = evaluations[member.id]?.last { $0.time < cursor.addingTimeInterval(-0.0005) }?.open ?? []
                let options = self.options
                let instance = member.instance
                let baseline = self.baseline
                let report = await Task.detached {
                    FindingsEvaluator.evaluate(
                        history: history, timeline: timeline, windows: options.windows, thresholds: options.thresholds, open: open, instance: instance,
                        baseline: baseline)
                }.value
                relay.send(member.id, report)
            }
        }
        running = false
    }

    /// Measures the findings at the cursor against `interval` of scrape time (nil: rolling),
    /// and evaluates the cursor again.
    public func setBaseline(_ interval: DateInterval?) {
        baseline = interval
        if let cursor { moved(to: cursor) }
    }

    /// Reads the recording at `path` from the start (its own reader) and notes when findings opened.
    public func index(path: String, interval: Duration, history: Duration, instances: [String]) {
        indexTask = Task.detached(priority: .utility) { [options, members] in
            guard let base = try? RecordingPlayback(path: path) else { return }
            let playbacks = instances.isEmpty ? [base] : instances.map { RecordingPlayback(reader: base.reader, target: $0) }
            let total = max(1, playbacks.reduce(0) { $0 + $1.scrapes.count })
            var done = 0
            var opened: [Date] = []
            for (index, playback) in playbacks.enumerated() where index < members.count {
                let member = members[index]
                let store = MetricStore(target: member.instance ?? "index", interval: interval, history: history)
                var tracker = FindingsTracker(clearAfter: options.thresholds.clearAfter)
                var before = Set<String>()
                var evaluations: [(time: Date, open: Set<String>)] = []
                var cadence = FindingsCadence(options: options)
                for position in playback.scrapes.indices {
                    if Task.isCancelled { return }
                    guard let outcome = try? await playback.fold(position..<(position + 1), into: store) else { continue }
                    done += 1
                    // As the live engine (FindingsCadence).
                    let answered = if case .success = outcome { true } else { false }
                    guard cadence.observe(answered: answered, interval: await store.interval) else { continue }
                    let (history, timeline) = await store.findingsSource()
                    let raw = FindingsEvaluator.evaluate(
                        history: history, timeline: timeline, windows: options.windows, thresholds: options.thresholds, open: tracker.openKeys,
                        instance: member.instance)
                    let report = tracker.update(raw)
                    let keys = Set(report.findings.map(\.key))
                    if let time = report.time {
                        if !keys.subtracting(before).isEmpty { opened.append(time) }
                        evaluations.append((time, tracker.openKeys))
                    }
                    before = keys
                    if done % 20 == 0 { await self.note(progress: Double(done) / Double(total)) }
                }
                await self.note(member: member.id, evaluations: evaluations)
            }
            await self.finish(Array(Set(opened)).sorted())
        }
    }

    private func note(progress: Double) { self.progress = progress }
    private func note(member: Int, evaluations: [(time: Date, open: Set<String>)]) { self.evaluations[member] = evaluations }
    private func finish(_ moments: [Date]) {
        self.moments = moments
        indexed = true
    }

    /// The moments a finding opened, and why the list may be short (still reading).
    public func openings() -> (moments: [Date], note: String?) {
        indexed ? (moments, nil) : ([], "still reading the recording for findings: \(Int(progress * 100))%")
    }

    public func stop() {
        indexTask?.cancel()
        relay.stop()
    }
}
