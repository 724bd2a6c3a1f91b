import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore

/// A goroutine leak found as a person would: the dashboard on the Go fixture under tmux, a
/// goroutine capture marked as the baseline (`b`), the fixture's leak switched on, a second
/// capture opened and diffed (`D`): the leak is the top growing stack, and the flame graph
/// paints it as grown and new, with its legend.
@Suite(
    "Profile diffs under tmux", .serialized,
    .enabled(if: Prerequisites.required(Prerequisites.which("tmux") != nil) && Prerequisites.required(Prerequisites.go)))
struct ProfileDiffTmuxTests {
    let binary = Paths.teleportTopBinary.path

    /// The fixture's goroutine count, from `/debug/pprof/goroutine?debug=1`'s first line.
    func goroutines(_ fixture: GoFixture.Instance) async throws -> Int {
        let text = try await HTTP.request(fixture.baseURL + "/debug/pprof/goroutine?debug=1").text
        let first = text.split(separator: "\n").first ?? ""
        return Int(first.split(separator: " ").last ?? "") ?? 0
    }

    @Test("b on a goroutine capture, the leak on, a second capture, D: the leak grew first; F: the flame graph says grew and new")
    func goroutineLeak() async throws {
        let fixture = try await GoFixture.start(["-debug"])
        let directory = Paths.temporaryDirectory("tmux-diff")
        let session = try DashboardTmuxTests.Session(width: 160, height: 48)
        try session.type(
            "\(binary) --otlp-grpc off --otlp-http off --diag-addr \(fixture.baseURL) --profile-dir \(directory.path) --log-file /tmp/tt-diff-tmux.log")
        _ = try await session.wait(for: " OK ")
        try session.send("9")
        _ = try await session.wait(for: "[x] goroutine")
        // Only goroutine checked: uncheck profile (row 0) and heap (row 1), capture.
        try session.send("Space")
        try session.send("Down")
        try session.send("Space")
        _ = try await session.wait(for: "[ ] heap")
        try session.send("Enter")
        _ = try await session.wait(for: "-goroutine-")
        // The capture is row 9, below the nine kinds: b marks it.
        for _ in 0..<8 { try session.send("Down") }
        try session.send("b")
        var screen = try await session.wait(for: "baseline for goroutine")
        #expect(screen.split(separator: "\n").contains { $0.contains("goroutine") && $0.contains("baseline  ") }, "\(screen)")

        let before = try await goroutines(fixture)
        let on = try await HTTP.request(fixture.baseURL + "/fixture/fault?name=goroutines-leaking&on=1", method: .POST)
        #expect(on.status == 200)
        let deadline = ContinuousClock.now + .seconds(60)
        while try await goroutines(fixture) < before + 40, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }

        // Back to the checklist's last row, capture again, open the new capture (row 10).
        try session.send("Up")
        try session.send("Enter")
        let deadline2 = ContinuousClock.now + .seconds(60)
        while try session.capture().components(separatedBy: "-goroutine-").count < 3, ContinuousClock.now < deadline2 {
            try await Task.sleep(for: .milliseconds(100))
        }
        try session.send("Down")
        try session.send("Down")
        try session.send("Enter")
        screen = try await session.wait(for: "D: diff vs baseline")
        try session.send("D")
        screen = try await session.wait(for: "most growth first")
        #expect(screen.contains("diff -diff_base vs "), "\(screen)")
        let lines = screen.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("  change   then    now  stack") })
        let top = lines[header + 1]
        #expect(top.contains("main.leakLoop.func1"), "\(screen)")
        // "    +140      0    140  main.leakLoop.func1 (in runtime.gopark)": grew from none.
        let columns = top.split(separator: " ")
        #expect(columns.first?.hasPrefix("+") == true && (Int(columns.first?.dropFirst() ?? "") ?? 0) >= 40, "\(top)")
        #expect(columns.count > 2 && columns[1] == "0", "\(top)")

        try session.send("F")
        screen = try await session.wait(for: " grew ")
        _ = try await session.wait(for: "main.leakLoop.func1 (new) +")
        #expect(screen.contains(" shrank ") && screen.contains(" within ±"))
        // The leak's frames are painted as grown (the default theme's flame-grew background).
        let escapes = try session.capture(escapes: true)
        #expect(escapes.contains("48;5;203m▏main.leakLoop.func1 (new)"), "\(escapes)")
        try session.send("q")
        await fixture.stop()
    }
}
