import Foundation
import TeleportCore
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

/// The fleet screen: goldens at 80x24 and 200x60, columns giving way in order, worst state
/// first, the cursor staying on its instance, filters, Enter into an instance and back,
/// scrapes of other instances ignored, hostile names shown escaped.
@Suite("Fleet screen")
struct FleetScreenTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_600)

    static func row(
        _ id: Int, _ name: String, _ state: ObservedState, roles: [String], version: String?, cpu: Double? = 0.12,
        memory: Double? = 180e6, goroutines: Double? = 412, grpc: Double? = 52.5, errors: Double? = 0, p99: Double? = 0.0123,
        heartbeats: Double? = 0, error: String? = nil
    ) -> FleetRow {
        var row = FleetRow(id: id, name: name, source: .direct)
        row.state = state
        row.roles = roles
        row.version = version
        row.stateSince = now.addingTimeInterval(-Double(30 + id * 40))
        row.changes = state == .ok ? 0 : 2
        row.processStart = now.addingTimeInterval(-Double(3600 * (id + 1)))
        row.cpu = cpu
        row.memory = memory
        row.goroutines = goroutines
        row.grpcRate = grpc
        row.grpcErrorShare = errors
        row.backendP99 = p99
        row.heartbeatsMissed = heartbeats
        row.lastScrape = error == nil ? now.addingTimeInterval(-1) : now.addingTimeInterval(-20)
        row.scrapeError = error
        row.strip = (0..<FleetRow.stripSlots).map { i in
            i < 10 ? nil : (i > 50 && state != .ok) ? state : .ok
        }
        return row
    }

    static func rows() -> [FleetRow] {
        var restarted = row(3, "node-2", .ok, roles: ["ssh"], version: "16.5.11", goroutines: nil, grpc: nil, errors: nil)
        restarted.restartedAt = now.addingTimeInterval(-50)
        return [
            row(0, "auth-1", .ok, roles: ["auth"], version: "17.4.8", errors: 0.004),
            row(1, "proxy-1", .degraded, roles: ["proxy"], version: "17.4.8", errors: 0.12, heartbeats: 2),
            row(2, "node-1", .unreachable, roles: ["ssh"], version: "17.4.8", error: "connection refused: nothing listens on 10.0.0.7:3000"),
            restarted,
            row(4, "kube-1", .recovering, roles: ["kube", "ssh"], version: "17.4.3", memory: nil),
        ]
    }

    static func state(_ rows: [FleetRow] = rows()) -> DashboardState {
        var state = DashboardState(snapshot: .empty(target: "fleet", interval: .seconds(5)), isEmbedded: false, now: now)
        state.fleet = FleetState(source: "5 targets", rows: rows)
        return state
    }

    @Test("goldens at 80x24 and 200x60")
    func goldens() {
        for (w, h) in [(80, 24), (200, 60)] {
            Golden.check(DashboardView.render(Self.state(), width: w, height: h), "fleet-\(w)x\(h)")
        }
    }

    @Test("worst first (degraded, unreachable, recovering, ok), then by the chosen column, then name")
    func order() {
        var state = Self.state()
        #expect(FleetRows.visible(state.fleet!).map(\.name) == ["proxy-1", "node-1", "kube-1", "auth-1", "node-2"])
        _ = Reducer.fold(&state, .input(.key(.character("s"))))
        #expect(state.fleet?.sort == .findings)
        _ = Reducer.fold(&state, .input(.key(.character("s"))))
        #expect(state.fleet?.sort == .cpu)
        state.fleet?.rows[3]?.cpu = 0.9
        #expect(FleetRows.visible(state.fleet!).map(\.name) == ["proxy-1", "node-1", "kube-1", "node-2", "auth-1"])
        _ = Reducer.fold(&state, .input(.key(.character("s"))))
        #expect(state.fleet?.sort == .memory)
        // A missing figure sorts after every present one.
        #expect(FleetRows.visible(state.fleet!).filter { $0.state == .ok }.map(\.name) == ["auth-1", "node-2"])
    }

    @Test("columns give way at narrow widths in the documented order; state and name never")
    func giveWay() {
        let titles = { (width: Int) in Set(FleetView.layout(width: width).columns.map(\.column)) }
        let wide = titles(200)
        #expect(wide.isSuperset(of: [.heartbeats, .grpcErrors, .goroutines, .memory, .cpu, .backendP99, .uptime]))
        #expect(FleetView.layout(width: 200).strip > 0)
        var previous = wide
        for width in stride(from: 199, through: 60, by: -1) {
            let now = titles(width)
            #expect(now.isSubset(of: previous))
            #expect(now.contains(.name) && now.contains(.state))
            let gone = previous.subtracting(now)
            if let column = gone.first {
                let order = FleetView.givesWay
                let index = order.firstIndex(of: column)!
                #expect(order[..<index].allSatisfy { !now.contains($0) }, "\(column) went before an earlier one at \(width)")
            }
            previous = now
        }
        #expect(!titles(80).contains(.heartbeats))
        for (w, h) in [(80, 24), (200, 60)] {
            let screen = DashboardView.render(Self.state(), width: w, height: h)
            #expect(screen.text.contains("DEGRADED") && screen.text.contains("proxy-1"))
        }
    }

    @Test("the cursor stays on its instance as rows re-sort; Enter opens it, I and Esc come back")
    func openAndBack() {
        var state = Self.state()
        _ = Reducer.fold(&state, .input(.key(.down)))
        #expect(state.fleet?.selectedID == 2)  // node-1, second row
        var recovered = state.fleet!.rows[2]!
        recovered.state = .ok
        _ = Reducer.fold(&state, .fleetRow(recovered))
        #expect(state.fleet?.selectedID == 2)
        let effects = Reducer.fold(&state, .input(.key(.enter)))
        #expect(effects.contains(.focusInstance(2)))
        #expect(state.fleet?.open == 2 && !state.showsFleet && state.tab == .overview)
        // Scrapes of another instance, or of none, are not shown; the open one's are.
        var other = MetricsSnapshot.empty(target: "auth-1", interval: .seconds(5))
        other.scrapeCount = 9
        _ = Reducer.fold(&state, .scrape(ScrapeEvent(outcome: nil, snapshot: other, instance: 0)))
        #expect(state.snapshot.target == "node-1")
        var mine = MetricsSnapshot.empty(target: "node-1", interval: .seconds(5))
        mine.scrapeCount = 3
        _ = Reducer.fold(&state, .scrape(ScrapeEvent(outcome: nil, snapshot: mine, instance: 2)))
        #expect(state.snapshot.scrapeCount == 3)
        // r and x act on the open instance.
        #expect(Reducer.fold(&state, .input(.key(.character("r")))) == [.retryInstance(2)])
        // Esc on the Overview goes back to the fleet.
        #expect(Reducer.fold(&state, .input(.key(.escape))) == [.focusInstance(nil)])
        #expect(state.showsFleet)
        // A tab key opens the selected instance at that tab; I comes back.
        _ = Reducer.fold(&state, .input(.key(.character("3"))))
        #expect(state.fleet?.open == 2 && state.tab == .proxy)
        #expect(Reducer.fold(&state, .input(.key(.character("I")))) == [.focusInstance(nil)])
        // Without a fleet, I says how to get one.
        var single = DashboardState(snapshot: .empty(target: "a", interval: .seconds(2)), isEmbedded: false, now: Self.now)
        #expect(Reducer.fold(&single, .input(.key(.character("I")))).isEmpty)
        #expect(single.message?.contains("--targets") == true)
    }

    @Test("an opened instance gets a Logs screen of its own: its socket known or not")
    func logsPerInstance() {
        var rows = Self.rows()
        rows[0].hasSocket = true
        var state = Self.state(rows)
        state.logs.buffer.append([LogLine(time: nil, level: "INFO", message: "from before")], now: Self.now)
        _ = Reducer.fold(&state, .input(.key(.end)))
        _ = Reducer.fold(&state, .input(.key(.up)))
        #expect(state.fleet?.selectedID == 0)
        let effects = Reducer.fold(&state, .input(.key(.character("L"))))
        #expect(effects.contains(.focusInstance(0)) && effects.contains(.openLogs(level: nil)))
        #expect(state.logs.hasSocket && state.logs.buffer.isEmpty)
        _ = Reducer.fold(&state, .input(.key(.character("I"))))
        _ = Reducer.fold(&state, .input(.key(.home)))
        let other = Reducer.fold(&state, .input(.key(.character("L"))))
        #expect(!other.contains(.openLogs(level: nil)) && !state.logs.hasSocket)
        #expect(DashboardView.render(state, width: 160, height: 48).text.contains("--debug-socket"))
    }

    @Test("the span feed narrows to the open instance's host")
    func spans() {
        var rows = Self.rows()
        rows[0].hostName = "auth-1.example.com"
        var state = Self.state(rows)
        _ = Reducer.fold(&state, .input(.key(.end)))
        _ = Reducer.fold(&state, .input(.key(.up)))
        #expect(state.fleet?.selectedID == 0)
        let effects = Reducer.fold(&state, .input(.key(.character("8"))))
        #expect(state.spansTab.query.attributes.map { "\($0.key)=\($0.value)" } == ["teleport.host.name=auth-1.example.com"])
        #expect(effects.contains { if case .querySpans = $0 { return true } else { return false } })
        _ = Reducer.fold(&state, .input(.key(.character("I"))))
        #expect(state.spansTab.query.attributes.isEmpty)
    }

    @Test("/ and f filter rows; x fails the selected embedded instance; p opens it at Profiles and captures")
    func filtersAndActions() {
        var state = Self.state()
        for key in ["f"] + "role=ssh".map(String.init) { _ = Reducer.fold(&state, .input(.key(.character(Character(key))))) }
        _ = Reducer.fold(&state, .input(.key(.enter)))
        #expect(FleetRows.visible(state.fleet!).map(\.name) == ["node-1", "kube-1", "node-2"])
        _ = Reducer.fold(&state, .input(.key(.escape)))
        #expect(state.fleet?.labelFilter == "")
        for key in "/!node" { _ = Reducer.fold(&state, .input(.key(.character(key)))) }
        _ = Reducer.fold(&state, .input(.key(.enter)))
        #expect(FleetRows.visible(state.fleet!).map(\.name) == ["proxy-1", "kube-1", "auth-1"])
        #expect(DashboardView.render(state, width: 120, height: 30).text.contains("filter /!node"))
        // x: only for the simulation.
        #expect(Reducer.fold(&state, .input(.key(.character("x")))).isEmpty)
        state.isEmbedded = true
        #expect(Reducer.fold(&state, .input(.key(.character("x")))) == [.injectFailureInstance(1)])
        let effects = Reducer.fold(&state, .input(.key(.character("p"))))
        #expect(effects.first == .focusInstance(1))
        #expect(effects.contains { if case .captureProfiles = $0 { return true } else { return false } })
        #expect(state.tab == .profiles && state.fleet?.open == 1)
    }

    @Test("d on a Prometheus-read fleet asks for the selected instance directly; a row polled directly says so in its scrape column")
    func direct() {
        let rows = Self.rows().map { row -> FleetRow in
            var row = row
            if row.id != 0 { row.source = .prometheus }
            return row
        }
        var state = Self.state(rows)
        state.fleet?.source = "Prometheus http://prom:9090 {job=\"teleport\"}"
        state.fleet?.selectedID = 0
        #expect(Reducer.fold(&state, .input(.key(.character("d")))) == [.toggleDirect(0)])
        #expect(state.message == "auth-1: switching…")
        state.fleet?.selectedID = 3
        #expect(Reducer.fold(&state, .input(.key(.character("d")))) == [.toggleDirect(3)])
        #expect(state.message == "asking node-2 directly…")
        let text = DashboardView.render(state, width: 200, height: 30).text
        let lines = text.split(separator: "\n")
        #expect(lines.contains { $0.contains("auth-1") && $0.contains("direct 1s") }, "\(text)")
        #expect(lines.contains { $0.contains("node-2") && $0.contains("1s ago") && !$0.contains("direct") }, "\(text)")
        // A fleet polled directly does not mark its rows; an open instance's screens leave d alone.
        #expect(!DashboardView.render(Self.state(), width: 200, height: 30).text.contains("direct 1s"))
        _ = Reducer.fold(&state, .input(.key(.enter)))
        #expect(!Reducer.fold(&state, .input(.key(.character("d")))).contains(.toggleDirect(3)))
    }

    @Test("a Prometheus-API engine is named with its lag in the fleet header and in an open instance's header")
    func engine() {
        let rows = Self.rows().map { row -> FleetRow in
            var row = row
            row.source = .prometheus
            return row
        }
        var state = Self.state(rows)
        state.fleet?.source = "Prometheus http://vm:8428"
        #expect(Reducer.fold(&state, .fleetEngine("via VictoriaMetrics, 31s behind")).isEmpty)
        let fleet = DashboardView.render(state, width: 200, height: 30).text
        #expect(fleet.split(separator: "\n").first?.contains("fleet · Prometheus http://vm:8428 via VictoriaMetrics, 31s behind") == true, "\(fleet)")
        state.fleet?.selectedID = 1
        _ = Reducer.fold(&state, .input(.key(.enter)))
        let open = DashboardView.render(state, width: 200, height: 30).text
        #expect(open.split(separator: "\n").first?.contains("proxy-1 via VictoriaMetrics, 31s behind") == true, "\(open)")
        // Not known: the header names the target as before.
        _ = Reducer.fold(&state, .fleetEngine(nil))
        #expect(DashboardView.render(state, width: 200, height: 30).text.split(separator: "\n").first?.contains("via") == false)
    }

    @Test("clicks: a row selects, again opens; the fleet entry of the tab bar comes back")
    func clicks() throws {
        var state = Self.state()
        let screen = DashboardView.render(state, width: 160, height: 48)
        let region = try #require(screen.regions.first { $0.target == .fleetRow(2) })
        _ = Reducer.fold(&state, .input(.click(x: region.x + 5, y: region.y)), screen: screen)
        #expect(state.fleet?.selectedID == 4)  // kube-1, the third row
        #expect(Reducer.fold(&state, .input(.click(x: region.x + 5, y: region.y)), screen: screen) == [.focusInstance(4)])
        let open = DashboardView.render(state, width: 160, height: 48)
        let fleetTab = try #require(open.regions.first { $0.target == .fleetTab })
        #expect(Reducer.fold(&state, .input(.click(x: fleetTab.x + 1, y: fleetTab.y)), screen: open) == [.focusInstance(nil)])
    }

    @Test("names, versions and errors from the network are shown escaped; gone instances are marked and removed ones dropped")
    func hostile() {
        var rows = Self.rows()
        rows[0].name = "evil\u{1B}]0;owned\u{07}"
        rows[2].scrapeError = "\u{1B}[2J boom"
        var gone = Self.row(5, "pod-x", .unreachable, roles: [], version: nil)
        gone.gone = true
        rows.append(gone)
        var state = Self.state(rows)
        let text = DashboardView.render(state, width: 200, height: 60).text
        #expect(!text.contains("\u{1B}") && text.contains("evil\\e]0;owned"))
        #expect(text.contains("pod-x (gone)") && text.contains("GONE"))
        gone.removed = true
        _ = Reducer.fold(&state, .fleetRow(gone))
        #expect(state.fleet?.rows[5] == nil)
    }

    @Test("the fleet frame for 1000 instances renders (its time is in the render benchmark)")
    func large() {
        let rows = (0..<1000).map { i in Self.row(i, "agent-\(i)", i % 97 == 0 ? .degraded : .ok, roles: ["ssh"], version: i % 10 == 0 ? "17.4.3" : "17.4.8") }
        let screen = DashboardView.render(Self.state(rows), width: 200, height: 60)
        #expect(screen.text.contains("1000 instances"), "\(screen.text)")
        #expect(screen.text.contains(" 1/1000"), "\(screen.text)")
    }
}
