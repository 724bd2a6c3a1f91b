import Foundation
import Synchronization
import TeleportCore

/// Targets polled directly: one client, store and poller per target, first polls spread
/// over the interval (no thundering herd), at most `concurrency` polls in flight, each
/// target failing alone with its own backoff. One target is a fleet of one (`single`): its
/// store keeps everything and every scrape is the dashboard's.
public final class DirectFleet: FleetSource {
    /// One target of the fleet.
    public struct Member: Sendable {
        public var id: Int
        public var name: String
        public var hostName: String?
        public var client: DiagClient
        public var store: MetricStore
        public var poller: Poller
        /// The debug socket's client when the socket is known and metrics come from the diag
        /// address (profiles need no `--debug` there).
        public var socketClient: DiagClient?
    }

    /// A target as the fleet is given it.
    public struct Target: Sendable {
        public var name: String
        public var target: DiagTarget
        public var options: DiagClient.Options
        public var hostName: String?
        /// The debug socket, when known.
        public var socketPath: String?

        public init(name: String, target: DiagTarget, options: DiagClient.Options, hostName: String? = nil, socketPath: String? = nil) {
            self.name = name
            self.target = target
            self.options = options
            self.hostName = hostName
            self.socketPath = socketPath
        }
    }

    public let members: [Member]
    /// Seconds the rows' changes and strips cover.
    public let window: Double
    public let seam: ScrapeSeam

    /// Each target's store keeps only the families of its row until its dashboard is opened
    /// (`retainAll`: everything, always). `shape` `.single`: one target's dashboard.
    public init(
        targets: [Target], interval: Duration, history: Duration, concurrency: Int = 16, retainAll: Bool = false,
        shape: ScrapeSeam.Shape = .fleet
    ) throws(TargetError) {
        let gate = PollGate(limit: concurrency)
        let schedule = PollSchedule(interval: interval)
        var members: [Member] = []
        for (id, target) in targets.enumerated() {
            let client = try DiagClient(target: target.target, options: target.options)
            let store = MetricStore(target: target.name, interval: schedule.interval, history: history)
            let offset = schedule.interval / max(1, targets.count) * id
            var socketClient: DiagClient?
            if let path = target.socketPath, target.target != .socket(path: path) {
                socketClient = try DiagClient(target: .socket(path: path), options: target.options)
            }
            members.append(
                Member(
                    id: id, name: target.name, hostName: target.hostName, client: client, store: store,
                    poller: Poller(client: client, store: store, schedule: schedule, gate: gate, startDelay: offset), socketClient: socketClient))
        }
        self.members = members
        window = history.seconds
        self.retainAll = retainAll || shape == .single
        seam = ScrapeSeam(shape: shape, window: history.seconds)
    }

    /// The seam's picture of a member.
    func seamMember(_ member: Member) -> ScrapeSeam.Member {
        ScrapeSeam.Member(id: member.id, name: member.name, hostName: member.hostName, store: member.store, hasSocket: socketClient(for: member.id) != nil)
    }

    private let retainAll: Bool

    /// Sets every store's retention (called once before `run`).
    func prepareStores() async {
        guard !retainAll else { return }
        for member in members { await member.store.retain(FleetRow.families) }
    }

    public var initialRows: [FleetRow] {
        members.map { member in
            var row = FleetRow(id: member.id, name: member.name, source: .direct)
            row.hostName = member.hostName
            row.hasSocket = socketClient(for: member.id) != nil
            return row
        }
    }

    public func run(onStatus: @escaping @Sendable (String?) -> Void) async {
        await prepareStores()
        await withTaskGroup(of: Void.self) { group in
            for member in members {
                let published = seamMember(member)
                group.addTask { [seam] in
                    await member.poller.runUnfolded(handing: { outcome in
                        await seam.deliver(outcome, to: published, interval: member.poller.currentSchedule.interval, row: .store(now: Date()))
                    })
                }
            }
        }
    }

    public var recordedSources: RecordedSources {
        seam.shape == .single ? RecordedSources(target: members.first?.name) : RecordedSources(instances: members.map(\.name))
    }

    /// Each scrape with its body: named by instance in a fleet, unnamed for one target.
    public func attach(_ recorder: Recorder) {
        let single = seam.shape == .single
        seam.observe { recorder.scrape($0.outcome, target: single ? "" : $0.member.name, interval: $0.interval) }
    }

    public func focus(_ id: Int?) async {
        let previous = seam.focus(id)
        // The open instance keeps everything from now on (its other families' history starts
        // now); the one closed goes back to its row's families.
        if !retainAll, let previous, previous != id, members.indices.contains(previous) {
            await members[previous].store.retain(FleetRow.families)
        }
        if !retainAll, let id, members.indices.contains(id) {
            await members[id].store.retain(nil)
            members[id].poller.retryNow()
        }
        guard let id, members.indices.contains(id) else { return }
        await seam.publish(nil, of: seamMember(members[id]), row: .none)
    }

    public func focusedID() async -> Int? { seam.focusedID }

    public func retry(_ id: Int) {
        guard members.indices.contains(id) else { return }
        members[id].poller.retryNow()
    }

    public func setInterval(_ interval: Duration) async {
        for member in members { await member.poller.setInterval(interval) }
    }

    public func socketClient(for id: Int) -> DiagClient? {
        guard members.indices.contains(id) else { return nil }
        if let socket = members[id].socketClient { return socket }
        if case .socket = members[id].client.target { return members[id].client }
        return nil
    }

    public func client(for id: Int) -> DiagClient? {
        members.indices.contains(id) ? members[id].socketClient ?? members[id].client : nil
    }

    public func store(for id: Int) async -> MetricStore? {
        members.indices.contains(id) ? members[id].store : nil
    }

    public func shutdown() async {
        for member in members {
            await member.client.shutdown()
            await member.socketClient?.shutdown()
        }
    }

    public func toggleDirect(_ id: Int) async -> String { "every instance of this fleet is polled directly" }

    /// Every target's row now (for `snapshot`).
    public func rows(now: Date = Date()) async -> [FleetRow] {
        var rows: [FleetRow] = []
        for member in members {
            rows.append(
                FleetRow(
                    id: member.id, name: member.name, snapshot: await member.store.snapshot(only: FleetRow.families),
                    now: now, window: window, hostName: member.hostName))
        }
        return rows
    }
}
