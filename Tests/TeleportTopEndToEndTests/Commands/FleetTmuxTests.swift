import Foundation
import TeleportTopTestPeers
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics

/// The embedded fleet as a person sees it, at 80x24 and 200x60: the summary, a degraded
/// instance first, Enter into it, Esc back, I from a tab, q with the terminal given back.
@Suite("Fleet under tmux", .serialized, .enabled(if: Prerequisites.required(Prerequisites.which("tmux") != nil)))
struct FleetTmuxTests {
    let binary = Paths.teleportTopBinary.path

    @Test("embedded fleet of 8: summary, x fails the selected instance and it sorts first, Enter and Esc, I, q", arguments: [(80, 24), (200, 60)])
    func fleet(width: Int, height: Int) async throws {
        let session = try DashboardTmuxTests.Session(width: width, height: height)
        let plan = EmbeddedFleet.plan(count: 8, seed: 1)
        let sttyFile = try session.typeWithStty("\(binary) --embedded --instances 8 --interval 1s --otlp-grpc off --otlp-http off --log-file /tmp/tt-fleet.log")
        var screen = try await session.wait(for: "versions v\(EmbeddedFleet.newest)", timeout: .seconds(60))
        #expect(screen.contains("I Fleet") && screen.contains("8 instances"))
        for member in plan { _ = try await session.wait(for: member.name) }
        // Wait for every instance to be OK, then fail the last row's instance: it sorts first.
        // Rows can move between the capture and the keys (the simulation's own episodes and
        // findings re-sort the table), so the failed one is the instance that comes to lead
        // degraded or recovering; Enter below must then open it (the cursor follows it).
        screen = try await session.wait(for: "8 OK", timeout: .seconds(60))
        func rows(_ screen: String) -> [Substring] { screen.split(separator: "\n").filter { line in plan.contains { line.hasPrefix(" \($0.name) ") } } }
        func bad(_ row: Substring) -> Bool { row.contains("DEGRADED") || row.contains("RECOVERING") }
        let badBefore = Set(rows(screen).filter(bad).compactMap { $0.split(separator: " ").first.map(String.init) })
        try session.send("G")
        try session.send("x")
        // The failed instance leads the table while it is degraded, then recovering (the
        // simulation retries a failed heartbeat within seconds, so either may be on screen).
        // An episode lasts about ten seconds; on a loaded machine this task may not run for
        // that long, so x is sent again every few seconds (the cursor stays on the failed
        // instance wherever it sorts) and the instance stays failed until it is seen.
        let deadline = ContinuousClock.now + .seconds(60)
        var again = ContinuousClock.now + .seconds(3)
        var led = false
        var lastName: String?
        while !led && ContinuousClock.now < deadline {
            screen = try session.capture()
            let firstRow = rows(screen).first ?? ""
            let name = firstRow.split(separator: " ").first.map(String.init)
            led = bad(firstRow) && name.map { !badBefore.contains($0) } == true
            if led {
                lastName = name
            } else {
                if ContinuousClock.now >= again {
                    try session.send("x")
                    again = ContinuousClock.now + .seconds(3)
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        #expect(led, "the failed instance never led the table:\n\(screen)")
        // Enter opens the selected (the cursor stayed on it while it moved up).
        try session.send("Enter")
        _ = try await session.wait(for: "simulated · \(lastName ?? "")")
        _ = try await session.wait(for: "state, last")  // the Overview (a frame can be read while it is drawn)
        try session.send("Escape")
        _ = try await session.wait(for: "8 instances")
        // From a tab of an instance, I returns.
        try session.send("Enter")
        _ = try await session.wait(for: "simulated · \(lastName ?? "")")
        try session.send("7")
        _ = try await session.wait(for: "Runtime")
        try session.send("I")
        _ = try await session.wait(for: "8 instances")
        try session.send("q")
        let words = try await session.sttyWords(sttyFile)
        #expect(words.contains("icanon") && words.contains("echo"))
    }
}
