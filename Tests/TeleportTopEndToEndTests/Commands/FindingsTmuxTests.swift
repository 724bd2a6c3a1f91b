import Foundation
import TeleportTopTestPeers
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// Findings as a person meets them, under tmux against the Go fixture: a fault switched on
/// after a healthy baseline appears in the header and on `!`; Enter lands on its series,
/// Esc comes back, `m` mutes it, and once the fault ends it clears. The dashboard records
/// what it saw: in the replay, `)` lands on the moment the fault's finding opened.
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
        "Fault on: in the header and on ! within a minute; Enter lands on its series, Esc back, m mutes; fault off: it clears; replay: ) lands where it opened")
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
            return line.contains("findings:") && !line.contains("filling") && !line.contains("waiting") || line.contains("CRIT") || line.contains("WARN")
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

        // The replay of what the dashboard saw: `)` until the fault's finding is on screen.
        try session.type("clear; \(binary) replay \(recording) \(windows) --log-file /tmp/tt-findings-replay.log")
        _ = try await wait(session, "the replay") { $0.contains("REPLAY ") }
        try session.send("!")
        var cursor: Date?
        var previous: Date?
        for _ in 0..<40 {
            try session.send(")")
            // Settled: the cursor moved and the findings shown are those evaluated at it.
            screen = try await wait(session, "the replay's move") { screen in
                if screen.contains("still reading the recording") || screen.contains("no finding opened after this") { return true }
                guard let at = Self.cursor(screen), at != previous else { return false }
                return screen.contains("evaluated at \(Self.clock(at))")
            }
            if screen.contains("still reading the recording") {
                // The index is not done: clear the notice (Esc acts on nothing here), then again.
                try session.send("Escape")
                _ = try await wait(session, "the notice cleared") { !$0.contains("still reading the recording") }
                try await Task.sleep(for: .seconds(1))
                continue
            }
            previous = Self.cursor(screen)
            if screen.contains("(backend-latency)") {
                cursor = previous
                break
            }
            if screen.contains("no finding opened after this") { break }
        }
        let landed = try #require(cursor, "`)` never landed on the backend finding:\n\(screen)")
        #expect(findingsLine(screen).contains("backend") || screen.contains("(backend-latency)"))
        #expect(landed >= faultOn.addingTimeInterval(-1) && landed <= faultOn.addingTimeInterval(60), "landed at \(landed), fault on at \(faultOn)")
        try session.send("q")
        // Checked independently, headless over the same recording: not open at the evaluation
        // before (5 s of polling earlier), open a second after the cursor's second.
        let before = try await check(recording, at: landed.addingTimeInterval(-6))
        let after = try await check(recording, at: landed.addingTimeInterval(1))
        #expect(!before.contains { $0.check == "backend-latency" }, "\(before.map(\.title))")
        #expect(after.contains { $0.check == "backend-latency" }, "\(after.map(\.title))")
    }

    /// `check --from` at a time: the findings.
    func check(_ recording: String, at time: Date) async throws -> [FindingsDocument.Item] {
        let formatter = ISO8601DateFormatter()
        let result = try await runOffPool(
            binary, ["check", "--from", recording, "--at", formatter.string(from: time), "--recent", "6s", "--baseline", "18s", "--json"])
        return try SnapshotDocument.decoder().decode(FindingsDocument.self, from: Data(result.stdout.utf8)).findings
    }

    /// `05:32:40 UTC`.
    static func clock(_ date: Date) -> String { FindingFigure.clock(date) }

    /// The replay's cursor, to the second, from the header (`REPLAY 2026-12-02 05:32:40 UTC`).
    static func cursor(_ screen: String) -> Date? {
        guard let range = screen.range(of: #"REPLAY \d{4}-\d\d-\d\d \d\d:\d\d:\d\d"#, options: .regularExpression) else { return nil }
        let text = screen[range].dropFirst("REPLAY ".count).replacingOccurrences(of: " ", with: "T") + "Z"
        return ISO8601DateFormatter().date(from: text)
    }
}
