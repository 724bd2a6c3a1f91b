import Foundation
import TeleportCore

/// The Logs screen: a status line (source, lines per second by level as a sparkline,
/// filters, follow or held), the lines newest at the bottom coloured by level, markers
/// where lines were lost, and the selected line's attributes in a detail pane.
public enum LogsView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int, symbols: Symbols) {
        let logs = state.logs
        var y = top
        statusLine(state, into: &screen, y: y, symbols: symbols)
        y += 1
        guard logs.hasSocket || !logs.buffer.isEmpty else {
            let lines = [
                "This target is named by its diag address only: the log stream is served on Teleport's debug socket.",
                "Name the socket too: --debug-socket <data_dir>/debug.sock, -c teleport.yaml, or debug_socket in the --targets entry.",
                "(Older Teleport without /log-stream: --tail-log PATH reads its log file instead.)",
            ]
            for line in lines where y < bottom {
                screen.write("  " + line, x: 0, y: y, role: .dim)
                y += 1
            }
            return
        }
        if case .unsupported = logs.status, logs.buffer.isEmpty {
            screen.write(
                "  This Teleport has no /log-stream (it answered 404: an older version). --tail-log PATH reads its log file instead.", x: 0, y: y, role: .dim)
            return
        }
        let detailHeight = logs.detail ? max(4, min(12, (bottom - y) / 3)) : 0
        let listBottom = bottom - (detailHeight > 0 ? detailHeight + 1 : 0)
        let rows = max(0, listBottom - y)
        // Newest at the bottom: the visible lines end at the selected line (or the newest).
        let shown = logs.buffer.matching(logs.filter, upTo: logs.selected, limit: rows).reversed()
        let selected = logs.selected ?? shown.last
        var row = listBottom - shown.count
        if shown.isEmpty {
            screen.write(logs.buffer.isEmpty ? "  waiting for log lines…" : "  no line matches the filters", x: 0, y: y, role: .dim)
        }
        for sequence in shown {
            guard let line = logs.buffer[sequence: sequence] else { continue }
            draw(line, into: &screen, y: row, width: screen.width)
            if sequence == selected && !logs.following { screen.fill(row: row, role: .selection) }
            row += 1
        }
        if detailHeight > 0, let sequence = selected, let line = logs.buffer[sequence: sequence] {
            screen.rule(y: listBottom)
            detail(line, into: &screen, top: listBottom + 1, bottom: bottom)
        }
    }

    static func statusLine(_ state: DashboardState, into screen: inout Screen, y: Int, symbols: Symbols) {
        let logs = state.logs
        var x = 1
        switch logs.status {
        case .streaming(let source)?: x = screen.write("stream \(source)", x: x, y: y, role: .accent)
        case .retrying(let reason, let retry)?: x = screen.write("\(reason) · retry in \(Int(retry.rounded(.up)))s", x: x, y: y, role: .error)
        case .unsupported?: x = screen.write("no /log-stream on this target (404)", x: x, y: y, role: .error)
        case .noSocket?: x = screen.write("no debug socket", x: x, y: y, role: .dim)
        case .failed(let why)?: x = screen.write(why, x: x, y: y, role: .error)
        case nil: x = screen.write(logs.opened ? "connecting…" : "not open", x: x, y: y, role: .dim)
        }
        x = screen.write("  \(logs.buffer.count) lines", x: x, y: y, role: .dim)
        if logs.buffer.evicted > 0 { x = screen.write(" (\(logs.buffer.evicted) older dropped)", x: x, y: y, role: .dim) }
        if logs.buffer.rawLines > 0 { x = screen.write(" · \(logs.buffer.rawLines) not JSON", x: x, y: y, role: .dim) }
        x = screen.write("  ≥\(LogLine.levels[logs.filter.minimumRank])", x: x, y: y, role: .accent)
        if !logs.componentText.isEmpty { x = screen.write("  component \(logs.componentText)", x: x, y: y, role: .accent) }
        if !logs.patternText.isEmpty {
            x = screen.write("  /\(logs.patternText)", x: x, y: y, role: logs.filter.isValid ? .accent : .error)
        }
        x = screen.write(logs.following ? "  following" : "  held (F follows)", x: x, y: y, role: logs.following ? .dim : .selection)
        // Lines per second over the last minute: errors and warnings drawn over the rest.
        let width = min(30, screen.width - x - 16)
        if width >= 10, !logs.buffer.perSecond.isEmpty {
            let total = logs.buffer.perSecond.map { Float($0.reduce(0, +)) }
            let label = "lines/s "
            let start = screen.width - width - label.count - 1
            screen.write(label, x: start, y: y, role: .dim)
            Sparkline.draw(total, into: &screen, x: start + label.count, y: y, width: width, symbols: symbols)
            let bad = logs.buffer.perSecond.suffix(width)
            for (i, counts) in bad.enumerated() where counts[3] + counts[4] > 0 {
                let cellX = start + label.count + (width - bad.count) + i
                var cell = screen[cellX, y]
                cell.role = counts[4] > 0 ? .error : .stateRecovering
                screen[cellX, y] = cell
            }
        }
    }

    /// `12:04:05.123 WARN  auth     message  key=value ...`
    static func draw(_ line: LogLine, into screen: inout Screen, y: Int, width: Int) {
        var x = 1
        if line.isRaw {
            // A cut line is told at its start: its end is off the screen.
            x = screen.write(line.truncated ? "raw, cut at 1 MiB: " : "raw  ", x: x, y: y, role: line.truncated ? .error : .dim)
            screen.write(line.message, x: x, y: y, role: .text)
            return
        }
        let time = line.time.map { Self.clock($0) } ?? "            "
        x = screen.write(time + " ", x: x, y: y, role: .dim)
        let level = (line.level ?? "INFO").padding(toLength: 5, withPad: " ", startingAt: 0)
        x = screen.write(level + " ", x: x, y: y, role: role(line))
        if let component = line.component {
            x = screen.write(String(component.prefix(14)).padding(toLength: 14, withPad: " ", startingAt: 0) + " ", x: x, y: y, role: .accent)
        }
        if line.message.hasPrefix("log stream reconnected") || line.message.contains("log lines dropped") {
            screen.write("── \(line.message) ──", x: x, y: y, role: .error)
            return
        }
        x = screen.write(line.message, x: x, y: y, role: role(line) == .dim ? .dim : .text)
        var rest = line.attributes.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        if line.traceID != nil { rest = "⧉ " + rest }
        if line.truncated { rest += " [cut at 1 MiB]" }
        if !rest.isEmpty, x + 2 < width { screen.write("  " + rest, x: x, y: y, role: .dim) }
    }

    static func role(_ line: LogLine) -> StyleRole {
        switch line.rank {
        case 4: return .error
        case 3: return .stateRecovering
        case 2: return .text
        default: return .dim
        }
    }

    static func detail(_ line: LogLine, into screen: inout Screen, top: Int, bottom: Int) {
        var fields: [(String, String)] = []
        if let time = line.time { fields.append(("timestamp", LogLine.rfc3339(time))) }
        fields.append(("level", line.level ?? "raw"))
        fields.append(("message", line.message))
        if let component = line.component { fields.append(("component", component)) }
        if let caller = line.caller { fields.append(("caller", caller)) }
        if let trace = line.traceID { fields.append(("trace_id", trace + "  (t opens the trace)")) }
        if let span = line.spanID { fields.append(("span_id", span)) }
        fields += line.attributes.map { ($0.key, $0.value) }
        if line.truncated { fields.append(("note", "the line was longer than 1 MiB and was cut")) }
        var y = top
        for (key, value) in fields where y < bottom {
            let x = screen.write(" " + key.padding(toLength: 12, withPad: " ", startingAt: 0), x: 0, y: y, role: .dim)
            screen.write(value, x: x + 1, y: y, role: .text)
            y += 1
        }
    }

    static func clock(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var time = time_t(floor(seconds))
        var parts = tm()
        gmtime_r(&time, &parts)
        let millis = Int((seconds - floor(seconds)) * 1000)
        return String(format: "%02d:%02d:%02d.%03d", Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }
}

/// The log level picker, the DEBUG/TRACE confirmation and the restore question, drawn
/// over whatever screen is on.
public enum QuestionView {
    public static func draw(_ state: DashboardState, into screen: inout Screen) {
        let logs = state.logs
        var lines: [(String, StyleRole)] = []
        if logs.askRestore {
            lines = [
                ("teleport-top changed the log level from \(logs.changedFrom ?? "?") to \(logs.level ?? "?").", .text),
                ("Restore \(logs.changedFrom ?? "?") before quitting?  y yes · n no · Esc stay", .accent),
            ]
        } else if let level = logs.confirm {
            lines = [
                ("This process runs the auth service: \(level) there is the busiest logger.", .text),
                ("Set \(level) anyway?  y yes · n no", .accent),
            ]
        } else if let index = logs.picker {
            lines.append(("Log level (now \(logs.level ?? "unknown")): ↑/↓ Enter, Esc cancels", .accent))
            for (i, level) in LogLine.levels.enumerated() {
                lines.append(((i == index ? "▸ " : "  ") + level, i == index ? .selection : .text))
            }
        } else {
            return
        }
        let width = min(screen.width - 4, max(40, (lines.map { $0.0.count }.max() ?? 0) + 4))
        let x = (screen.width - width) / 2
        let top = max(3, (screen.height - lines.count - 2) / 2)
        for row in 0..<(lines.count + 2) { screen.put(String(repeating: " ", count: width), x: x, y: top + row, role: .border) }
        for (i, (text, role)) in lines.enumerated() {
            screen.put(text, x: x + 2, y: top + 1 + i, role: role, maxWidth: width - 4)
        }
    }
}
