import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore

/// `teleport-top check` of a fleet: polled directly and recorded, or read from a real
/// Prometheus server, each instance is checked and named.
@Suite("teleport-top check of a fleet, end to end", .serialized)
struct CheckFleetTests {
    let binary = Paths.teleportTopBinary.path
    let windows = ["--interval", "500ms", "--recent", "6s", "--baseline", "18s"]

    func document(_ stdout: String) throws -> FindingsDocument {
        try SnapshotDocument.decoder().decode(FindingsDocument.self, from: Data(stdout.utf8))
    }

    @Test(
        "A fleet checked directly names the instance in trouble; its recording checked again gives the same findings",
        .enabled(if: Prerequisites.required(Prerequisites.go)))
    func directFleetRecorded() async throws {
        let healthy = try await GoFixture.start()
        let recovering = try await GoFixture.start(["-state", "recovering"])
        let targets = [healthy.baseURL, recovering.baseURL].map { $0.replacingOccurrences(of: "http://", with: "") }
        let dir = Paths.temporaryDirectory("check-fleet-record").appendingPathComponent("rec").path
        let live = try run(
            binary, ["check", "--diag-addr", targets[0], "--diag-addr", targets[1], "--json", "--for", "8s", "--record", dir] + windows)
        await healthy.stop()
        await recovering.stop()
        #expect(live.status == 1, "\(live.stdout) \(live.stderr)")
        let doc = try document(live.stdout)
        let state = try #require(doc.findings.first { $0.check == "state-recovering" }, "\(doc.findings.map(\.title))")
        #expect(state.instance?.hasSuffix(targets[1]) == true, "\(state.instance ?? "")")
        #expect(!doc.findings.contains { $0.instance?.hasSuffix(targets[0]) == true && $0.severity >= .warning })

        let replayed = try run(binary, ["check", "--from", dir, "--json", "--recent", "6s", "--baseline", "18s"])
        #expect(replayed.status == live.status, "\(replayed.stderr)")
        let again = try document(replayed.stdout)
        #expect(again.findings == doc.findings)
        #expect(again.time == doc.time)
        #expect(again.findings.first { $0.check == "state-recovering" }?.instance == state.instance)
    }

    @Test(
        "A fleet read from Prometheus is checked instance by instance from the engine's raw samples",
        .enabled(if: Prerequisites.required(Prerequisites.go) && PrometheusServer.available))
    func prometheusInstances() async throws {
        let healthy = try await GoFixture.start()
        let recovering = try await GoFixture.start(["-state", "recovering"])
        let targets = [healthy.baseURL, recovering.baseURL].map { $0.replacingOccurrences(of: "http://", with: "") }
        let prometheus = try await PrometheusServer.start(targets: targets)
        try await prometheus.waitUntil(timeout: .seconds(90), "every target scraped") {
            let up = await prometheus.targets()
            return targets.allSatisfy { up[$0]?.scraped == true && up[$0]?.health == "up" }
        }
        let result = try run(binary, ["check", "--prometheus", prometheus.url, "--json", "--recent", "6s", "--baseline", "18s"])
        await prometheus.stop()
        await healthy.stop()
        await recovering.stop()
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        let doc = try document(result.stdout)
        let state = try #require(doc.findings.first { $0.check == "state-recovering" }, "\(doc.findings.map(\.title))")
        #expect(state.instance == targets[1])
        #expect(!doc.findings.contains { $0.instance == targets[0] && $0.severity >= .warning }, "\(doc.findings.map(\.title))")
    }
}
