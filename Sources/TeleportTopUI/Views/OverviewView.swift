import Foundation
import TeleportCore

/// Tab 1: the state timeline over the history window (colour per state, transitions with
/// times, changes, time in each state), then tctl top's Common content (cluster, process and
/// Go runtime figures, running services) with sparklines, and the busiest rates and worst
/// latencies across sections.
public enum OverviewView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int, symbols: Symbols) {
        let snapshot = state.snapshot
        var y = top
        let window = max(snapshot.historySeconds, 60)
        let start = state.now.addingTimeInterval(-window)
        // Timeline strip.
        let label = "state, last \(Format.duration(window)) "
        let x0 = screen.write(label, x: 1, y: y, role: .accent)
        let width = max(10, screen.width - x0 - 2)
        for i in 0..<width {
            let t = start.addingTimeInterval(window * (Double(i) + 0.5) / Double(width))
            if let observed = snapshot.timeline.state(at: t) {
                screen[x0 + i, y] = Cell(symbols.timeline, role: observed.role)
            } else {
                screen[x0 + i, y] = Cell("·", role: .dim)
            }
        }
        // Restarts are marked where they happened (a gap alone would hide them).
        for restart in snapshot.timeline.restarts where restart.time >= start && restart.time <= state.now {
            let column = min(width - 1, Int(restart.time.timeIntervalSince(start) / window * Double(width)))
            screen[x0 + column, y] = Cell("↻", role: .accent)
        }
        y += 1
        if state.findings.enabled {
            FindingsLineView.strip(state, into: &screen, x0: x0, y: y, width: width, window: window, symbols: symbols)
            y += 1
        }
        let times = snapshot.timeline.timeInState(from: start, to: state.now)
        // The first state seen began before the watching did: its time is a lower bound.
        let atLeast = snapshot.timeline.lowerBoundState(from: start)
        var x = screen.write(" ", x: 0, y: y)
        for observed in ObservedState.allCases {
            guard let seconds = times[observed], seconds >= 1 else { continue }
            x = screen.write(observed.rawValue, x: x, y: y, role: observed == .unknown ? .dim : observed.role)
            x = screen.write(" \(observed == atLeast ? "≥ " : "")\(Format.duration(seconds))  ", x: x, y: y, role: .text)
        }
        let changes = snapshot.timeline.changes(since: start)
        screen.write("\(changes) change\(changes == 1 ? "" : "s")", x: x, y: y, role: changes > 4 ? .error : .dim)
        y += 1
        let recent = snapshot.timeline.transitions.filter { $0.from != nil }.suffix(3)
        for transition in recent.reversed() where y < bottom {
            var tx = screen.write(" \(clock(transition.time))  ", x: 0, y: y, role: .dim)
            tx = screen.write(transition.from?.rawValue ?? "-", x: tx, y: y, role: transition.from?.role ?? .dim)
            tx = screen.write(" → ", x: tx, y: y, role: .dim)
            screen.write(transition.to.rawValue, x: tx, y: y, role: transition.to.role)
            y += 1
        }
        if recent.isEmpty, y < bottom {
            screen.write(" no state change yet", x: 0, y: y, role: .dim)
            y += 1
        }
        guard y < bottom else { return }
        screen.rule(y: y)
        y += 1

        let columns = screen.width >= 120 ? 3 : screen.width >= 78 ? 2 : 1
        // The rankings close the screen: side by side they take every row left; stacked in
        // one column, six each.
        let ranked = columns > 1 ? max(6, bottom - y) : 6
        let boxes = [
            cluster(snapshot), process(snapshot, now: state.now), runtime(snapshot), services(snapshot),
            busiest(snapshot, limit: ranked), slowest(snapshot, limit: ranked),
        ]
        let columnWidth = screen.width / columns
        var rowTop = y
        for start in stride(from: 0, to: boxes.count, by: columns) {
            var rowBottom = rowTop
            for (c, box) in boxes[start..<min(boxes.count, start + columns)].enumerated() {
                let end = draw(box, into: &screen, x: c * columnWidth + 1, y: rowTop, width: columnWidth - 2, bottom: bottom, symbols: symbols)
                rowBottom = max(rowBottom, end)
            }
            rowTop = rowBottom + 1
            if rowTop >= bottom { break }
        }
    }

    /// A titled list of (label, value, spark) lines.
    struct Box {
        var title: String
        var lines: [(label: String, value: String, role: StyleRole, spark: [Float])]
    }

    static func draw(_ box: Box, into screen: inout Screen, x: Int, y: Int, width: Int, bottom: Int, symbols: Symbols) -> Int {
        guard y < bottom else { return y }
        screen.write(box.title, x: x, y: y, role: .accent, maxWidth: width)
        var row = y + 1
        let sparkWidth = width >= 44 ? 12 : 0
        // Values take at most 10 columns ("≥ 32.77s", "1.002k/s"); labels get the rest.
        let labelWidth = max(8, width - 12 - sparkWidth)
        for line in box.lines where row < bottom {
            screen.write(line.label, x: x, y: row, role: .dim, maxWidth: labelWidth)
            let valueEnd = x + width - sparkWidth - (sparkWidth > 0 ? 1 : 0)
            screen.writeRight(line.value, right: valueEnd, y: row, role: line.role)
            if sparkWidth > 0 { Sparkline.draw(line.spark, into: &screen, x: valueEnd + 1, y: row, width: sparkWidth, symbols: symbols) }
            row += 1
        }
        return row
    }

    static func figure(_ value: Double?, _ format: (Double) -> String = Format.number) -> String {
        value.map(format) ?? "-"
    }

    static func perSecond(_ value: Double?) -> String { value.map { Format.number($0) + "/s" } ?? "-" }

    static func cluster(_ s: MetricsSnapshot) -> Box {
        let migrations = s.family("teleport_migrations")?.series.filter { $0.value > 0 }.compactMap { $0.key.labels[label: "migration"] } ?? []
        let certificates = s.family("auth_generate_seconds")?.histograms.first?.windows[.oneMinute]
        return Box(
            title: "Cluster",
            lines: [
                ("Interactive sessions", figure(s.value("server_interactive_sessions_total")), .text, s.spark("server_interactive_sessions_total")),
                ("Cert gen active", figure(s.value("auth_generate_requests")), .text, s.spark("auth_generate_requests")),
                ("Cert gen requests", perSecond(s.rate("auth_generate_requests_total")), .text, s.spark("auth_generate_requests_total")),
                (
                    "Cert gen throttled", perSecond(s.rate("auth_generate_requests_throttled_total")),
                    (s.rate("auth_generate_requests_throttled_total") ?? 0) > 0 ? .error : .text, s.spark("auth_generate_requests_throttled_total")
                ),
                // tctl top's "Generate Server Certificates Percentiles", over the last minute
                // rather than since the process started.
                ("Cert gen p50 1m", QuantileText.format(certificates?.p50), .text, []),
                ("Cert gen p90 1m", QuantileText.format(certificates?.p90), .text, []),
                ("Cert gen p99 1m", QuantileText.format(certificates?.p99), certificates?.p99?.atLeast == true ? .error : .text, []),
                ("Auth watcher queue", figure(s.value("backend_watcher_queues_total", where: ("component", "auth:cache"))), .text, []),
                ("Roles", figure(s.value("teleport_roles_total")), .text, []),
                (
                    "Active migrations", s.family("teleport_migrations") == nil ? "-" : migrations.isEmpty ? "none" : migrations.joined(separator: ","), .text,
                    []
                ),
            ])
    }

    static func process(_ s: MetricsSnapshot, now: Date) -> Box {
        let cpu = s.rate("process_cpu_seconds_total").map { Format.number($0 * 100) + "%" } ?? "-"
        let fds = s.value("process_open_fds").map { open in Format.number(open) + (s.value("process_max_fds").map { " / " + Format.number($0) } ?? "") } ?? "-"
        return Box(
            title: "Process",
            lines: [
                ("Started", s.processStart.map { clock($0) + " UTC" } ?? "-", .text, []),
                ("CPU", cpu, .text, s.spark("process_cpu_seconds_total")),
                ("Resident memory", figure(s.value("process_resident_memory_bytes"), Format.bytes), .text, s.spark("process_resident_memory_bytes")),
                ("Open files", fds, .text, s.spark("process_open_fds")),
                ("Threads", figure(s.value("process_threads") ?? s.value("go_threads")), .text, []),
            ])
    }

    static func runtime(_ s: MetricsSnapshot) -> Box {
        guard s.family("go_goroutines") != nil else {
            // Without any metrics nothing is known about the process; with metrics but no
            // go_ families, it is not a Go process.
            return Box(title: "Go runtime", lines: [(s.families.isEmpty ? "no metrics yet" : "not a Go process", "-", .dim, [])])
        }
        return Box(
            title: "Go runtime",
            lines: [
                ("Goroutines", figure(s.value("go_goroutines")), .text, s.spark("go_goroutines")),
                ("Threads", figure(s.value("go_threads")), .text, []),
                ("Heap in use", figure(s.value("go_memstats_heap_alloc_bytes"), Format.bytes), .text, s.spark("go_memstats_heap_alloc_bytes")),
                ("Heap objects", figure(s.value("go_memstats_heap_objects")), .text, []),
                ("Allocated", figure(s.value("go_memstats_alloc_bytes"), Format.bytes), .text, []),
                ("Go version", s.family("go_info")?.series.first?.key.labels[label: "version"] ?? s.build?.goversion ?? "-", .text, []),
            ])
    }

    static func services(_ s: MetricsSnapshot) -> Box {
        let running = s.family("teleport_services")?.series.filter { $0.value > 0 }.compactMap { $0.key.labels[label: "service_name"] } ?? []
        let lines: [(String, String, StyleRole, [Float])] =
            running.isEmpty
            ? [("no teleport_services", "-", .dim, [])]
            : running.sorted().map { ($0, "running", .stateOK, []) }
        return Box(title: "Services", lines: lines)
    }

    static func busiest(_ s: MetricsSnapshot, limit: Int) -> Box {
        var rates: [(String, Double)] = []
        for family in s.families where family.type == .counter && family.group != .runtime {
            if let rate = FamilyFigures.rate(family), rate > 0 { rates.append((family.name, rate)) }
        }
        let top = rates.sorted { $0.1 > $1.1 }.prefix(limit)
        return Box(
            title: "Busiest rates",
            lines: top.isEmpty ? [("no counter moved yet", "-", .dim, [])] : top.map { ($0.0, Format.number($0.1) + "/s", .text, s.spark($0.0)) })
    }

    static func slowest(_ s: MetricsSnapshot, limit: Int) -> Box {
        var worst: [(String, QuantileEstimate)] = []
        for family in s.families where !family.histograms.isEmpty && family.name.hasSuffix("_seconds") {
            for histogram in family.histograms {
                guard let p99 = histogram.windows[.oneMinute]?.p99 else { continue }
                let labels = histogram.labels.map(\.value).joined(separator: ",")
                worst.append((family.name + (labels.isEmpty ? "" : "{\(labels)}"), p99))
            }
        }
        let top = worst.filter { !$0.0.hasPrefix("go_") && !$0.0.hasPrefix("process_") }.sorted { $0.1.value > $1.1.value }.prefix(limit)
        return Box(
            title: "Worst latencies (p99 1m)",
            lines: top.isEmpty
                ? [("no histogram observations yet", "-", .dim, [])]
                : top.map { ($0.0, (($0.1.atLeast ? "≥ " : "") + Format.seconds($0.1.value)), $0.1.atLeast ? .error : .text, []) })
    }

    static func clock(_ date: Date) -> String {
        String(Format.utc(date).dropFirst(11).prefix(8))
    }
}
