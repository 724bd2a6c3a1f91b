import Foundation
import Synchronization
import TeleportTopTestPeers
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportTopData

/// Fleets as a user runs them: `serve --instances N --targets-out`, `snapshot --targets`,
/// `snapshot --embedded --instances`, a file of 50 targets of which 10 are closed ports.
@Suite("fleet commands, end to end", .serialized)
struct FleetCommandTests {
    let binary = Paths.teleportTopBinary.path

    func fleetDocument(_ arguments: [String], expectStatus: Int32 = 0) async throws -> FleetDocument {
        let result = try await runWithDeadlineOffPool(binary, ["snapshot", "--json", "--interval", "500ms"] + arguments, timeout: .seconds(90))
        #expect(result.status == expectStatus, "\(result.stderr)")
        return try SnapshotDocument.decoder().decode(FleetDocument.self, from: Data(result.stdout.utf8))
    }

    @Test("snapshot --embedded --instances 6: roles, versions with skew, states, one object per instance")
    func embedded() async throws {
        // Rates need both polls to succeed; an instance in a simulated outage at the first one
        // (its episodes run on the wall clock, so a slow start shifts them) has none: ask again.
        var doc = try await fleetDocument(["--embedded", "--instances", "6", "--seed", "7"])
        for _ in 0..<4 where doc.instances.contains(where: { $0.cpuCores == nil || $0.grpcRequestsPerSecond == nil }) {
            doc = try await fleetDocument(["--embedded", "--instances", "6", "--seed", "7"])
        }
        let plan = EmbeddedFleet.plan(count: 6, seed: 7)
        #expect(doc.instances.count == 6)
        #expect(Set(doc.instances.map(\.name)) == Set(plan.map(\.name)))
        for member in plan {
            let instance = try #require(doc.instances.first { $0.name == member.name })
            #expect(instance.version == member.version)
            #expect(instance.versionBehind == (member.version != EmbeddedFleet.newest))
            #expect(instance.roles == FleetRow.roles(member.services))
            #expect(["ok", "starting", "recovering", "degraded"].contains(instance.state))
            // Rates over the half second between the two scrapes (a p99 needs reads in it: not asserted).
            #expect(instance.cpuCores != nil && instance.grpcRequestsPerSecond != nil)
            #expect(instance.goroutines == nil)  // the simulation is not a Go process: absent, not zero
            #expect(instance.hostName == member.name)
        }
        // Headless commands never start the simulation without --embedded.
        let refused = try await runWithDeadlineOffPool(binary, ["snapshot", "--instances", "3"], timeout: .seconds(30))
        #expect(refused.status != 0 && refused.stderr.contains("--embedded"), "\(refused.status) \(refused.stderr)")
    }

    @Test("a targets file of 50: 40 live (serve --instances 4, each named ten times), 10 closed ports shown unreachable")
    func fiftyTargets() async throws {
        let dir = Paths.temporaryDirectory("fleet")
        let written = dir.appendingPathComponent("serve.yaml").path
        let serve = try ChildProcess(binary, ["serve", "--instances", "4", "--seed", "3", "--targets-out", written])
        _ = try await serve.waitForLine(inStderr: true) { $0.contains("simulated fleet running") }
        let live = try TargetsFile.load(written)
        #expect(live.map(\.name) == EmbeddedFleet.plan(count: 4, seed: 3).map(\.name))
        var entries: [FleetTargetEntry] = []
        for copy in 0..<10 {
            for entry in live { entries.append(FleetTargetEntry(name: "\(entry.name)-\(copy)", diagAddr: entry.diagAddr)) }
        }
        let closed = (0..<10).map { _ in Ports.closed() }
        for (i, port) in closed.enumerated() { entries.append(FleetTargetEntry(name: "closed-\(i)", diagAddr: "127.0.0.1:\(port)")) }
        let file = dir.appendingPathComponent("fifty.yaml").path
        try TargetsFile.render(entries).write(toFile: file, atomically: true, encoding: .utf8)
        let started = ContinuousClock.now
        let doc = try await fleetDocument(["--targets", file])
        let elapsed = ContinuousClock.now - started
        #expect(doc.instances.count == 50)
        let down = doc.instances.filter { $0.state == "unreachable" }
        #expect(Set(down.map(\.name)) == Set((0..<10).map { "closed-\($0)" }))
        for instance in down {
            #expect(instance.scrapeError?.contains("connection refused") == true)
            #expect(instance.version == nil && instance.cpuCores == nil)
        }
        // Worst first: the unreachable ones lead unless something is degraded.
        #expect(doc.instances.prefix(while: { $0.state == "degraded" }).count + 10 <= 50)
        #expect(doc.instances.drop(while: { $0.state == "degraded" }).prefix(10).allSatisfy { $0.state == "unreachable" })
        for instance in doc.instances where !instance.name.hasPrefix("closed") {
            #expect(instance.version != nil && instance.scrapeError == nil)
        }
        // Closed ports fail at once: the whole snapshot is two rounds, not ten timeouts.
        #expect(elapsed < .seconds(30), "\(elapsed)")
        // Text output: one line per instance.
        let text = try await runWithDeadlineOffPool(binary, ["snapshot", "--targets", file, "--interval", "500ms"], timeout: .seconds(90))
        #expect(text.status == 0)
        #expect(text.stdout.split(separator: "\n").count == 52)
        #expect(text.stdout.contains("UNREACHABLE") && text.stdout.contains("connection refused"))
        _ = await serve.stop()
        // Every target closed: exit 1.
        let allDown = dir.appendingPathComponent("down.yaml").path
        try TargetsFile.render([FleetTargetEntry(name: "x", diagAddr: "127.0.0.1:\(closed[0])")]).write(toFile: allDown, atomically: true, encoding: .utf8)
        let allDownResult = try await runWithDeadlineOffPool(binary, ["snapshot", "--targets", allDown, "--interval", "250ms"], timeout: .seconds(60))
        #expect(allDownResult.status == 1)
    }

    @Test("targets file errors reach the user as one line naming the file and line")
    func fileErrors() async throws {
        let dir = Paths.temporaryDirectory("fleet-err")
        let file = dir.appendingPathComponent("bad.yaml").path
        try "- name: a\n  diag_addr: 127.0.0.1:3000\n- name: b\n  port: 1\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await runWithDeadlineOffPool(binary, ["snapshot", "--targets", file], timeout: .seconds(30))
        #expect(result.status != 0)
        #expect(result.stderr.contains("bad.yaml line 4: unknown key \"port\""), "\(result.stderr)")
    }

    @Test("the poll gate never lets more than its limit through, and lets every waiter through in the end")
    func gate() async {
        let gate = PollGate(limit: 3)
        let peak = Peak()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    await gate.enter()
                    peak.state.withLock {
                        $0.now += 1
                        $0.max = max($0.max, $0.now)
                    }
                    try? await Task.sleep(for: .milliseconds(5))
                    peak.state.withLock { $0.now -= 1 }
                    gate.leave()
                }
            }
        }
        #expect(peak.state.withLock { $0.max } <= 3)
        #expect(peak.state.withLock { $0.max } >= 1)
        #expect(gate.inFlight == 0)
    }
}

/// Polls in flight now and at most.
final class Peak: Sendable {
    let state = Mutex((now: 0, max: 0))
}
