import Foundation
import TeleportCore

/// The live feed: time, service, operation, duration, status, short trace ID; newest first
/// (or slowest first), filtered by the tab's query.
public enum SpanFeedView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int) {
        var y = top
        let spans = state.spans
        let query = state.spansTab.query
        var x = screen.write(" \(Format.number(Double(spans.matching))) spans", x: 0, y: y, role: .accent)
        x = screen.write("  order: \(query.order == .time ? "newest" : "slowest")", x: x, y: y, role: .dim)
        x = screen.write(state.spansTab.follow && query.order == .time ? "  following" : "", x: x, y: y, role: .accent)
        for (label, value) in filters(state) { x = screen.write("  \(label): \(value)", x: x, y: y, role: .accent) }
        y += 1
        let w = columns(screen.width)
        screen.write("time", x: 1, y: y, role: .dim)
        screen.write("service", x: w.service, y: y, role: .dim)
        screen.write("operation", x: w.operation, y: y, role: .dim)
        screen.writeRight("duration", right: w.durationRight, y: y, role: .dim)
        screen.write("status", x: w.status, y: y, role: .dim)
        screen.write("trace", x: w.trace, y: y, role: .dim)
        y += 1
        guard !spans.feed.isEmpty else {
            let hint =
                spans.received == 0
                ? (state.replay != nil
                    ? "no spans recorded up to this moment" : "no spans yet: point an OTLP exporter at the receivers above, or use --trace-dir")
                : "no span matches the filters (Esc clears them)"
            screen.write("  " + hint, x: 0, y: y, role: .dim)
            return
        }
        let rows = spans.feed
        let lines = max(1, bottom - y)
        let selected = max(0, min(state.selection[.spans] ?? 0, rows.count - 1))
        let first = max(0, min(selected - lines / 2, rows.count - lines))
        for index in first..<min(rows.count, first + lines) {
            draw(rows[index], into: &screen, y: y, columns: w)
            if index == selected { screen.fill(row: y, role: .selection) }
            screen.mark(row: y, .spanRow(index))
            y += 1
        }
    }

    static func filters(_ state: DashboardState) -> [(String, String)] {
        let q = state.spansTab.query
        var out: [(String, String)] = []
        if let s = q.service { out.append(("service", s)) }
        if let o = q.operation { out.append(("operation", o)) }
        if q.errorsOnly { out.append(("status", "error")) }
        if !q.attributes.isEmpty { out.append(("attributes", state.spansTab.attributeText)) }
        if !q.pattern.isEmpty { out.append(("filter", "/" + q.pattern)) }
        return out
    }

    struct Columns {
        var service: Int
        var operation: Int
        var durationRight: Int
        var status: Int
        var trace: Int
        var operationWidth: Int
        var serviceWidth: Int
    }

    static func columns(_ width: Int) -> Columns {
        let serviceWidth = width >= 120 ? 18 : 12
        let service = 15
        let operation = service + serviceWidth + 1
        let trace = width - 10
        let status = trace - 7
        let durationRight = status - 2
        return Columns(
            service: service, operation: operation, durationRight: durationRight, status: status, trace: trace,
            operationWidth: max(8, durationRight - 10 - operation), serviceWidth: serviceWidth)
    }

    static func draw(_ span: SpanRecord, into screen: inout Screen, y: Int, columns w: Columns) {
        screen.write(clock(span.endNanos), x: 1, y: y, role: .dim)
        screen.write(span.service, x: w.service, y: y, role: .accent, maxWidth: w.serviceWidth)
        screen.write(span.name, x: w.operation, y: y, role: .text, maxWidth: w.operationWidth)
        screen.writeRight(Format.seconds(span.duration), right: w.durationRight, y: y)
        screen.write(span.isError ? "error" : span.status == .ok ? "ok" : "-", x: w.status, y: y, role: span.isError ? .error : .dim)
        screen.write(span.traceID.short, x: w.trace, y: y, role: .dim)
    }

    /// `HH:MM:SS.mmm` UTC of a Unix time in nanoseconds.
    static func clock(_ nanos: UInt64) -> String {
        let date = Date(timeIntervalSince1970: Double(nanos / 1_000_000) / 1000)
        let text = Format.utc(date)  // yyyy-MM-dd HH:mm:ss UTC
        let millis = (nanos / 1_000_000) % 1000
        return String(text.dropFirst(11).prefix(8)) + "." + String(repeating: "0", count: millis < 10 ? 2 : millis < 100 ? 1 : 0) + String(millis)
    }
}
