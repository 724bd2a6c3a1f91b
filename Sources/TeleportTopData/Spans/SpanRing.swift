import TeleportCore

/// The span store's memory: the newest `capacity` spans in arrival order (the oldest are
/// evicted), with an index from trace ID to the positions of its spans. A value type, all
/// computation; the `SpanStore` actor wraps it.
public struct SpanRing: Sendable {
    public let capacity: Int
    private(set) var spans: [SpanRecord] = []
    /// The next slot to write once full.
    private var head = 0
    /// Spans ever stored (arrival sequence numbers run from 0).
    public private(set) var received = 0
    private var byTrace: [TraceID: [Int]] = [:]

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        spans.reserveCapacity(min(self.capacity, 1 << 16))
    }

    /// Spans held now.
    public var count: Int { spans.count }
    /// Spans evicted to stay within the capacity.
    public var evicted: Int { received - spans.count }

    public mutating func append(_ span: SpanRecord) {
        let sequence = received
        received += 1
        if spans.count < capacity {
            spans.append(span)
        } else {
            let old = spans[head]
            if var positions = byTrace[old.traceID] {
                positions.removeAll { $0 == sequence - capacity }
                byTrace[old.traceID] = positions.isEmpty ? nil : positions
            }
            spans[head] = span
            head = (head + 1) % capacity
        }
        byTrace[span.traceID, default: []].append(sequence)
    }

    public mutating func append<S: Sequence>(contentsOf spans: S) where S.Element == SpanRecord {
        for span in spans { append(span) }
    }

    /// The span with an arrival sequence number, if still held.
    public func span(sequence: Int) -> SpanRecord? {
        guard sequence >= received - spans.count, sequence < received else { return nil }
        return spans.count < capacity ? spans[sequence] : spans[sequence % capacity]
    }

    /// Spans from newest to oldest.
    public func newestFirst() -> some Sequence<SpanRecord> {
        let n = received
        let held = spans.count
        return (0..<held).lazy.compactMap { self.span(sequence: n - 1 - $0) }
    }

    /// Every held span of a trace, in arrival order.
    public func trace(_ id: TraceID) -> [SpanRecord] {
        (byTrace[id] ?? []).compactMap { span(sequence: $0) }
    }

    /// Traces held now.
    public var traceCount: Int { byTrace.count }
}
