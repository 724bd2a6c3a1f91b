import TeleportCore

/// The trace waterfall: the span tree (folding with ←/→ or Enter), a time ruler, one bar per
/// span coloured per service, errors marked, and a detail pane for the selected span:
/// attributes, events, status message, resource (incl. `teleport.forwarded.for`).
public enum WaterfallView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int) {
        var y = top
        guard let trace = state.spans.trace, trace.traceID == state.spansTab.trace else {
            screen.write(" loading trace \(state.spansTab.trace?.description ?? "")…", x: 0, y: y, role: .dim)
            return
        }
        guard !trace.nodes.isEmpty else {
            screen.write(
                " trace \(trace.traceID): its spans are no longer held (the store keeps the newest \(Format.number(Double(state.spans.capacity))))", x: 0, y: y,
                role: .dim)
            return
        }
        let services = trace.services
        var x = screen.write(" trace \(trace.traceID)", x: 0, y: y, role: .accent)
        x = screen.write(
            " · \(trace.nodes.count) span\(trace.nodes.count == 1 ? "" : "s") · \(services.count) service\(services.count == 1 ? "" : "s") · \(Format.seconds(trace.duration))",
            x: x, y: y, role: .text)
        if trace.errorCount > 0 { screen.write(" · \(trace.errorCount) error\(trace.errorCount == 1 ? "" : "s")", x: x, y: y, role: .error) }
        y += 1
        let detailLines = max(4, min(12, (bottom - top) / 3))
        let treeBottom = bottom - detailLines - 1
        let nameWidth = max(20, min(60, screen.width * 2 / 5))
        let barX = nameWidth + 1
        let barWidth = max(10, screen.width - barX - 1)
        // Ruler: the trace's time span, four ticks.
        screen.write("span", x: 1, y: y, role: .dim)
        screen.write("│", x: nameWidth, y: y, role: .border)
        for tick in 0..<4 {
            let offset = trace.duration * Double(tick) / 4
            let column = barX + barWidth * tick / 4
            screen.write("┊" + (tick == 0 ? "0" : Format.seconds(offset)), x: column, y: y, role: .dim, maxWidth: barWidth / 4)
        }
        y += 1
        let nodes = trace.visible(folded: state.spansTab.folded)
        let selected = max(0, min(state.spansTab.waterfallRow, nodes.count - 1))
        let lines = max(1, treeBottom - y)
        let first = max(0, min(selected - lines / 2, nodes.count - lines))
        let total = max(1, trace.endNanos - trace.startNanos)
        for index in first..<min(nodes.count, first + lines) {
            let node = nodes[index]
            let span = node.span
            let marker = node.descendants == 0 ? " " : state.spansTab.folded.contains(span.spanID) ? "▸" : "▾"
            let indent = String(repeating: "  ", count: min(node.depth, 12))
            var nx = screen.write(" " + indent + marker + " ", x: 0, y: y, role: .dim, maxWidth: nameWidth - 1)
            if span.isError { nx = screen.write("✗ ", x: nx, y: y, role: .error) }
            nx = screen.write(span.service + " ", x: nx, y: y, role: .accent, maxWidth: max(0, nameWidth - 1 - nx))
            screen.write(span.name + (node.orphan ? " (parent not received)" : ""), x: nx, y: y, role: .text, maxWidth: max(0, nameWidth - 1 - nx))
            screen.write("│", x: nameWidth, y: y, role: .border)
            let startOffset = Double(span.startNanos &- trace.startNanos) / Double(total)
            let endOffset = Double(min(span.endNanos, trace.endNanos) &- trace.startNanos) / Double(total)
            let from = barX + Int(startOffset * Double(barWidth))
            let to = max(from + 1, barX + Int((endOffset * Double(barWidth)).rounded()))
            let role: StyleRole =
                span.isError ? .error : StyleRole.chart(level: 0.3 + 0.7 * Double(services.firstIndex(of: span.service) ?? 0) / Double(max(1, services.count)))
            for column in from..<min(to, barX + barWidth) { screen[column, y] = Cell("█", role: role) }
            let label = Format.seconds(span.duration)
            if to + 1 + label.count <= barX + barWidth {
                screen.write(label, x: to + 1, y: y, role: .dim)
            } else if from - label.count - 1 >= barX {
                screen.write(label, x: from - label.count - 1, y: y, role: .dim)
            }
            if index == selected { screen.fill(row: y, role: .selection, from: 0, width: nameWidth) }
            screen.mark(row: y, .waterfallRow(index))
            y += 1
        }
        screen.rule(y: treeBottom)
        let span = nodes[selected].span
        let logs = state.logs.buffer.matching(LogFilter(), limit: state.logs.buffer.count).lazy
            .compactMap { state.logs.buffer[sequence: $0] }.filter { $0.spanID == span.spanID.description }.prefix(5)
        SpanDetailView.draw(span, traceStart: trace.startNanos, into: &screen, top: treeBottom + 1, bottom: bottom, logs: Array(logs.reversed()))
    }
}

/// The selected span in full: name, service, kind, timing, status and message, IDs,
/// attributes, events (offsets from the trace start) and resource attributes.
public enum SpanDetailView {
    public static func draw(_ span: SpanRecord, traceStart: UInt64, into screen: inout Screen, top: Int, bottom: Int, logs: [LogLine] = []) {
        var lines: [(String, StyleRole)] = []
        let status = span.isError ? "error" + (span.statusMessage.isEmpty ? "" : ": \(span.statusMessage)") : span.status == .ok ? "ok" : "unset"
        lines.append(
            (
                "\(span.name)  service \(span.service)  kind \(span.kind.name)  \(Format.seconds(span.duration)) at +\(Format.seconds(Double(span.startNanos &- traceStart) / 1e9))",
                .accent
            ))
        lines.append(("status \(status)", span.isError ? .error : .text))
        lines.append(("span \(span.spanID)  parent \(span.parentSpanID?.description ?? "none")" + (span.scope.isEmpty ? "" : "  scope \(span.scope)"), .dim))
        if !span.attributes.isEmpty {
            lines.append(("attributes  " + span.attributes.map { "\($0.key)=\($0.value)" }.joined(separator: "  "), .text))
        }
        for event in span.events {
            let offset = Format.seconds(Double(event.timeNanos &- traceStart) / 1e9)
            lines.append(
                (
                    "event +\(offset) \(event.name)"
                        + (event.attributes.isEmpty ? "" : "  " + event.attributes.map { "\($0.key)=\($0.value)" }.joined(separator: "  ")), .text
                ))
        }
        let forwarded = span.resource.attributes.first { $0.key == "teleport.forwarded.for" } ?? span.attributes.first { $0.key == "teleport.forwarded.for" }
        if let forwarded { lines.append(("forwarded for \(forwarded.value)", .accent)) }
        // The span's own log lines (matched by span_id), the newest last.
        for line in logs {
            lines.append(
                (
                    "log \(line.time.map(LogsView.clock) ?? "") \(line.level ?? "") \(line.message)"
                        + (line.attributes.isEmpty ? "" : "  " + line.attributes.map { "\($0.key)=\($0.value)" }.joined(separator: " ")),
                    LogsView.role(line)
                ))
        }
        lines.append(("resource  " + span.resource.attributes.map { "\($0.key)=\($0.value)" }.joined(separator: "  "), .dim))
        var y = top
        for (text, role) in lines where y < bottom {
            screen.write(" " + text, x: 0, y: y, role: role)
            y += 1
        }
    }
}
