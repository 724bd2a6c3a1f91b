import Foundation
import TeleportCore

/// The two header rows on every screen: the target, its state as a badge with the /readyz
/// text, version, uptime and pid; then the scrape's age, duration and interval, or, while the
/// target is down, the retry countdown, since when it is down and the classified error (the
/// data shown is stale); a scrape overdue by more than two intervals says so; a partial
/// answer (/readyz up, /metrics failing) names the metrics failure; a restart is told for a
/// minute.
public enum HeaderView {
    /// How long a restart is told in the header.
    static let restartNotice: TimeInterval = 60

    /// What the header names: the target, or an instance read through a Prometheus-API
    /// engine with the engine and its lag (`proxy-1 via VictoriaMetrics, 30s behind`).
    static func target(_ state: DashboardState) -> String {
        guard let fleet = state.fleet, let open = fleet.open, let row = fleet.rows[open], row.source == .prometheus, let via = fleet.via else {
            return state.snapshot.target
        }
        return "\(row.name) \(via)"
    }

    public static func draw(_ state: DashboardState, into screen: inout Screen) {
        let snapshot = state.snapshot
        let interval = snapshot.interval.seconds
        let overdue = snapshot.lastFailure == nil && snapshot.lastScrape.map { state.now.timeIntervalSince($0.answered) > 2 * interval } ?? false
        // Figures that count with the clock stop at the last answer while the data is stale.
        let dataTime = snapshot.isStale || overdue ? snapshot.lastScrape?.time ?? state.now : state.now
        screen.fill(row: 0, role: .header)
        var x = screen.write(" teleport-top ", x: 0, y: 0, role: .header)
        x = screen.write(state.isEmbedded ? "simulated · " : "", x: x, y: 0, role: .header)
        x = screen.write(target(state), x: x, y: 0, role: .header, maxWidth: max(10, screen.width / 3)) + 1
        let badge = " \(snapshot.state.label) "
        x = screen.write(badge, x: x, y: 0, role: snapshot.state.role) + 1
        // Facts in the order they give way when narrow: pid, version, uptime, then the log
        // level (a level teleport-top changed, `*`, is what must stay in view).
        var facts: [(order: Int, text: String)] = []
        if let build = snapshot.build {
            facts.append((1, "v\(build.version)" + (build.gitref.isEmpty || build.gitref == "simulated" || screen.width < 120 ? "" : " (\(build.gitref))")))
        }
        if let start = snapshot.processStart { facts.append((2, "up \(Format.duration(dataTime.timeIntervalSince(start)))")) }
        if let pid = snapshot.pid { facts.append((0, "pid \(pid)")) }
        if let level = state.logs.level { facts.append((3, "log \(level)" + (state.logs.changedFrom != nil ? "*" : ""))) }
        func joined() -> String { facts.isEmpty ? "" : facts.map(\.text).joined(separator: "  ") + " " }
        func dropOne() { if let i = facts.indices.min(by: { facts[$0].order < facts[$1].order }) { facts.remove(at: i) } }
        var right = joined()
        if let status = snapshot.readyz?.status, snapshot.state != .unreachable, snapshot.state != .notMetrics {
            // The readyz text gets what the facts leave; the facts give way first when narrow.
            while !facts.isEmpty, x + 12 + right.count > screen.width {
                dropOne()
                right = joined()
            }
            screen.write(status == "ok" ? "ready" : status, x: x, y: 0, role: .header, maxWidth: max(0, screen.width - x - right.count - 1))
        } else {
            while !facts.isEmpty, x + right.count > screen.width {
                dropOne()
                right = joined()
            }
        }
        if !right.isEmpty { screen.writeRight(right, right: screen.width, y: 0, role: .header) }

        screen.fill(row: 1, role: .dim)
        if let failure = snapshot.lastFailure, failure.isPartial {
            // The process answers /readyz (the badge is its state); its metrics do not.
            var x = screen.write(" metrics: \(failure.error.description) · ", x: 0, y: 1, role: .error)
            if let last = snapshot.lastScrape {
                x = screen.write("stale data from \(Format.duration(state.now.timeIntervalSince(last.time))) ago", x: x, y: 1, role: .dim)
            }
        } else if let failure = snapshot.lastFailure {
            // The badge already says UNREACHABLE: the countdown, since when and staleness
            // first (short on a narrow terminal, so the classified error still shows).
            let wide = screen.width >= 120
            var x = 1
            if let retry = failure.retryAt {
                // The screen's clock can be behind the failure's arrival: count from the later.
                let left = retry.timeIntervalSince(max(state.now, failure.time))
                x = screen.write(
                    left > 0 ? "retry in \(Int(left.rounded(.up)))s · " : "retrying, no answer for \(Format.duration(-left)) · ",
                    x: x, y: 1, role: .error)
            }
            if let down = snapshot.timeline.since(.unreachable) {
                // Down from the first scrape: it went down before the watching began.
                let clock = Format.utc(down).dropFirst(11)
                let since = snapshot.timeline.sinceIsLowerBound ? "down since ≤ " : "down since "
                x = screen.write(wide ? "\(since)\(clock) · " : "\(since)\(clock.prefix(8)) · ", x: x, y: 1, role: .error)
            }
            if let last = snapshot.lastScrape {
                let age = Format.duration(state.now.timeIntervalSince(last.time))
                x = screen.write(wide ? "stale data from \(age) ago · " : "stale \(age) · ", x: x, y: 1, role: .dim)
            }
            screen.write(failure.error.description, x: x, y: 1, role: .error)
        } else if let last = snapshot.lastScrape, overdue {
            let age = state.now.timeIntervalSince(last.answered)
            let x = screen.write(" no answer for \(Format.number((age * 10).rounded() / 10))s · ", x: 0, y: 1, role: .error)
            screen.write(
                "the last scrape took \(Format.seconds(last.duration.seconds)) · every \(DurationText.format(snapshot.interval))", x: x, y: 1, role: .dim)
        } else if let last = snapshot.lastScrape, let asked = last.asked {
            // Read through a Prometheus-API engine: when it was asked, no byte count it does not
            // have, and how old its newest sample is.
            let age = max(0, state.now.timeIntervalSince(asked))
            let sampleAge = max(0, state.now.timeIntervalSince(last.time))
            screen.write(
                " \(state.fleet?.via ?? "via the Prometheus API") · refreshed \(Format.number((age * 10).rounded() / 10))s ago in \(Format.seconds(last.duration.seconds)) · \(last.series) series · newest sample \(Format.duration(sampleAge)) old · every \(DurationText.format(snapshot.interval))",
                x: 0, y: 1, role: .dim)
        } else if let last = snapshot.lastScrape {
            let age = max(0, state.now.timeIntervalSince(last.time))
            screen.write(
                " scraped \(Format.number((age * 10).rounded() / 10))s ago in \(Format.seconds(last.duration.seconds)) · \(Format.bytes(Double(last.bytes))) · \(last.series) series · every \(DurationText.format(snapshot.interval))",
                x: 0, y: 1, role: .dim)
        } else {
            screen.write(" waiting for the first scrape…", x: 0, y: 1, role: .dim)
        }
        var right1 = screen.width
        if let replay = state.replay {
            let text = " \(replay.label) "
            screen.writeRight(text, right: right1, y: 1, role: .selection)
            right1 -= text.count + 1
        }
        if state.paused {
            screen.writeRight(" PAUSED ", right: right1, y: 1, role: .selection)
            right1 -= 9
        }
        // A restart, for a minute: old and new pid, and the version when it changed.
        if let restart = snapshot.timeline.restarts.last, state.now.timeIntervalSince(restart.time) < restartNotice {
            let text = " ↻ restarted \(Format.duration(max(0, state.now.timeIntervalSince(restart.time)))) ago: \(restart.description) "
            screen.writeRight(text, right: right1, y: 1, role: .accent)
            right1 -= text.count + 1
        }
        // Events the queue dropped because a source sent faster than they could be shown.
        if state.droppedEvents > 0 {
            let text = " dropped \(state.droppedEvents) "
            screen.writeRight(text, right: right1, y: 1, role: .error)
            right1 -= text.count + 1
        }
        // A running capture counts down on every screen (the Profiles tab has the details).
        if let capture = state.profiles.shown(for: state.fleet?.open).last(where: { if case .running = $0.status { return true } else { return false } }),
            case .running(let remaining) = capture.status
        {
            let text = " ● \(capture.kind.rawValue) " + (remaining.map { "\(Int($0.rounded(.up)))s " } ?? "… ")
            screen.writeRight(text, right: right1, y: 1, role: .accent)
            right1 -= text.count + 1
        }
        // The diagnostics bundle (B): its step while written, its path for a minute after.
        if let text = Self.bundleText(state) {
            screen.writeRight(text.text, right: right1, y: 1, role: text.role)
            right1 -= text.text.count + 1
        }
        // A span source that could not start (a port in use) is a warning on every screen.
        if let warning = state.spans.warnings.first {
            let more = state.spans.warnings.count > 1 ? " (+\(state.spans.warnings.count - 1))" : ""
            let text = " ⚠ \(warning)\(more) "
            let width = min(text.count, max(0, right1 - 40))
            if width > 8 {
                screen.put(String(repeating: " ", count: width), x: right1 - width, y: 1, role: .error)
                screen.put(text, x: right1 - width, y: 1, role: .error, maxWidth: width)
            }
        }
    }

    /// How long the header shows a written bundle's path.
    static let bundleNotice: TimeInterval = 60

    /// The header's words on the bundle, if any.
    static func bundleText(_ state: DashboardState) -> (text: String, role: StyleRole)? {
        switch state.bundle {
        case .running(let step): return (" ● bundle: \(step) ", .accent)
        case .done(let path, let at) where state.now.timeIntervalSince(at) < bundleNotice:
            return (" bundle: \((path as NSString).lastPathComponent) ", .stateOK)
        case .failed(_, let at) where state.now.timeIntervalSince(at) < bundleNotice: return (" bundle failed ", .error)
        default: return nil
        }
    }
}
