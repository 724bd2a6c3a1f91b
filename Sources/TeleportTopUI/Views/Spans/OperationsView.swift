import TeleportCore

/// The operations table: per service and operation over the window, spans/s, error %, p50,
/// p99 and max duration, count; busiest first. Enter filters the feed to one operation.
public enum OperationsView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int) {
        var y = top
        let operations = state.spans.operations
        screen.write(" \(operations.count) operations, last \(Format.duration(state.spans.window))", x: 0, y: y, role: .accent)
        y += 1
        // Numbers on the right, names take what is left.
        let numbers = ["spans/s", "error %", "p50", "p99", "max", "count"]
        let right = numbers.indices.map { screen.width - 1 - 9 * (numbers.count - 1 - $0) }
        let namesWidth = max(16, right[0] - 10)
        let serviceWidth = min(18, namesWidth / 3)
        let operationX = 2 + serviceWidth + 1
        for (i, title) in numbers.enumerated() { screen.writeRight(title, right: right[i], y: y, role: .dim) }
        screen.write("service", x: 2, y: y, role: .dim)
        screen.write("operation", x: operationX, y: y, role: .dim)
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
            screen.write(op.service, x: 2, y: y, role: .accent, maxWidth: serviceWidth)
            screen.write(op.operation, x: operationX, y: y, role: .text, maxWidth: max(4, right[0] - 8 - operationX))
            screen.writeRight(Format.number((op.rate * 100).rounded() / 100), right: right[0], y: y)
            screen.writeRight(Format.number((op.errorPercent * 10).rounded() / 10), right: right[1], y: y, role: op.errors > 0 ? .error : .text)
            screen.writeRight(Format.seconds(op.p50), right: right[2], y: y)
            screen.writeRight(Format.seconds(op.p99), right: right[3], y: y)
            screen.writeRight(Format.seconds(op.max), right: right[4], y: y)
            screen.writeRight(Format.number(Double(op.count)), right: right[5], y: y)
            if index == selected { screen.fill(row: y, role: .selection) }
            screen.mark(row: y, .spanRow(index))
            y += 1
        }
    }
}
