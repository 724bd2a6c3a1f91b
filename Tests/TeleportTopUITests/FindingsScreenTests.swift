import Foundation
import TeleportCore
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

/// The Findings screen (`!`), the header's findings line, the Overview's strip and the
/// fleet's findings column: goldens at 80x24 and 200x60, and the keys (move, Enter to the
/// evidence and Esc back, `m` mute, `b` baseline).
@Suite("Findings screen")
struct FindingsScreenTests {
    static let t0 = Fixtures.t0

    static func findings(instance: String? = nil) -> [Finding] {
        let since = t0.addingTimeInterval(-40)
        return [
            Finding(
                instance: instance, severity: .critical, check: "backend-latency",
                title: "backend read p99 48 ms, 20× its baseline of 2.4 ms, since \(FindingFigure.clock(since))", family: "backend_read_seconds",
                since: since, value: 0.048, baseline: 0.0024, evidence: "backend_read_seconds p99 of each 10 s slot: recent 48 ms, baseline 2.4 ms",
                score: 4.3),
            Finding(
                instance: instance, severity: .warning, check: "grpc-errors", title: "gRPC GetUser failing: 12% of calls since \(FindingFigure.clock(since))",
                family: "grpc_server_handled_total", labels: [Label("grpc_service", "proto.AuthService"), Label("grpc_method", "GetUser")], since: since,
                value: 0.12, evidence: "grpc_server_handled_total codes Unknown/Internal/Unavailable over all, last 60 s", score: 12),
            Finding(
                instance: instance, severity: .info, check: "changed", title: "process_open_fds rose 1.9× (41 → 79) since \(FindingFigure.clock(since))",
                family: "process_open_fds", since: since, value: 79, baseline: 41, evidence: "median of the recent 6 slots against the baseline's 24, z 14",
                score: 0.94),
        ]
    }

    static func trace() -> FindingTrace {
        var points: [Double] = []
        for i in 0..<30 {
            let base = 0.0024 + Double(i % 3) * 0.0002
            let recent = 0.03 + Double(i - 24) * 0.004
            points.append(i < 24 ? base : recent)
        }
        return FindingTrace(points: points, baselineSlots: 24)
    }

    static func state(tab: Tab = .findings) async throws -> DashboardState {
        var state = Fixtures.state(try await Fixtures.snapshot(), tab: tab)
        state.findings.enabled = true
        let report = FindingsReport(time: t0.addingTimeInterval(6), coverage: .full, findings: findings())
        _ = Reducer.fold(&state, .findings(FindingsEvent(instance: 0, report: report, traces: [findings()[0].key: trace()])))
        return state
    }

    @Test("The Findings screen at 80x24 and 200x60, and with one muted")
    func goldens() async throws {
        var state = try await Self.state()
        for (w, h) in [(80, 24), (200, 60)] {
            Golden.check(DashboardView.render(state, width: w, height: h), "findings-\(w)x\(h)")
        }
        _ = Reducer.fold(&state, .input(.key(.character("m"))))
        Golden.check(DashboardView.render(state, width: 80, height: 24), "findings-muted-80x24")
    }

    @Test("The header's findings line names the worst open finding and counts the others, at 80 and 200 columns")
    func headerLine() async throws {
        let state = try await Self.state(tab: .overview)
        for (w, h) in [(80, 24), (200, 60)] {
            let screen = DashboardView.render(state, width: w, height: h)
            Golden.check(screen, "findings-header-\(w)x\(h)")
            let line = screen.text.split(separator: "\n", omittingEmptySubsequences: false)[2]
            #expect(line.hasPrefix(" CRIT backend read p99"))
            #expect(line.contains("+2 more"))
            #expect(line.count <= w)
        }
    }

    @Test("The header does not say the time twice: a title that names it gets no since")
    func headerSinceOnce() {
        let at = Self.t0.addingTimeInterval(-30)
        let restart = Finding(
            severity: .warning, check: "restarts", title: "restarted at \(FindingFigure.clock(at))", since: at, evidence: "pid 1 → 2", score: 1)
        let line = FindingsLineView.shortTitleFitting(restart, since: ", since " + String(FindingFigure.clock(at).prefix(8)), room: 100)
        #expect(line == "restarted at \(FindingFigure.clock(at))")
        let other = Finding(severity: .warning, check: "open-fds", title: "open fds 95% of the limit", since: at, evidence: "", score: 1)
        let withSince = FindingsLineView.shortTitleFitting(other, since: ", since " + String(FindingFigure.clock(at).prefix(8)), room: 100)
        #expect(withSince == "open fds 95% of the limit, since " + String(FindingFigure.clock(at).prefix(8)))
    }

    @Test("Without findings the header says so; the line is absent where findings are not evaluated")
    func headerWithout() async throws {
        var state = Fixtures.state(try await Fixtures.snapshot())
        var lines = DashboardView.render(state, width: 80, height: 24).text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[2].contains("1 Ovw") || lines[2].contains("1 Overview"))
        state.findings.enabled = true
        _ = Reducer.fold(
            &state,
            .findings(FindingsEvent(instance: 0, report: FindingsReport(time: Self.t0, coverage: .short(haveSeconds: 42, needSeconds: 300), findings: []))))
        lines = DashboardView.render(state, width: 80, height: 24).text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[2].hasPrefix(" findings: none open · baseline filling: 42 s of 300 s"))

        // Evaluated before any scrape (the target never answered): nothing can be told, on
        // the line and on the screen, never "nothing wrong".
        _ = Reducer.fold(
            &state, .findings(FindingsEvent(instance: 0, report: FindingsReport(time: nil, coverage: .short(haveSeconds: 0, needSeconds: 300), findings: []))))
        lines = DashboardView.render(state, width: 80, height: 24).text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[2].hasPrefix(" findings: no scrape yet, nothing can be told"))
        state.tab = .findings
        let screen = DashboardView.render(state, width: 80, height: 24).text
        #expect(screen.contains("no scrape yet: nothing can be told"))
        #expect(!screen.contains("nothing wrong"))

        // Scrapes, but not yet the baseline: no claim that nothing changed.
        _ = Reducer.fold(
            &state,
            .findings(FindingsEvent(instance: 0, report: FindingsReport(time: Self.t0, coverage: .short(haveSeconds: 42, needSeconds: 300), findings: []))))
        let short = DashboardView.render(state, width: 120, height: 24).text
        #expect(short.contains("no findings from the absolute checks; changes are ranked once the baseline is full"))
        #expect(!short.contains("nothing changed"))
    }

    @Test("↓ selects, Enter opens a histogram's evidence, Esc comes back to the same finding with the tables as they were")
    func evidenceAndBack() async throws {
        var state = try await Self.state()
        state.tables.filter = "cache"
        #expect(FindingsList.selected(state, FindingsList.rows(state))?.finding.check == "backend-latency")
        _ = Reducer.fold(&state, .input(.key(.enter)))
        #expect(state.tab == .auth)
        #expect(state.histogram?.family == "backend_read_seconds")
        #expect(state.tables.filter.isEmpty)
        _ = Reducer.fold(&state, .input(.key(.escape)))
        #expect(state.tab == .findings)
        #expect(state.histogram == nil)
        #expect(state.tables.filter == "cache")
        #expect(state.findings.selectedKey == Self.findings()[0].key)
        // A gauge's evidence: its row in its table, selected.
        _ = Reducer.fold(&state, .input(.key(.down)))
        _ = Reducer.fold(&state, .input(.key(.down)))
        _ = Reducer.fold(&state, .input(.key(.enter)))
        #expect(state.tab == .runtime)
        let rows = TableRows.rows(state)
        guard rows.indices.contains(state.selectedRow), case .family(let index) = rows[state.selectedRow] else {
            Issue.record("the selected row is not a family: \(rows[state.selectedRow])")
            return
        }
        #expect(state.snapshot.families[index].name == "process_open_fds")
        _ = Reducer.fold(&state, .input(.key(.escape)))
        #expect(state.tab == .findings)
        #expect(state.findings.selectedKey == Self.findings()[2].key)
    }

    @Test("Enter on a gRPC method's finding shows the Spans tab filtered to the method; another tab forgets the way back")
    func grpcEvidence() async throws {
        var state = try await Self.state()
        _ = Reducer.fold(&state, .input(.key(.down)))
        _ = Reducer.fold(&state, .input(.key(.enter)))
        #expect(state.tab == .spans)
        #expect(state.spansTab.query.pattern == "GetUser")
        _ = Reducer.fold(&state, .input(.key(.character("3"))))
        #expect(state.findings.evidence == nil)
        _ = Reducer.fold(&state, .input(.key(.escape)))
        #expect(state.tab == .proxy)
    }

    @Test("m mutes: the finding moves to the bottom, leaves the header and the fleet count; m again unmutes")
    func mute() async throws {
        var state = try await Self.state()
        _ = Reducer.fold(&state, .input(.key(.character("m"))))
        let rows = FindingsList.rows(state)
        #expect(rows.last?.finding.check == "backend-latency")
        #expect(rows.last?.muted == true)
        #expect(FindingsList.worst(state)?.finding.check == "grpc-errors")
        #expect(FindingsList.worst(state)?.others == 1)
        // The cursor stays on the muted finding: m again unmutes it.
        _ = Reducer.fold(&state, .input(.key(.character("m"))))
        #expect(FindingsList.worst(state)?.finding.check == "backend-latency")
        #expect(FindingsList.rows(state).allSatisfy { !$0.muted })
    }

    @Test("b reads a typed window against the newest scrape and asks the engine for it; a bad window keeps the prompt open")
    func baseline() async throws {
        var state = try await Self.state()
        _ = Reducer.fold(&state, .input(.key(.character("b"))))
        #expect(state.editing == .baseline)
        for c in "-5m..-3m" { _ = Reducer.fold(&state, .input(.key(.character(c)))) }
        let effects = Reducer.fold(&state, .input(.key(.enter)))
        let newest = Self.t0.addingTimeInterval(6)
        let expected = DateInterval(start: newest.addingTimeInterval(-300), end: newest.addingTimeInterval(-180))
        #expect(effects == [.setFindingsBaseline(expected)])
        #expect(state.findings.baseline == expected)
        #expect(state.editing == nil)
        _ = Reducer.fold(&state, .input(.key(.character("b"))))
        for c in "25:99-1" { _ = Reducer.fold(&state, .input(.key(.character(c)))) }
        #expect(Reducer.fold(&state, .input(.key(.enter))).isEmpty)
        #expect(state.editing == .baseline)
        #expect(PromptCheck.problem(state) != nil)
        Golden.check(DashboardView.render(state, width: 80, height: 24), "findings-baseline-prompt-80x24")
        _ = Reducer.fold(&state, .input(.key(.escape)))
        _ = Reducer.fold(&state, .input(.key(.character("b"))))
        for c in "off" { _ = Reducer.fold(&state, .input(.key(.character(c)))) }
        #expect(Reducer.fold(&state, .input(.key(.enter))) == [.setFindingsBaseline(nil)])
        #expect(state.findings.baseline == nil)
    }

    @Test("! is in the tab bar and in ?, and its keys are listed")
    func keysListed() async throws {
        var state = try await Self.state()
        let screen = DashboardView.render(state, width: 200, height: 60)
        #expect(screen.text.contains("! Findings"))
        _ = Reducer.fold(&state, .input(.key(.character("?"))))
        let help = DashboardView.render(state, width: 200, height: 60).text
        #expect(help.contains("mute the finding"))
        #expect(help.contains("baseline: the last N minutes"))
        #expect(help.contains("! the Findings"))
        #expect(KeyTable.action(for: .character("!"), in: .table) == .selectTab(.findings))
        #expect(KeyTable.action(for: .character(")"), in: .replay) == .replay(.finding(1)))
        #expect(KeyTable.action(for: .character("("), in: .replay) == .replay(.finding(-1)))
    }

    @Test("The Overview's findings strip under the state timeline, at 80x24 and 200x60")
    func overviewStrip() async throws {
        var state = try await Self.state(tab: .overview)
        // The finding cleared later: the strip shows when it was open.
        _ = Reducer.fold(
            &state, .findings(FindingsEvent(instance: 0, report: FindingsReport(time: Self.t0.addingTimeInterval(7), coverage: .full, findings: []))))
        for (w, h) in [(80, 24), (200, 60)] {
            Golden.check(DashboardView.render(state, width: w, height: h), "findings-overview-\(w)x\(h)")
        }
    }

    @Test("The fleet's findings column (count and worst severity) at 80x24 and 200x60, sorted by it")
    func fleetColumn() {
        var state = FleetScreenTests.state()
        state.findings.enabled = true
        let now = FleetScreenTests.now
        for (id, list) in [(0, Self.findings(instance: "auth-1")), (3, Array(Self.findings(instance: "node-2").suffix(1))), (4, [])] {
            _ = Reducer.fold(&state, .findings(FindingsEvent(instance: id, report: FindingsReport(time: now, coverage: .full, findings: list))))
        }
        for (w, h) in [(80, 24), (200, 60)] {
            Golden.check(DashboardView.render(state, width: w, height: h), "findings-fleet-\(w)x\(h)")
        }
        state.fleet?.sort = .findings
        // Worst state first, then the findings: auth-1 (3, critical) before node-2 (1 info) among the ok ones.
        #expect(FleetRows.visible(state.fleet!).filter { $0.state == .ok }.map(\.name) == ["auth-1", "node-2"])
        state.fleet?.rows[3]?.state = .ok
        _ = Reducer.fold(
            &state, .findings(FindingsEvent(instance: 3, report: FindingsReport(time: now, coverage: .full, findings: Self.findings(instance: "node-2")))))
        _ = Reducer.fold(
            &state,
            .findings(
                FindingsEvent(instance: 0, report: FindingsReport(time: now, coverage: .full, findings: Array(Self.findings(instance: "auth-1").suffix(2))))))
        #expect(FleetRows.visible(state.fleet!).filter { $0.state == .ok }.map(\.name) == ["node-2", "auth-1"])
        #expect(state.fleet?.findings[4] == FindingsSummary(count: 0, worst: nil))
    }

    @Test("Enter on an instance, then !: that instance's findings")
    func fleetInstance() {
        var state = FleetScreenTests.state()
        state.findings.enabled = true
        let now = FleetScreenTests.now
        _ = Reducer.fold(
            &state, .findings(FindingsEvent(instance: 4, report: FindingsReport(time: now, coverage: .full, findings: Self.findings(instance: "kube-1")))))
        _ = Reducer.fold(&state, .findings(FindingsEvent(instance: 0, report: FindingsReport(time: now, coverage: .full, findings: []))))
        state.fleet?.selectedID = 4
        _ = Reducer.fold(&state, .input(.key(.enter)))
        _ = Reducer.fold(&state, .input(.key(.character("!"))))
        #expect(state.tab == .findings)
        #expect(FindingsList.rows(state).map(\.finding.instance) == ["kube-1", "kube-1", "kube-1"])
        let text = DashboardView.render(state, width: 120, height: 30).text
        #expect(text.contains("[kube-1]"))
    }

    @Test("Every theme gives the finding roles a style of their own (the role map)")
    func roleMap() throws {
        var text = ""
        for name in ThemeLoader.builtinNames {
            let theme = try #require(ThemeLoader.builtin(name))
            for role in StyleRole.findings {
                #expect(theme.roles[role] != nil, "\(name) does not set \(role)")
                text += "\(name) \(role): \(theme.style(for: role))\n"
            }
            let styles = StyleRole.findings.map(theme.style(for:))
            #expect(Set(styles).count == 3, "\(name): two severities look alike")
        }
        // A theme written before the finding roles gets the defaults, not plain text.
        let old = Theme(name: "old", roles: [.text: RoleStyle(fg: .index(252))])
        #expect(old.style(for: .findingCritical) == Theme.findingDefaults[.findingCritical])
        Golden.check(text: text, "findings-role-map")
    }
}
