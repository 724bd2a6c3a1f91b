import TeleportCore

/// Teleport's sampler: ParentBased(TraceIDRatioBased(rate / 1e6)). A span with a parent
/// follows the parent's decision (so a sampled incoming parent is honoured even at rate 0);
/// a root span is sampled when its trace ID falls under the ratio, computed as Go's
/// OpenTelemetry SDK does (the trace ID's last 8 bytes, big-endian, shifted right by one,
/// against ratio x 2^63).
public struct TraceSampler: Sendable, Hashable {
    public let ratio: Double
    let upperBound: UInt64

    public init(ratio: Double) {
        let clamped = ratio.isFinite ? min(max(ratio, 0), 1) : 0
        self.ratio = clamped
        upperBound = clamped >= 1 ? UInt64.max : UInt64(clamped * 9_223_372_036_854_775_808.0)
    }

    public init(ratePerMillion: Double) {
        self.init(ratio: ratePerMillion / 1_000_000)
    }

    /// Whether a span is sampled: the parent's decision when there is a parent, else the ratio.
    public func shouldSample(traceID: TraceID, parentSampled: Bool?) -> Bool {
        if let parentSampled { return parentSampled }
        return sampleRoot(traceID)
    }

    /// The ratio decision for a root span.
    public func sampleRoot(_ traceID: TraceID) -> Bool {
        if ratio >= 1 { return true }
        if ratio <= 0 { return false }
        return traceID.low >> 1 < upperBound
    }
}
