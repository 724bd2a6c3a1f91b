import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore

/// The Go fixture's fault switches against `teleport-top check`: each fault, switched on after
/// a healthy baseline while process_state stays ok, is ranked first; once it ends, it clears.
@Suite("teleport-top check against the Go fixture's faults", .serialized)
struct CheckFaultTests {
    let binary = Paths.teleportTopBinary.path
    let windows = ["--interval", "500ms", "--recent", "6s", "--baseline", "18s", "--json"]

    /// Runs `check` for `seconds` against `fixture`, calling `during` with the seconds since
    /// it started; returns the findings document and the exit status.
    func check(_ fixture: GoFixture.Instance, seconds: Int, at moments: [(Double, String)]) async throws -> (FindingsDocument, Int32) {
        let child = try ChildProcess(binary, ["check", "--diag-addr", fixture.baseURL, "--for", "\(seconds)s"] + windows)
        let clock = ContinuousClock()
        let start = clock.now
        // The fixture switches each fault by its own clock (a test task on a loaded machine
        // may wake up seconds late: a fault sent late would miss the check's window).
        for (offset, path) in moments {
            let elapsed = (clock.now - start) / .seconds(1)
            let answer = try await HTTP.request(fixture.baseURL + path + "&after=\(max(0.001, offset - elapsed))", method: .POST)
            #expect(answer.status == 200 && answer.text.contains("scheduled"), "\(path)")
        }
        let deadline = clock.now + .seconds(seconds + 120)
        while child.process.isRunning, clock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!child.process.isRunning, "check did not end")
        let status = child.process.terminationStatus
        let document = try SnapshotDocument.decoder().decode(FindingsDocument.self, from: Data(child.stdout.joined(separator: "\n").utf8))
        return (document, status)
    }

    @Test(
        "Each fault switched on after the baseline ranks first within a minute, with process_state ok",
        .enabled(if: Prerequisites.required(Prerequisites.go)),
        arguments: [
            ("backend-slow", "backend-latency"), ("cache-stale", "cache-stale"), ("tunnels-dropping", "connections-dropping"),
            ("audit-failing", "audit-failed-emits"), ("grpc-method-failing", "grpc-errors"),
        ])
    func faultRanksFirst(fault: String, expected: String) async throws {
        let fixture = try await GoFixture.start()
        let (document, status) = try await check(fixture, seconds: 32, at: [(22, "/fixture/fault?name=\(fault)&on=1")])
        await fixture.stop()
        let first = try #require(document.findings.first, "no finding for \(fault)")
        #expect(first.check == expected, "\(fault): \(document.findings.map(\.title))")
        #expect(first.severity >= .warning)
        #expect(status == (first.severity == .critical ? 2 : 1))
        #expect(!document.findings.contains { $0.check.hasPrefix("state") })
    }

    @Test("Leaking goroutines are told as a steady climb", .enabled(if: Prerequisites.required(Prerequisites.go)))
    func goroutinesLeaking() async throws {
        let fixture = try await GoFixture.start(["-fault", "goroutines-leaking"])
        // The climb reads twice the windows (48 s) in 6 s slots.
        let (document, status) = try await check(fixture, seconds: 50, at: [])
        await fixture.stop()
        let first = try #require(document.findings.first)
        #expect(first.check == "goroutines-climbing", "\(document.findings.map(\.title))")
        #expect(status == 1)
    }

    @Test(
        "A fault that ended clears: the recent window is healthy again",
        .enabled(if: Prerequisites.required(Prerequisites.go)),
        arguments: ["backend-slow", "cache-stale", "tunnels-dropping", "goroutines-leaking", "audit-failing", "grpc-method-failing"])
    func faultClears(fault: String) async throws {
        let fixture = try await GoFixture.start()
        // The leak's climb is read over twice the windows (48 s): it runs from the start, so
        // that its rise and its release both fall in the check's last 48 s.
        let (on, off, seconds) = fault == "goroutines-leaking" ? (1.0, 26.0, 50) : (12.0, 24.0, 40)
        let (document, status) = try await check(
            fixture, seconds: seconds, at: [(on, "/fixture/fault?name=\(fault)&on=1"), (off, "/fixture/fault?name=\(fault)&on=0")])
        await fixture.stop()
        #expect(status == 0, "\(document.findings.map(\.title))")
        #expect(document.findings.allSatisfy { $0.severity == .info })
    }
}
