import Foundation
import Synchronization
import TeleportCore
import TeleportTopData
import TeleportTopUI

/// Carries the findings engine's reports to the dashboard's event stream, each with the
/// traces of its findings (their series slot by slot, read from the instance's store) for the
/// Findings screen's sparklines. Reports waiting are kept per instance, the newest of each,
/// in the order they first came: a fleet's hundreds at once lose none.
public final class FindingsRelay: Sendable {
    private struct Pending: Sendable {
        var order: [Int] = []
        var reports: [Int: FindingsReport] = [:]
    }

    /// The reports waiting, shared with the worker.
    private final class Waiting: Sendable {
        let pending = Mutex(Pending())
    }

    private let waiting = Waiting()
    private let wake: AsyncStream<Void>.Continuation
    private let worker: Task<Void, Never>

    /// `store` gives an instance's store (nil: no traces).
    public init(queue: EventQueue, windows: FindingsWindows, store: @escaping @Sendable (Int) async -> MetricStore?) {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        wake = continuation
        let waiting = self.waiting
        worker = Task {
            for await _ in stream {
                while let (id, report) = waiting.pending.withLock({ p -> (Int, FindingsReport)? in
                    guard !p.order.isEmpty else { return nil }
                    let id = p.order.removeFirst()
                    return p.reports.removeValue(forKey: id).map { (id, $0) }
                }) {
                    var traces: [String: FindingTrace] = [:]
                    if !report.findings.isEmpty, let store = await store(id) {
                        let (history, _) = await store.findingsSource()
                        traces = FindingTraces.traces(for: report.findings, history: history, windows: windows)
                    }
                    queue.post(.findings(FindingsEvent(instance: id, report: report, traces: traces)))
                }
            }
        }
    }

    /// Hands a report over (replacing one of the same instance still waiting).
    public func send(_ id: Int, _ report: FindingsReport) {
        waiting.pending.withLock { p in
            if p.reports.updateValue(report, forKey: id) == nil { p.order.append(id) }
        }
        wake.yield()
    }

    /// Stops relaying.
    public func stop() {
        wake.finish()
        worker.cancel()
    }
}
