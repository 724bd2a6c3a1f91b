import Foundation

/// The bounded span store (default 20,000 spans): receivers and the trace-directory tail add
/// spans; the dashboard asks for snapshots for its query. An actor; no I/O.
public actor SpanStore {
    private var ring: SpanRing
    private var rejected = 0
    private var sources: [String] = []
    private var warnings: [String] = []
    private var query = SpanQuery()
    private var openTrace: TraceID?
    private var services = Set<String>()
    /// The operation table's window, seconds.
    public var window: Double = 60
    private var changes = 0

    public init(capacity: Int = 20_000) {
        ring = SpanRing(capacity: capacity)
    }

    public func add(_ spans: [SpanRecord]) {
        ring.append(contentsOf: spans)
        for span in spans { services.insert(span.service) }
        changes += 1
    }

    /// Counts spans a receiver refused.
    public func reject(_ count: Int) {
        rejected += count
        changes += 1
    }

    public func addSource(_ source: String) {
        sources.append(source)
        changes += 1
    }

    public func warn(_ warning: String) {
        warnings.append(warning)
        changes += 1
    }

    public func setQuery(_ query: SpanQuery) { self.query = query }
    public func open(trace: TraceID?) { openTrace = trace }

    /// A number that changes whenever spans, sources or warnings arrive (to skip rebuilding
    /// unchanged snapshots).
    public var generation: Int { changes }
    public var received: Int { ring.received }

    /// The snapshot for the current query at `now`.
    public func snapshot(now: Date = Date()) -> SpanSnapshot {
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
}
