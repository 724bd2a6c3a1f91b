import Foundation
import TeleportCore

/// The Findings screen (`!`): what the findings engine says of the instance on screen, worst
/// first. Each finding takes two lines: severity, title, since and a sparkline of its series
/// against the baseline's band (points inside the band dim), then the evidence it read. Muted
/// findings follow, dimmed, under a rule.
public enum FindingsView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int, symbols: Symbols) {
        let id = FindingsList.instance(state)
        let report = state.findings.reports[id]
        let rows = FindingsList.rows(state)
        var y = top
        let muted = rows.filter(\.muted).count
        var x = screen.write(" Findings", x: 0, y: y, role: .accent)
        x = screen.write(" · \(rows.count - muted) open" + (muted > 0 ? ", \(muted) muted" : ""), x: x, y: y, role: .text)
        x = screen.write(" · baseline " + baselineText(state), x: x, y: y, role: .dim)
        if let time = report?.time, screen.width >= 100 {
            screen.writeRight(" evaluated at \(FindingFigure.clock(time)) ", right: screen.width, y: y, role: .dim)
        }
        y += 1
        if let note = report?.coverageNote, y < bottom {
            screen.write(" \(note)", x: 0, y: y, role: .dim)
            y += 1
        }
        guard !rows.isEmpty else {
            let text: String
            if !state.findings.enabled {
                text = "findings are not evaluated here"
            } else if report == nil {
                text = "no evaluation yet (the engine reads every few scrapes)"
            } else if report?.time == nil {
                text = "no scrape yet: nothing can be told"
            } else if case .short = report?.coverage {
                // Changes are not ranked yet: only the absolute checks spoke.
                text = "no findings from the absolute checks; changes are ranked once the baseline is full"
            } else {
                text = "no findings: nothing wrong, nothing changed"
            }
            if y < bottom { screen.write("  \(text)", x: 0, y: y, role: .dim) }
            return
        }
        // Two lines a finding, one more for the muted rule.
        let lines = bottom - y - (muted > 0 ? 1 : 0)
        let capacity = max(1, lines / 2)
        let selected = FindingsList.selectedIndex(state, rows)
        let first = max(0, min(selected - capacity / 2, rows.count - capacity))
        let traces = state.findings.traces[id] ?? [:]
        let sparkWidth = screen.width >= 160 ? 30 : screen.width >= 100 ? 20 : 12
        var ruled = false
        for index in first..<min(rows.count, first + capacity) {
            let row = rows[index]
            if row.muted, !ruled {
                guard y < bottom else { break }
                screen.rule(y: y, role: .border)
                screen.write(" muted (m unmutes) ", x: 2, y: y, role: .dim)
                y += 1
                ruled = true
            }
            guard y + 1 < bottom else { break }
            draw(
                row, selected: index == selected, trace: traces[row.finding.key], now: state.now, y: y, into: &screen, sparkWidth: sparkWidth,
                symbols: symbols)
            screen.mark(.findingRow(index), y: y, height: 2)
            y += 2
        }
        if rows.count > capacity { screen.writeRight(" \(selected + 1)/\(rows.count) ", right: screen.width, y: top, role: .dim) }
    }

    /// `rolling: the 240 s before the recent 60 s`, or the fixed span asked for with `b`.
    static func baselineText(_ state: DashboardState) -> String {
        if let fixed = state.findings.baseline { return BaselineWindow.label(fixed) + " (b)" }
        return "rolling (b fixes one)"
    }

    /// The title without its trailing `, since 05:31:10 UTC` (the screen shows since apart).
    public static func shortTitle(_ finding: Finding) -> String {
        guard let range = finding.title.range(of: #",? since \d\d:\d\d:\d\d UTC$"#, options: .regularExpression) else { return finding.title }
        return String(finding.title[..<range.lowerBound])
    }

    /// The short name of a severity, in its role.
    public static func badge(_ severity: FindingSeverity) -> (text: String, role: StyleRole) {
        switch severity {
        case .critical: return ("CRIT", .findingCritical)
        case .warning: return ("WARN", .findingWarning)
        case .info: return ("INFO", .findingInfo)
        }
    }

    static func draw(
        _ row: FindingsList.Row, selected: Bool, trace: FindingTrace?, now: Date, y: Int, into screen: inout Screen, sparkWidth: Int, symbols: Symbols
    ) {
        let finding = row.finding
        if selected { screen.fill(row: y, role: .selection) }
        let (label, role) = badge(finding.severity)
        let text: StyleRole = selected ? .selection : row.muted ? .dim : .text
        var x = screen.write(" ", x: 0, y: y, role: text)
        x = screen.write(label, x: x, y: y, role: row.muted && !selected ? .dim : role) + 1
        if let instance = finding.instance { x = screen.write("[\(instance)] ", x: x, y: y, role: text, maxWidth: 20) }
        let since = finding.since.map { "since " + String(FindingFigure.clock($0).prefix(8)) } ?? ""
        let right = screen.width - 1 - sparkWidth - 1 - (since.isEmpty ? 0 : since.count + 1)
        screen.write(shortTitle(finding), x: x, y: y, role: text, maxWidth: max(1, right - x))
        if !since.isEmpty { screen.write(since, x: right + 1, y: y, role: selected ? .selection : .dim) }
        if let trace {
            spark(trace, severity: finding.severity, into: &screen, x: screen.width - 1 - sparkWidth, y: y, width: sparkWidth, symbols: symbols)
        }
        let evidence = "  " + finding.evidence + "  (" + finding.check + ")"
        screen.write(" " + evidence, x: 5, y: y + 1, role: .dim, maxWidth: screen.width - 6)
    }

    /// The series' last `width` slots scaled between the lowest and highest of the points and
    /// the baseline's band: inside the band dim, outside in the severity's colour; the first
    /// recent slot marked by where the colour may start.
    static func spark(_ trace: FindingTrace, severity: FindingSeverity, into screen: inout Screen, x: Int, y: Int, width: Int, symbols: Symbols) {
        let points = Array(trace.points.suffix(width))
        let band = trace.band
        let finite = points.filter(\.isFinite) + (band.map { [$0.lowerBound, $0.upperBound] } ?? [])
        guard let low = finite.min(), let high = finite.max() else { return }
        let levels = symbols.levels
        let offset = width - points.count
        for (i, point) in points.enumerated() {
            guard point.isFinite else {
                screen[x + offset + i, y] = Cell("·", role: .dim)
                continue
            }
            let level = high > low ? (point - low) / (high - low) : 0.5
            let index = min(levels.count - 1, max(0, Int(level * Double(levels.count - 1) + 0.5)))
            let inside = band.map { $0.contains(point) } ?? true
            screen[x + offset + i, y] = Cell(levels[index], role: inside ? .dim : badge(severity).role)
        }
    }
}

/// The findings on the other screens: the header's line (the worst open finding and how many
/// others) and the Overview's strip (when findings were open, worst severity per column).
public enum FindingsLineView {
    /// The header's findings line at `y`; a click on it opens the Findings screen.
    public static func draw(_ state: DashboardState, into screen: inout Screen, y: Int) {
        screen.fill(row: y, role: .dim)
        screen.mark(.tab(.findings), y: y)
        let id = FindingsList.instance(state)
        guard let (worst, others) = FindingsList.worst(state) else {
            var text = " findings: none open"
            if case .short(let have, let need) = state.findings.reports[id]?.coverage {
                text += " · baseline filling: \(Int(have.rounded())) s of \(Int(need.rounded())) s, absolute checks only"
            } else if state.findings.reports[id] == nil {
                text = " findings: waiting for the first evaluation"
            }
            if let report = state.findings.reports[id], report.time == nil { text = " findings: no scrape yet, nothing can be told" }
            screen.write(text, x: 0, y: y, role: .dim)
            return
        }
        let (label, role) = FindingsView.badge(worst.severity)
        let more = others > 0 ? " +\(others) more · ! " : " · ! "
        var x = screen.write(" ", x: 0, y: y, role: .dim)
        x = screen.write(label, x: x, y: y, role: role) + 1
        let room = screen.width - x - more.count
        let since = worst.since.map { ", since " + String(FindingFigure.clock($0).prefix(8)) } ?? ""
        let title = shortTitleFitting(worst, since: since, room: room)
        screen.write(title, x: x, y: y, role: .text, maxWidth: max(1, room))
        screen.writeRight(more, right: screen.width, y: y, role: .dim)
    }

    /// The title, with since when it fits and the title does not already name that time
    /// ("restarted at 19:47:34 UTC").
    static func shortTitleFitting(_ finding: Finding, since: String, room: Int) -> String {
        let title = FindingsView.shortTitle(finding)
        if !since.isEmpty, title.contains(String(since.suffix(8))) { return title }
        return title.count + since.count <= room ? title + since : title
    }

    /// The Overview's strip at `y`, its cells from `x0` over `window` seconds ending at `now`.
    public static func strip(_ state: DashboardState, into screen: inout Screen, x0: Int, y: Int, width: Int, window: Double, symbols: Symbols) {
        let label = "findings"
        screen.write(label, x: max(1, x0 - label.count - 1), y: y, role: .accent)
        let episodes = state.findings.episodes[FindingsList.instance(state)] ?? []
        let start = state.now.addingTimeInterval(-window)
        let slot = window / Double(max(1, width))
        for i in 0..<width {
            let from = start.addingTimeInterval(Double(i) * slot)
            let to = from.addingTimeInterval(slot)
            let worst =
                episodes.filter { !state.findings.muted.contains($0.key) && $0.since < to && ($0.until ?? state.now) >= from }.map(\.severity).max()
            if let worst {
                screen[x0 + i, y] = Cell(symbols.timeline, role: FindingsView.badge(worst).role)
            } else {
                screen[x0 + i, y] = Cell("·", role: .dim)
            }
        }
        screen.mark(.tab(.findings), y: y)
    }
}
