/// What a top-N report shows; the defaults are `go tool pprof -top`'s.
public struct TopOptions: Sendable, Hashable {
    /// Nodes per function (pprof's default), or per source line (`-lines`).
    public enum Granularity: String, Sendable, Hashable, CaseIterable {
        case functions
        case lines
    }

    /// Order of the rows: by flat value (default) or by cumulative value (`-cum`).
    public enum Order: String, Sendable, Hashable, CaseIterable {
        case flat
        case cum
    }

    /// `-sample_index`: a type name (`alloc_space`), a number, or nil for the default.
    public var sampleIndex: String?
    /// `-nodecount`: at most this many rows; 0 shows every node (what `-top` does).
    public var nodeCount: Int
    public var granularity: Granularity
    public var order: Order
    /// `-focus`: keep only samples with a frame whose function, file or mapping matches.
    public var focus: String?
    /// `-nodefraction`: nodes whose cum is below this share of the total are dropped.
    public var nodeFraction: Double
    /// `-edgefraction`: call edges below this share do not count (they decide `(inline)`).
    public var edgeFraction: Double

    public init(
        sampleIndex: String? = nil, nodeCount: Int = 0, granularity: Granularity = .functions, order: Order = .flat,
        focus: String? = nil, nodeFraction: Double = 0.005, edgeFraction: Double = 0.001
    ) {
        self.sampleIndex = sampleIndex
        self.nodeCount = nodeCount
        self.granularity = granularity
        self.order = order
        self.focus = focus
        self.nodeFraction = nodeFraction
        self.edgeFraction = edgeFraction
    }
}
