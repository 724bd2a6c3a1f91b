import Foundation
import TeleportCore

/// The fleet screen: a header with the source, a summary line (instances by state, roles,
/// versions), the fleet tab, then one row per instance, worst first, with a state strip
/// where the width allows. At 80 columns the last figures give way (heartbeats, gRPC
/// err %, goroutines, memory, CPU, backend p99, uptime); state and name never do.
public enum FleetView {
    struct Column {
        var column: FleetColumn
        var width: Int
        var rightAligned: Bool
    }

    /// Every column in order, with its width.
    static let all: [Column] = [
        Column(column: .name, width: 16, rightAligned: false),
        Column(column: .roles, width: 10, rightAligned: false),
        Column(column: .version, width: 9, rightAligned: false),
        Column(column: .state, width: 11, rightAligned: false),
        Column(column: .findings, width: 8, rightAligned: false),
        Column(column: .uptime, width: 8, rightAligned: true),
        Column(column: .cpu, width: 6, rightAligned: true),
        Column(column: .memory, width: 9, rightAligned: true),
        Column(column: .goroutines, width: 6, rightAligned: true),
        Column(column: .grpc, width: 7, rightAligned: true),
        Column(column: .grpcErrors, width: 6, rightAligned: true),
        Column(column: .backendP99, width: 8, rightAligned: true),
        Column(column: .heartbeats, width: 7, rightAligned: true),
        Column(column: .scrape, width: 12, rightAligned: false),
    ]

    /// The order in which columns give way when the width is short.
    static let givesWay: [FleetColumn] = [.heartbeats, .grpcErrors, .goroutines, .memory, .cpu, .backendP99, .uptime]

    /// Width of the state's "for" and "changes" figures after the badge.
    static let forWidth = 7, changesWidth = 3

    /// The columns that fit in `width`, and the width left for the strip.
    static func layout(width: Int) -> (columns: [Column], strip: Int) {
        var columns = all
        func used() -> Int { columns.reduce(0) { $0 + $1.width + 1 } + forWidth + changesWidth + 2 + 1 }
        var dropped = 0
        while used() > width, dropped < givesWay.count {
            columns.removeAll { $0.column == givesWay[dropped] }
            dropped += 1
        }
        if used() > width, let i = columns.firstIndex(where: { $0.column == .name }) {
            columns[i].width = max(8, columns[i].width - (used() - width))
        }
        let left = width - used() - 1
        return (columns, left >= 12 ? min(FleetRow.stripSlots, left) : 0)
    }

    /// The findings column of an instance: `2 CRIT`, `1 WARN`, `3 info`, `-` (none), empty
    /// before the first evaluation.
    static func findings(_ summary: FindingsSummary?) -> (text: String, role: StyleRole?) {
        guard let summary else { return ("", nil) }
        guard summary.count > 0, let worst = summary.worst else { return ("-", nil) }
        let (label, role) = FindingsView.badge(worst)
        return ("\(summary.count) \(worst == .info ? label.lowercased() : label)", role)
    }

    public static func draw(_ state: DashboardState, into screen: inout Screen, symbols: Symbols) {
        guard let fleet = state.fleet else { return }
        let rows = FleetRows.visible(fleet)
        header(state, fleet, into: &screen)
        summary(state, fleet, into: &screen)
        TabBarView.draw(state, into: &screen, y: 2)
        let (columns, stripWidth) = layout(width: screen.width)
        var y = 3
        var x = 1
        for column in columns {
            let title = column.column == .state ? "state" : column.column.title
            put(title, column, x: x, y: y, role: .dim, into: &screen)
            x += column.width + 1
            if column.column == .state {
                x = put2("for", width: forWidth, x: x, y: y, role: .dim, into: &screen)
                x = put2("chg", width: changesWidth, x: x, y: y, role: .dim, into: &screen)
            }
        }
        if stripWidth > 0 {
            screen.write("state over \(Format.duration(state.latest.historySeconds > 0 ? state.latest.historySeconds : 600))", x: x, y: y, role: .dim)
        }
        if fleet.sort != .name { screen.writeRight(" sort: state, \(fleet.sort.title) ", right: screen.width, y: y, role: .dim) }
        y += 1
        let bottom = screen.height - 1
        guard !rows.isEmpty else {
            let hint = fleet.rows.isEmpty ? (fleet.status == nil ? "waiting for the first answers…" : "no instances") : "no instance matches the filter"
            screen.write("  \(hint)", x: 0, y: y, role: .dim)
            return
        }
        let (selected, first, visible) = TableView.window(rows: rows.count, selected: fleet.selectedIndex(in: rows), lines: bottom - y)
        let newest = FleetRows.newestVersion(fleet.rows.values)
        // In a fleet read from Prometheus, the instances polled directly (`d`) say so.
        let markDirect = fleet.rows.values.contains { $0.source == .prometheus }
        for (offset, row) in rows[first..<min(rows.count, first + visible)].enumerated() {
            let isSelected = first + offset == selected
            if isSelected { screen.fill(row: y, role: .selection) }
            drawRow(
                row, columns: columns, stripWidth: stripWidth, newest: newest, now: state.now, selected: isSelected, y: y,
                into: &screen, symbols: symbols, markDirect: markDirect, findings: fleet.findings[row.id])
            screen.mark(row: y, .fleetRow(first + offset))
            y += 1
        }
        if rows.count > visible {
            screen.writeRight(" \(selected + 1)/\(rows.count) ", right: screen.width, y: 3, role: .dim)
        }
    }

    static func header(_ state: DashboardState, _ fleet: FleetState, into screen: inout Screen) {
        screen.fill(row: 0, role: .header)
        var x = screen.write(" teleport-top ", x: 0, y: 0, role: .header)
        x = screen.write(state.isEmbedded ? "simulated · " : "", x: x, y: 0, role: .header)
        let source = fleet.via.map { "\(fleet.source) \($0)" } ?? fleet.source
        x = screen.write("fleet · \(source)", x: x, y: 0, role: .header, maxWidth: max(10, screen.width / 2))
        var right = screen.width
        if state.paused {
            screen.writeRight(" PAUSED ", right: right, y: 0, role: .selection)
            right -= 9
        }
        let counts = Dictionary(grouping: fleet.rows.values.filter { !$0.gone && !$0.isWaiting }, by: \.state).mapValues(\.count)
        for observed in [ObservedState.degraded, .unreachable, .notMetrics, .recovering, .starting, .ok, .unknown] {
            guard let count = counts[observed], count > 0 else { continue }
            let text = " \(count) \(observed.label) "
            guard right - text.count > x + 2 else { break }
            screen.writeRight(text, right: right, y: 0, role: observed.role)
            right -= text.count + 1
        }
    }

    static func summary(_ state: DashboardState, _ fleet: FleetState, into screen: inout Screen) {
        screen.fill(row: 1, role: .dim)
        if let status = fleet.status {
            screen.write(" \(status)", x: 0, y: 1, role: .error)
            return
        }
        let live = fleet.rows.values.filter { !$0.gone }
        var roles: [String: Int] = [:]
        for row in live { for role in row.roles { roles[role, default: 0] += 1 } }
        var versions: [String: Int] = [:]
        for row in live { if let version = row.version { versions[version, default: 0] += 1 } }
        var parts = ["\(live.count) instance\(live.count == 1 ? "" : "s")"]
        let gone = fleet.rows.count - live.count
        if gone > 0 { parts[0] += " (+\(gone) gone)" }
        if !roles.isEmpty { parts.append(roles.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: " ")) }
        if !versions.isEmpty {
            let ordered = versions.sorted { FleetRows.isOlder($1.key, than: $0.key) }
            parts.append("versions " + ordered.map { "v\($0.key)×\($0.value)" }.joined(separator: " "))
        }
        screen.write(" " + parts.joined(separator: " · "), x: 0, y: 1, role: .dim)
        if let replay = state.replay { screen.writeRight(" \(replay.label) ", right: screen.width, y: 1, role: .selection) }
    }

    static func drawRow(
        _ row: FleetRow, columns: [Column], stripWidth: Int, newest: String?, now: Date, selected: Bool, y: Int,
        into screen: inout Screen, symbols: Symbols, markDirect: Bool = false, findings summary: FindingsSummary? = nil
    ) {
        let stale = row.scrapeError != nil || row.gone
        let figure: StyleRole = selected ? .selection : stale ? .dim : .text
        var x = 1
        for column in columns {
            var role = figure
            var text = ""
            switch column.column {
            case .name:
                text = row.gone ? "\(row.name) (gone)" : row.name
            case .roles:
                text = row.roles.joined(separator: ",")
            case .findings:
                let (shown, severity) = findings(summary)
                text = shown
                if let severity, !selected { role = severity } else if shown == "-" && !selected { role = .dim }
            case .version:
                if let version = row.version {
                    let older = newest.map { FleetRows.isOlder(version, than: $0) } ?? false
                    text = older ? "\(version)↓" : version
                    if older && !selected { role = .stateRecovering }
                }
            case .state:
                let label = row.gone ? "GONE" : row.isWaiting ? "waiting" : row.state.label
                put(label, column, x: x, y: y, role: row.gone || row.isWaiting ? .dim : row.state.role, into: &screen)
                x += column.width + 1
                let since =
                    row.stateSince.map { (row.stateSinceIsLowerBound == true ? "≥" : "") + Format.duration(max(0, now.timeIntervalSince($0))) } ?? ""
                x = put2(since, width: forWidth, x: x, y: y, role: figure, into: &screen)
                x = put2(
                    row.changes > 0 ? String(row.changes) : "0", width: changesWidth, x: x, y: y,
                    role: row.changes > 0 && !selected ? .accent : figure, into: &screen)
                continue
            case .uptime:
                if let start = row.processStart {
                    text = Format.duration(max(0, (stale ? row.lastScrape ?? now : now).timeIntervalSince(start)))
                    if row.restartedAt != nil {
                        text = "↻" + text
                        if !selected { role = .accent }
                    }
                }
            case .cpu: text = row.cpu.map { String(format: "%.2f", $0) } ?? ""
            case .memory: text = row.memory.map(Format.bytes) ?? ""
            case .goroutines: text = row.goroutines.map(Format.number) ?? ""
            case .grpc: text = row.grpcRate.map(Format.number) ?? ""
            case .grpcErrors:
                if let share = row.grpcErrorShare {
                    text = share == 0 ? "0%" : share < 0.001 ? "<0.1%" : String(format: "%.1f%%", share * 100)
                    if share >= 0.01 && !selected { role = .error }
                }
            case .backendP99: text = row.backendP99.map(Format.seconds) ?? ""
            case .heartbeats:
                text = row.heartbeatsMissed.map(Format.number) ?? ""
                if (row.heartbeatsMissed ?? 0) > 0 && !selected { role = .error }
            case .scrape:
                if let error = row.scrapeError {
                    text = error
                    if !selected { role = .error }
                } else if let last = row.lastScrape {
                    let age = Format.duration(max(0, now.timeIntervalSince(last)))
                    text = markDirect && row.source == .direct ? "direct \(age)" : age + " ago"
                } else {
                    text = "…"
                }
            }
            put(text, column, x: x, y: y, role: role, into: &screen)
            x += column.width + 1
        }
        if stripWidth > 0 {
            // The strip's newest slots, one cell each, on the right of the row.
            let cells = row.strip.suffix(stripWidth)
            let start = x + (stripWidth - cells.count)
            for (i, observed) in cells.enumerated() {
                if let observed {
                    screen[start + i, y] = Cell(symbols.timeline, role: observed.role)
                } else {
                    screen[start + i, y] = Cell("·", role: .dim)
                }
            }
        }
    }

    /// Writes a cell's text in its column (right-aligned figures), cut to the width.
    @discardableResult
    static func put(_ text: String, _ column: Column, x: Int, y: Int, role: StyleRole, into screen: inout Screen) -> Int {
        let fitted = CellText.fit(Sanitized.quote(text), columns: column.width)
        let offset = column.rightAligned ? max(0, column.width - fitted.count) : 0
        screen.put(String(fitted), x: x + offset, y: y, role: role, maxWidth: column.width)
        return x + column.width + 1
    }

    static func put2(_ text: String, width: Int, x: Int, y: Int, role: StyleRole, into screen: inout Screen) -> Int {
        put(text, Column(column: .scrape, width: width, rightAligned: true), x: x, y: y, role: role, into: &screen)
    }
}
