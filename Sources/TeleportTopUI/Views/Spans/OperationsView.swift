import TeleportDiagnostics

/// The operations table: per service and operation over the window, spans/s, error %, p50,
/// p99 and max duration, count; busiest first. Enter filters the feed to one operation.
public enum OperationsView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int) {
        var y = top
        let operations = state.spans.operations
        screen.write(" \(operations.count) operations, last \(Format.duration(state.spans.window))", x: 0, y: y, role: .accent)
        y += 1
        let right = [10, 18, 28, 38, 48, 56]
        for (i, title) in ["spans/s", "error %", "p50", "p99", "max", "count"].enumerated() { screen.writeRight(title, right: right[i], y: y, role: .dim) }
        screen.write("service", x: 59, y: y, role: .dim)
        screen.write("operation", x: 59 + 17, y: y, role: .dim)
        y += 1
        guard !operations.isEmpty else {
            screen.write("  no span ended in the window", x: 0, y: y, role: .dim)
            return
        }
        let lines = max(1, bottom - y)
        let selected = max(0, min(state.selection[.spans] ?? 0, operations.count - 1))
        let first = max(0, min(selected - lines / 2, operations.count - lines))
        for index in first..<min(operations.count, first + lines) {
            let op = operations[index]
            screen.writeRight(Format.number(op.rate), right: right[0], y: y)
            screen.writeRight(Format.number((op.errorPercent * 10).rounded() / 10), right: right[1], y: y, role: op.errors > 0 ? .error : .text)
            screen.writeRight(Format.seconds(op.p50), right: right[2], y: y)
            screen.writeRight(Format.seconds(op.p99), right: right[3], y: y)
            screen.writeRight(Format.seconds(op.max), right: right[4], y: y)
            screen.writeRight(Format.number(Double(op.count)), right: right[5], y: y)
            screen.write(op.service, x: 59, y: y, role: .accent, maxWidth: 16)
            screen.write(op.operation, x: 59 + 17, y: y, role: .text, maxWidth: max(0, screen.width - 77))
            if index == selected { screen.fill(row: y, role: .selection) }
            y += 1
        }
    }
}
