import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore

/// `teleport-top check` as a monitoring system runs it: findings, text and JSON, exit codes.
@Suite("teleport-top check, end to end", .serialized)
struct CheckCommandTests {
    let binary = Paths.teleportTopBinary.path
    /// Short windows so a test watches seconds, not minutes.
    let windows = ["--interval", "500ms", "--recent", "6s", "--baseline", "18s"]

    func document(_ stdout: String) throws -> FindingsDocument {
        try SnapshotDocument.decoder().decode(FindingsDocument.self, from: Data(stdout.utf8))
    }

    @Test(
        "A healthy Go fixture watched over the baseline and recent windows raises no warning: exit 0",
        .enabled(if: Prerequisites.required(Prerequisites.go)))
    func healthyFixture() async throws {
        let fixture = try await GoFixture.start()
        let result = try run(binary, ["check", "--diag-addr", fixture.baseURL, "--json", "--for", "30s"] + windows)
        await fixture.stop()
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let doc = try document(result.stdout)
        #expect(doc.status == "ok")
        #expect(doc.historySeconds == 24 && doc.neededSeconds == 24)
        #expect(doc.findings.allSatisfy { $0.severity == .info }, "\(doc.findings.map(\.title))")
    }

    @Test(
        "A degraded process is critical (exit 2), recovering a warning (exit 1); short history says so",
        .enabled(if: Prerequisites.required(Prerequisites.go)))
    func stateExitCodes() async throws {
        for (state, status, check, line) in [
            ("degraded", Int32(2), "state-degraded", "CRITICAL process degraded"), ("recovering", 1, "state-recovering", "WARNING  process recovering"),
        ] {
            let fixture = try await GoFixture.start(["-state", state])
            let text = try run(binary, ["check", "--diag-addr", fixture.baseURL, "--for", "1s"] + windows)
            let json = try run(binary, ["check", "--diag-addr", fixture.baseURL, "--for", "1s", "--json"] + windows)
            await fixture.stop()
            #expect(text.status == status, "\(text.stdout) \(text.stderr)")
            #expect(text.stdout.contains(line), "\(text.stdout)")
            #expect(text.stdout.contains("note: history"))
            #expect(json.status == status)
            let doc = try document(json.stdout)
            #expect(doc.findings.first?.check == check)
            #expect(doc.status == (status == 2 ? "critical" : "warning"))
        }
    }

    @Test("Bad options and an unreachable target exit 3 (could not tell) with one line")
    func couldNotTell() throws {
        let badDuration = try run(binary, ["check", "--for", "banana"])
        #expect(badDuration.status == 3)
        #expect(badDuration.stderr.contains("banana"))
        let atWithoutFrom = try run(binary, ["check", "--diag-addr", "127.0.0.1:1", "--at=-5m"])
        #expect(atWithoutFrom.status == 3)
        #expect(atWithoutFrom.stderr == "teleport-top: --at goes with --from RECORDING\n")
        let baseline = try run(binary, ["check", "--diag-addr", "127.0.0.1:1", "--recent", "2m", "--baseline", "1m"])
        #expect(baseline.status == 3)
        let down = try run(binary, ["check", "--diag-addr", "127.0.0.1:1", "--for", "1s", "--interval", "500ms", "--timeout", "1s"])
        #expect(down.status == 3)
        #expect(down.stderr.hasPrefix("teleport-top: "))
        #expect(down.stdout.isEmpty)
        let missing = try run(binary, ["check", "--from", Paths.temporaryDirectory("check-none").appendingPathComponent("nothing").path])
        #expect(missing.status == 3)
    }

    @Test(
        "check --from the recording of a live check gives the same findings as the live check",
        .enabled(if: Prerequisites.required(Prerequisites.go)))
    func recordingEqualsLive() async throws {
        let fixture = try await GoFixture.start(["-state", "recovering"])
        let dir = Paths.temporaryDirectory("check-record").appendingPathComponent("rec").path
        let live = try run(binary, ["check", "--diag-addr", fixture.baseURL, "--json", "--for", "26s", "--record", dir] + windows)
        await fixture.stop()
        let replayed = try run(binary, ["check", "--from", dir, "--json", "--recent", "6s", "--baseline", "18s"])
        #expect(live.status == 1, "\(live.stderr)")
        #expect(replayed.status == live.status, "\(replayed.stderr)")
        let a = try document(live.stdout)
        let b = try document(replayed.stdout)
        #expect(a.time == b.time)
        #expect(a.historySeconds == b.historySeconds)
        #expect(a.findings == b.findings)
        #expect(!a.findings.isEmpty)
    }

    /// What a degraded episode shows: the checks of the state and the heartbeats.
    static let episodeChecks: Set<String> = [
        "state-degraded", "state-recovering", "state-degraded-recently", "state-flapping", "heartbeats-missed",
    ]

    @Test("The engine's degraded episodes are real findings and nothing else warns (serve with a fault schedule)")
    func episodesOnly() async throws {
        let data = Paths.temporaryDirectory("check-serve")
        let serve = try ChildProcess(
            binary,
            [
                "serve", "--diag-addr", "127.0.0.1:0", "--data-dir", data.path, "--heartbeat", "2s", "--retry", "1s", "--check-period", "1s",
                "--fault-schedule", "ok:6,fail:2",
            ])
        let line = try await serve.waitForLine(inStderr: true) { $0.contains("diag listener started") }
        let addr = String(try #require(line.split(separator: " ").first { $0.hasPrefix("addr=") }).dropFirst(5))
        let result = try run(binary, ["check", "--diag-addr", addr, "--json", "--for", "30s"] + windows)
        _ = await serve.stop()
        let doc = try document(result.stdout)
        let alarms = doc.findings.filter { $0.severity != .info }
        #expect(!alarms.isEmpty, "no episode seen in 30 s")
        // Besides the episodes, the simulation raises proxy_missing_ssh_tunnels for 20 s now and
        // then (SimulationProfiles: about once per 15 minutes): trouble it shows, told truly.
        #expect(
            alarms.allSatisfy { Self.episodeChecks.contains($0.check) || $0.check == "missing-ssh-tunnels" && $0.value.map { $0 >= 1 } == true },
            "\(alarms.map(\.title))")
        #expect(result.status == (alarms.contains { $0.severity == .critical } ? 2 : 1))
    }
}
