import Foundation
import TeleportCore

/// `P`: a function's callers (above it) and callees (below it) with their shares of its cum,
/// the lines `go tool pprof -peek` prints.
public enum PeekView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int) {
        guard let viewer = state.profiles.viewer, let peek = viewer.peek else { return }
        var y = top
        let x = screen.write(" callers and callees of ", x: 0, y: y, role: .dim)
        screen.write(peek.function, x: x, y: y, role: .accent)
        y += 1
        guard y < bottom else { return }
        if let error = peek.error {
            screen.write("  " + error, x: 0, y: y, role: .error)
            return
        }
        guard let report = peek.report else {
            screen.write("  decoding…", x: 0, y: y, role: .dim)
            return
        }
        screen.write(
            screen.width >= 110
                ? "      flat  flat%   sum%        cum   cum%   calls calls% + context" : "  calls (cum) calls% + callers, the function, callees",
            x: 0, y: y, role: .dim)
        y += 1
        // pprof's lines when they fit; on a narrow screen the callers' and callees' 50-column
        // indent shrinks to 12 so the names stay readable.
        let lines =
            screen.width >= 110
            ? report.body().map { line in (line.text, line.kind == .rule ? StyleRole.border : line.kind == .entry ? .accent : .text) }
            : compact(report)
        for (text, role) in lines.dropFirst(min(peek.scroll, max(0, lines.count - 1))) where y < bottom {
            screen.write(text, x: 0, y: y, role: role)
            y += 1
        }
    }

    static func compact(_ report: PeekReport) -> [(String, StyleRole)] {
        func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        func edge(_ edge: PeekReport.Edge) -> (String, StyleRole) {
            (pad(edge.weightText, 12) + " " + edge.percent + " |   " + edge.name + (edge.inline ? " (inline)" : ""), .text)
        }
        var lines: [(String, StyleRole)] = []
        for entry in report.entries {
            lines.append((String(repeating: "-", count: 20) + "+" + String(repeating: "-", count: 13), .border))
            lines += entry.callers.map(edge)
            lines.append(
                (
                    pad(entry.cumText, 12) + " " + entry.cumPercent + " | " + entry.name
                        + "  (flat \(entry.flatText) \(entry.flatPercent.trimmingCharacters(in: .whitespaces)))", .accent
                ))
            lines += entry.callees.map(edge)
        }
        return lines
    }
}
