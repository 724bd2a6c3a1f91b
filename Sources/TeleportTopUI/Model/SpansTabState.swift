import TeleportCore

/// The Spans tab's own state: which view, the query sent to the span store, follow mode,
/// and the waterfall's trace, selection and folds.
public struct SpansTabState: Sendable {
    public enum View: String, Sendable, Hashable, CaseIterable {
        case feed
        case operations
    }

    public var view: View = .feed
    public var query = SpanQuery()
    /// The attribute filter as typed (`key=value, ...`).
    public var attributeText = ""
    /// The feed keeps the newest span selected while following.
    public var follow = true
    /// The trace open in the waterfall.
    public var trace: TraceID?
    /// Waterfall selection (a span of the open trace) and folded spans.
    public var waterfallRow = 0
    /// The span the waterfall was opened from (selected once the trace arrives).
    public var openedSpan: SpanID?
    public var folded: Set<SpanID> = []

    public init() {}
}
