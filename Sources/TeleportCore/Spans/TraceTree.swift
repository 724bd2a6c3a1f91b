/// One trace assembled from its spans: a forest by parent links (a span whose parent is not
/// held is a root), children ordered by start time, flattened depth-first for the waterfall.
public struct TraceTree: Sendable, Hashable {
    /// One line of the waterfall.
    public struct Node: Sendable, Hashable {
        public var span: SpanRecord
        public var depth: Int
        /// Spans under this one (all levels).
        public var descendants: Int
        /// The parent is named but not held (not received yet, dropped, or sampled out).
        public var orphan: Bool
    }

    public let traceID: TraceID
    /// Depth-first, roots by start time, children by start time.
    public let nodes: [Node]
    public let startNanos: UInt64
    public let endNanos: UInt64

    public init(traceID: TraceID, spans: [SpanRecord]) {
        self.traceID = traceID
        // Duplicates (the same span received twice) count once.
        var seen = Set<SpanID>()
        let unique = spans.filter { seen.insert($0.spanID).inserted }
        let ids = Set(unique.map(\.spanID))
        var children: [SpanID: [SpanRecord]] = [:]
        var roots: [SpanRecord] = []
        for span in unique {
            if let parent = span.parentSpanID, ids.contains(parent), parent != span.spanID {
                children[parent, default: []].append(span)
            } else {
                roots.append(span)
            }
        }
        let byStart: (SpanRecord, SpanRecord) -> Bool = { ($0.startNanos, $0.spanID.value) < ($1.startNanos, $1.spanID.value) }
        var nodes: [Node] = []
        var visited = Set<SpanID>()
        func visit(_ span: SpanRecord, depth: Int) -> Int {
            guard visited.insert(span.spanID).inserted else { return 0 }
            let index = nodes.count
            nodes.append(Node(span: span, depth: depth, descendants: 0, orphan: span.parentSpanID.map { !ids.contains($0) } ?? false))
            var total = 0
            for child in (children[span.spanID] ?? []).sorted(by: byStart) { total += 1 + visit(child, depth: depth + 1) }
            nodes[index].descendants = total
            return total
        }
        for root in roots.sorted(by: byStart) { _ = visit(root, depth: 0) }
        // A parent cycle leaves spans unvisited: show them as roots rather than lose them.
        for span in unique.sorted(by: byStart) where !visited.contains(span.spanID) { _ = visit(span, depth: 0) }
        self.nodes = nodes
        startNanos = unique.map(\.startNanos).min() ?? 0
        endNanos = unique.map(\.endNanos).max() ?? 0
    }

    /// The nodes shown when the spans in `folded` hide their descendants.
    public func visible(folded: Set<SpanID>) -> [Node] {
        var shown: [Node] = []
        var index = 0
        while index < nodes.count {
            let node = nodes[index]
            shown.append(node)
            index += folded.contains(node.span.spanID) ? node.descendants + 1 : 1
        }
        return shown
    }

    public var duration: Double { endNanos > startNanos ? Double(endNanos - startNanos) / 1e9 : 0 }
    public var services: [String] { Array(Set(nodes.map(\.span.service))).sorted() }
    public var errorCount: Int { nodes.filter(\.span.isError).count }
}
