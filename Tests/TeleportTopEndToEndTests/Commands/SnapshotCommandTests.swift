import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

/// `teleport-top snapshot` and `log-level` as a user runs them.
@Suite("teleport-top snapshot and log-level, end to end", .serialized)
struct SnapshotCommandTests {
    let binary = Paths.teleportTopBinary.path

    func document(_ arguments: [String]) throws -> SnapshotDocument {
        let result = try run(binary, ["snapshot", "--json", "--interval", "500ms"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try SnapshotDocument.decoder().decode(SnapshotDocument.self, from: Data(result.stdout.utf8))
    }

    func family(_ document: SnapshotDocument, _ name: String) throws -> SnapshotDocument.Family {
        try #require(document.groups.flatMap(\.families).first { $0.name == name }, "no \(name)")
    }

    @Test(
        "snapshot --json against a real client_golang process: state, build, rates, quantiles, groups",
        .enabled(if: Prerequisites.required(Prerequisites.go)))
    func againstGo() async throws {
        let fixture = try await GoFixture.start(["-state", "recovering"])
        let doc = try document(["--diag-addr", fixture.baseURL])
        #expect(doc.source == "diag-addr")
        #expect(doc.state == .recovering)
        #expect(doc.readyz?.statusCode == 400)
        #expect(doc.pid == Int(fixture.process.process.processIdentifier))
        #expect(doc.build?.version == "15.4.2")
        #expect(doc.intervalSeconds == 0.5)
        #expect((doc.uptimeSeconds ?? -1) >= 0)
        let requests = try family(doc, "backend_requests")
        #expect(requests.type == .counter)
        #expect(requests.catalogSections.contains("Auth Service and backends"))
        #expect(requests.series.contains { ($0.rate?.value ?? 0) > 0 })
        let read = try family(doc, "backend_read_seconds")
        let window = try #require(read.histograms.first?.quantiles["last"])
        #expect(window.observations.value > 0)
        let p99 = try #require(window.p99)
        #expect(p99.value.value > 0 && p99.value.value <= 32.768)
        #expect(try family(doc, "go_goroutines").series.first.map { $0.value.value } ?? 0 >= 1)
        #expect(doc.groups.first { $0.group == .runtime }?.families.contains { $0.name == "process_cpu_seconds_total" } == true)
        #expect(try family(doc, "fixture_rpc_duration_seconds").summaries.first?.quantiles["0.99"] != nil)
        #expect(doc.groups.last?.group == .other)
        await fixture.stop()
    }

    @Test("snapshot against teleport-top serve, as text and JSON; a dead target fails with one line")
    func againstServe() async throws {
        let data = Paths.temporaryDirectory("snap")
        let serve = try ChildProcess(binary, ["serve", "--diag-addr", "127.0.0.1:0", "--data-dir", data.path])
        let line = try await serve.waitForLine(inStderr: true) { $0.contains("diag listener started") }
        let addr = String(try #require(line.split(separator: " ").first { $0.hasPrefix("addr=") }).dropFirst(5))
        let doc = try document(["--diag-addr", addr])
        #expect(doc.state == .ok)
        #expect(doc.build?.gitref == "simulated")
        #expect(try family(doc, "grpc_server_handled_total").series.contains { ($0.rate1m?.value ?? 0) > 0 })
        let viaSocket = try document(["--debug-socket", data.appendingPathComponent("debug.sock").path])
        #expect(viaSocket.source == "debug-socket")
        #expect(viaSocket.pid == Int(serve.process.processIdentifier))
        let text = try run(binary, ["snapshot", "--diag-addr", addr, "--interval", "300ms"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("state      OK  (/readyz 200 \"ok\")"))
        #expect(text.stdout.contains("== Auth & backends =="))
        #expect(text.stdout.contains("gitref simulated"))

        let level = try run(binary, ["log-level", "--debug-socket", data.appendingPathComponent("debug.sock").path])
        #expect(level.stdout == "INFO\n")
        let set = try run(binary, ["log-level", "--debug-socket", data.appendingPathComponent("debug.sock").path, "debug"])
        #expect(set.stdout == "Changed log level from \"INFO\" to \"DEBUG\".\n")
        let bad = try run(binary, ["log-level", "--debug-socket", data.appendingPathComponent("debug.sock").path, "loud"])
        #expect(bad.status != 0)
        #expect(bad.stderr == "teleport-top: Invalid log level.\n")
        let noSocket = try run(binary, ["log-level", "--diag-addr", addr])
        #expect(noSocket.status != 0)
        // --max-payload: a body past it is a clear error, not a truncated parse.
        let small = try run(binary, ["snapshot", "--diag-addr", addr, "--interval", "300ms", "--max-payload", "1KiB"])
        #expect(small.status == 1)
        #expect(small.stderr.contains("the response passed the 1 KiB limit"), "\(small.stderr)")
        let badSize = try run(binary, ["snapshot", "--diag-addr", addr, "--max-payload", "lots"])
        #expect(badSize.status != 0)
        #expect(badSize.stderr.contains("\"lots\" is not a size"))
        await serve.stop()

        // A refusal comes from the kernel at once: it is reported at once, not after the
        // request timeout (the HTTP client's pool used to retry it until the deadline).
        let started = Date()
        let dead = try run(binary, ["snapshot", "--diag-addr", addr, "--timeout", "60s"])
        #expect(dead.status == 1)
        #expect(dead.stderr == "teleport-top: \(addr): connection refused: nothing listens on \(addr)\n")
        #expect(Date().timeIntervalSince(started) < 30, "a refused connection waited out the 60 s timeout")
    }

    @Test("Headless commands never fall back to embedded unless asked; --embedded works")
    func embeddedOnlyWhenAsked() throws {
        let none = try run(binary, ["snapshot"], environment: ["PATH": "/usr/bin:/bin", "HOME": "/tmp"])
        if !FileManager.default.fileExists(atPath: "/etc/teleport.yaml") {
            #expect(none.status == 1)
            #expect(none.stderr.contains("no target found: name one with --diag-addr"))
        }
        let doc = try document(["--embedded"])
        #expect(doc.source == "embedded")
        #expect(doc.target.hasPrefix("embedded (127.0.0.1:"))
        #expect(doc.build?.gitref == "simulated")
    }
}
