import Foundation
import TeleportCore

/// The bounded span store (default 20,000 spans): receivers and the trace-directory tail add
/// spans; the dashboard asks for snapshots, each request carrying its query. Every change is
/// told to `onChange` (with the number of spans added), so nobody polls it. An actor; no I/O.
public actor SpanStore {
    private var ring: SpanRing
    private var rejected = 0
    private var sources: [String] = []
    private var warnings: [String] = []
    private var services = Set<String>()
    /// The operation table's window, seconds.
    public var window: Double = 60
    private var onChange: (@Sendable (Int) -> Void)?
    /// Sees every batch added (a recording taps here).
    private var onAdd: (@Sendable ([SpanRecord]) -> Void)?

    public init(capacity: Int = 20_000, onChange: (@Sendable (Int) -> Void)? = nil) {
        ring = SpanRing(capacity: capacity)
        self.onChange = onChange
    }

    /// Sets who is told of changes.
    public func setOnChange(_ onChange: (@Sendable (Int) -> Void)?) {
        self.onChange = onChange
    }

    /// Sets who sees every batch added.
    public func setOnAdd(_ onAdd: (@Sendable ([SpanRecord]) -> Void)?) {
        self.onAdd = onAdd
    }

    /// Forgets every span (a replay seeking back starts again).
    public func removeAll() {
        ring = SpanRing(capacity: ring.capacity)
        services = []
        onChange?(0)
    }

    public func add(_ spans: [SpanRecord]) {
        onAdd?(spans)
        ring.append(contentsOf: spans)
        for span in spans { services.insert(span.service) }
        onChange?(spans.count)
    }

    /// Counts spans a receiver refused.
    public func reject(_ count: Int) {
        rejected += count
        onChange?(0)
    }

    public func addSource(_ source: String) {
        sources.append(source)
        onChange?(0)
    }

    public func warn(_ warning: String) {
        warnings.append(warning)
        onChange?(0)
    }

    public var received: Int { ring.received }

    /// The picture for `query` at `now`, with `trace` assembled when given.
    public func snapshot(query: SpanQuery = SpanQuery(), trace openTrace: TraceID? = nil, now: Date = Date()) -> SpanSnapshot {
        let matches = query.matcher()
        var matching: [SpanRecord] = []
        var count = 0
        for span in ring.newestFirst() where matches(span) {
            count += 1
            if query.order == .time {
                if matching.count < query.limit { matching.append(span) }
            } else {
                matching.append(span)
            }
        }
        if query.order == .duration {
            matching = Array(matching.sorted { $0.duration > $1.duration }.prefix(query.limit))
        }
        let nowNanos = UInt64(max(0, now.timeIntervalSince1970 * 1e9))
        return SpanSnapshot(
            feed: matching, matching: count, operations: OperationStats.compute(ring.newestFirst(), now: nowNanos, window: window), window: window,
            trace: openTrace.map { TraceTree(traceID: $0, spans: ring.trace($0)) },
            held: ring.count, capacity: ring.capacity, received: ring.received, evicted: ring.evicted, rejected: rejected,
            sources: sources, warnings: warnings, services: services.sorted())
    }

    /// Every held span of a trace.
    public func trace(_ id: TraceID) -> [SpanRecord] { ring.trace(id) }

    /// Every span held, oldest first (what a diagnostics bundle writes).
    public func held() -> [SpanRecord] { ring.newestFirst().reversed() }
}

extension SpanStore: SpanSink {
    public func export(_ spans: [SpanRecord]) async throws { add(spans) }
}
