import Foundation
import Synchronization
import TeleportCore

/// The instances of a Prometheus-read fleet switched to direct polling (`d` on the fleet
/// screen): each has its own client and poller feeding the instance's one store (the history
/// read from the engine goes on), and its row and open dashboard come from its own scrapes
/// instead of PromQL until it is switched back.
final class DirectOverrides: Sendable {
    /// One instance polled directly.
    struct Member: Sendable {
        let client: DiagClient
        let store: MetricStore
        let poller: Poller
        /// As the seam publishes it.
        let published: ScrapeSeam.Member
        let task: Task<Void, Never>
    }

    private let members = Mutex<[Int: Member]>([:])

    func contains(_ id: Int) -> Bool { members.withLock { $0[id] != nil } }
    func member(_ id: Int) -> Member? { members.withLock { $0[id] } }
    func insert(_ member: Member, as id: Int) { members.withLock { $0[id] = member } }
    func remove(_ id: Int) -> Member? { members.withLock { $0.removeValue(forKey: id) } }
    func removeAll() -> [Member] {
        members.withLock { all in
            defer { all = [:] }
            return Array(all.values)
        }
    }
    var all: [Member] { members.withLock { Array($0.values) } }

    /// Stops a member's polling and closes its connections.
    static func stop(_ member: Member) async {
        member.task.cancel()
        await member.task.value
        await member.client.shutdown()
    }
}
