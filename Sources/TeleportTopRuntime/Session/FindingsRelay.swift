import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopUI

/// Carries the findings engine's reports to the dashboard's event stream, in order, each
/// with the traces of its findings (their series slot by slot, read from the instance's
/// store) for the Findings screen's sparklines.
public final class FindingsRelay: Sendable {
    private let input: AsyncStream<(Int, FindingsReport)>.Continuation
    private let worker: Task<Void, Never>

    /// `store` gives an instance's store (nil: no traces).
    public init(queue: EventQueue, windows: FindingsWindows, store: @escaping @Sendable (Int) async -> MetricStore?) {
        let (stream, continuation) = AsyncStream<(Int, FindingsReport)>.makeStream(bufferingPolicy: .bufferingNewest(64))
        input = continuation
        worker = Task {
            for await (id, report) in stream {
                var traces: [String: FindingTrace] = [:]
                if !report.findings.isEmpty, let store = await store(id) {
                    let (history, _) = await store.findingsSource()
                    traces = FindingTraces.traces(for: report.findings, history: history, windows: windows)
                }
                queue.post(.findings(FindingsEvent(instance: id, report: report, traces: traces)))
            }
        }
    }

    /// Hands a report over.
    public func send(_ id: Int, _ report: FindingsReport) {
        input.yield((id, report))
    }

    /// Stops relaying.
    public func stop() {
        input.finish()
        worker.cancel()
    }
}
