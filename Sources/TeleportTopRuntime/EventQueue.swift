import Foundation
import Synchronization
import TeleportCore
import TeleportTopUI

/// The one queue every producer sends its events into and the run loop drains, in arrival
/// order. Input is never stuck behind data: each data source's share is bounded. A newer
/// scrape or clock tick replaces a pending one (its snapshot supersedes it; the store has
/// folded every scrape), notices of arrived spans add up into one, and past `dataLimit`
/// pending data events the oldest data event is dropped and counted. Input and the answers
/// to the dashboard's own requests are never dropped.
public final class EventQueue: Sendable {
    private struct Pending {
        var events: [DashboardEvent] = []
        var dropped = 0
    }

    /// The most log lines waiting at once (they arrive as one event).
    public static let maxPendingLines = 200_000

    /// The most data events (scrapes, span notices, capture progress) waiting at once.
    public let dataLimit: Int
    private let pending = Mutex(Pending())
    /// Sees every event as it is posted, before any coalescing: the seam a recording taps.
    private let tap: (@Sendable (DashboardEvent) -> Void)?

    public init(dataLimit: Int = 64, tap: (@Sendable (DashboardEvent) -> Void)? = nil) {
        self.dataLimit = max(1, dataLimit)
        self.tap = tap
    }

    /// Adds an event.
    public func post(_ event: DashboardEvent) {
        tap?(event)
        pending.withLock { queue in
            switch event {
            case .scrape:
                if let index = queue.events.lastIndex(where: { if case .scrape = $0 { return true } else { return false } }) {
                    queue.events.remove(at: index)
                }
            case .fleetRow(let row):
                // The newest row of an instance supersedes a pending one (bounded by the fleet's size).
                if let index = queue.events.lastIndex(where: { if case .fleetRow(let pending) = $0 { return pending.id == row.id } else { return false } }) {
                    queue.events.remove(at: index)
                }
            case .logLines(let lines):
                // Pending lines add up into one event; past `maxPendingLines` the oldest give way (counted, and marked).
                if let index = queue.events.lastIndex(where: { if case .logLines = $0 { return true } else { return false } }),
                    case .logLines(let earlier) = queue.events[index]
                {
                    var merged = earlier + lines
                    if merged.count > Self.maxPendingLines {
                        let lost = merged.count - Self.maxPendingLines
                        merged.removeFirst(lost)
                        queue.dropped += lost
                        merged.insert(
                            LogLine(
                                time: Date(), level: "WARN", message: "\(lost) log lines dropped: they came faster than the screen took them",
                                component: "teleport-top"), at: 0)
                    }
                    queue.events.remove(at: index)
                    queue.events.append(.logLines(merged))
                    return
                }
            case .findings(let update):
                // An instance's newest report supersedes a pending one.
                if let index = queue.events.lastIndex(where: {
                    if case .findings(let pending) = $0 { return pending.instance == update.instance } else { return false }
                }) {
                    queue.events.remove(at: index)
                }
            case .fleetStatus:
                if let index = queue.events.lastIndex(where: { if case .fleetStatus = $0 { return true } else { return false } }) {
                    queue.events.remove(at: index)
                }
            case .tick:
                if let index = queue.events.lastIndex(where: { if case .tick = $0 { return true } else { return false } }) {
                    queue.events.remove(at: index)
                }
            case .spansArrived(let count):
                if let index = queue.events.lastIndex(where: { if case .spansArrived = $0 { return true } else { return false } }),
                    case .spansArrived(let earlier) = queue.events[index]
                {
                    queue.events.remove(at: index)
                    queue.events.append(.spansArrived(earlier + count))
                    return
                }
            default:
                break
            }
            queue.events.append(event)
            if Self.isData(event) {
                var data = queue.events.lazy.filter(Self.isData).count
                while data > dataLimit, let oldest = queue.events.firstIndex(where: Self.isData) {
                    queue.events.remove(at: oldest)
                    queue.dropped += 1
                    data -= 1
                }
            }
        }
    }

    /// Takes every pending event, oldest first.
    public func drain() -> [DashboardEvent] {
        pending.withLock { queue in
            defer { queue.events.removeAll(keepingCapacity: true) }
            return queue.events
        }
    }

    /// Data events dropped so far.
    public var dropped: Int { pending.withLock { $0.dropped } }

    /// Whether nothing is pending.
    public var isEmpty: Bool { pending.withLock { $0.events.isEmpty } }

    /// Events a producer sends on its own (bounded); the rest are input and answers.
    static func isData(_ event: DashboardEvent) -> Bool {
        switch event {
        case .scrape, .spansArrived, .tick: return true
        case .profile(.progress): return true
        default: return false
        }
    }
}
