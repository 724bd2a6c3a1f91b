import TeleportCore
import Tracing

extension DiagnosticsEngine {
    /// Starts a span of the engine's own work with its tracer (a child of `context`'s span
    /// when it has one), at `nanos` since the epoch (now when nil).
    public func startSpan(_ name: String, context: InstrumentationContext = .topLevel, kind: Tracing.SpanKind = .internal, at nanos: UInt64? = nil)
        -> any Tracing.Span
    {
        let instant = DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: nanos ?? DefaultTracerClock.now.nanosecondsSinceEpoch)
        return tracer.startSpan(name, context: context, ofKind: kind, at: instant)
    }
}
