import Foundation
import TeleportTopTestPeers
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// Findings as a person meets them, under tmux against the Go fixture: a fault switched on
/// after a healthy baseline appears in the header and on `!`; Enter lands on its series,
/// Esc comes back, `m` mutes it, and once the fault ends it clears. The dashboard records
/// what it saw: the recording holds the fault, found again headless (`check --from --sweep`).
@Suite(
    "Findings under tmux", .serialized,
    .enabled(if: Prerequisites.required(Prerequisites.go && Prerequisites.which("tmux") != nil)))
struct FindingsTmuxTests {
    typealias Session = DashboardTmuxTests.Session
    let binary = Paths.teleportTopBinary.path
    /// Short windows (as `check`'s fault tests use): a baseline of 18 s, a recent window of 6 s.
    let windows = "--findings-recent 6s --findings-baseline 18s"

    /// Polls the screen until `holds` is true or 60 s have passed.
    func wait(_ session: Session, _ what: String, timeout: Duration = .seconds(60), until holds: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var screen = ""
        while ContinuousClock.now < deadline {
            screen = try session.capture()
            if holds(screen) { return screen }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("timed out waiting for \(what); the screen was:\n\(screen)")
        return screen
    }

    /// The header's third line (the findings line).
    func findingsLine(_ screen: String) -> String {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.count > 2 ? String(lines[2]) : ""
    }

    @Test(
        "Fault on: in the header and on ! within a minute; Enter lands on its series, Esc back, m mutes; fault off: it clears; the recording holds it")
    func faultLifecycle() async throws {
        let fixture = try await GoFixture.start()
        defer { Task { await fixture.stop() } }
        let recording = Paths.temporaryDirectory("findings-rec").appendingPathComponent("rec").path
        let session = try Session(width: 160, height: 48)
        try session.type(
            "\(binary) --otlp-grpc off --otlp-http off --diag-addr \(fixture.baseURL) --interval 500ms \(windows) --record \(recording) --log-file /tmp/tt-findings.log"
        )
        // The baseline fills first (24 s of history): the line stops saying so.
        _ = try await wait(session, "a full baseline") { screen in
            let line = findingsLine(screen)
            // A change (INFO) is only ranked once the baseline is full.
            return line.contains("findings:") && !line.contains("filling") && !line.contains("waiting") || line.contains("CRIT") || line.contains("WARN")
                || line.contains("INFO")
        }
        #expect(!findingsLine(try session.capture()).contains("backend"), "no backend finding before the fault")
        let faultOn = Date()
        #expect(try await HTTP.request(fixture.baseURL + "/fixture/fault?name=backend-slow&on=1", method: .POST).status == 200)
        var screen = try await wait(session, "the backend finding in the header") { findingsLine($0).contains("backend") }
        let header = findingsLine(screen)
        #expect(header.contains("WARN") || header.contains("CRIT"), "\(header)")
        #expect(Date().timeIntervalSince(faultOn) < 60)
        try session.send("!")
        screen = try await wait(session, "the Findings screen") { $0.contains(" Findings ·") && $0.contains("(backend-latency)") }
        // The worst finding is selected: Enter lands on its histogram.
        try session.send("Enter")
        screen = try await wait(session, "the evidence's histogram") { $0.contains("window      observations") }
        #expect(screen.contains("backend_"), "\(screen)")
        try session.send("Escape")
        screen = try await wait(session, "back on the Findings screen") { $0.contains(" Findings ·") }
        try session.send("m")
        screen = try await wait(session, "the finding muted") { $0.contains("muted (m unmutes)") }
        // The muted finding (the first row under the rule) leaves the header.
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        let rule = try #require(lines.firstIndex { $0.contains("muted (m unmutes)") })
        // Its name up to its figures (`backend write latency (component=backend)`).
        let row = lines[rule + 1].dropFirst(6)
        let muted = String(row.firstIndex(of: ")").map { row[...$0] } ?? row.prefix(25))
        #expect(!muted.isEmpty)
        #expect(!findingsLine(screen).contains(muted), "a muted finding leaves the header: \(findingsLine(screen)), muted \(muted)")
        #expect(try await HTTP.request(fixture.baseURL + "/fixture/fault?name=backend-slow&on=0", method: .POST).status == 200)
        screen = try await wait(session, "the finding cleared", timeout: .seconds(90)) { !$0.contains("(backend-latency)") && $0.contains(" Findings ·") }
        try session.send("q")
        _ = try await wait(session, "the shell prompt") { $0.contains("shell> ") && !$0.contains(" Findings ·") }
        // What the dashboard recorded holds the fault: evaluated at the dashboard's cadence
        // (`check --from --sweep`), the finding opens within a minute of the fault.
        let opened = try await firstEvaluation(recording, with: "backend-latency")
        #expect(opened >= faultOn.addingTimeInterval(-1) && opened <= faultOn.addingTimeInterval(60), "opened at \(opened), fault on at \(faultOn)")
    }

    /// The time of the first evaluation of `check --from --sweep` that holds `check`.
    func firstEvaluation(_ recording: String, with check: String) async throws -> Date {
        let result = try await runOffPool(binary, ["check", "--from", recording, "--sweep", "--recent", "6s", "--baseline", "18s"])
        struct Line: Decodable {
            var time: Date?
            var findings: [FindingsDocument.Item]
        }
        let decoder = SnapshotDocument.decoder()
        for line in result.stdout.split(separator: "\n") {
            let evaluation = try decoder.decode(Line.self, from: Data(line.utf8))
            if evaluation.findings.contains(where: { $0.check == check }), let time = evaluation.time { return time }
        }
        throw FixtureError("no evaluation of the sweep holds \(check):\n\(result.stdout)")
    }

    /// `05:32:40 UTC`.
    static func clock(_ date: Date) -> String { FindingFigure.clock(date) }
}
