/// What the Spans tab shows at one moment: an immutable value built by the span store for
/// the tab's query.
public struct SpanSnapshot: Sendable {
    /// The feed's rows (after the query's filters and order, at most its limit).
    public var feed: [SpanRecord]
    /// Spans matching the query among those held (the feed may show fewer).
    public var matching: Int
    public var operations: [OperationStats]
    /// The window of `operations`, in seconds.
    public var window: Double
    /// The trace opened in the waterfall, if any.
    public var trace: TraceTree?
    public var held: Int
    public var capacity: Int
    public var received: Int
    public var evicted: Int
    /// Spans refused by receivers (malformed IDs and the like), in total.
    public var rejected: Int
    /// Where spans come from: receiver addresses, trace directories, "embedded engine".
    public var sources: [String]
    /// Problems worth a line in the header (a busy port, an unreadable directory).
    public var warnings: [String]
    public var services: [String]

    public init(
        feed: [SpanRecord] = [], matching: Int = 0, operations: [OperationStats] = [], window: Double = 60, trace: TraceTree? = nil,
        held: Int = 0, capacity: Int = 0, received: Int = 0, evicted: Int = 0, rejected: Int = 0, sources: [String] = [], warnings: [String] = [],
        services: [String] = []
    ) {
        self.feed = feed
        self.matching = matching
        self.operations = operations
        self.window = window
        self.trace = trace
        self.held = held
        self.capacity = capacity
        self.received = received
        self.evicted = evicted
        self.rejected = rejected
        self.sources = sources
        self.warnings = warnings
        self.services = services
    }

    public static let empty = SpanSnapshot()
}
