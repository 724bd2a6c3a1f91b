import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

/// `teleport-top serve` as a user runs it: the built binary, curl as the client.
@Suite("teleport-top serve, end to end", .serialized, .enabled(if: Prerequisites.required(Prerequisites.curl)))
struct ServeCommandTests {
    let binary = Paths.teleportTopBinary.path

    func curl(_ arguments: [String]) throws -> (status: Int, body: String) {
        let result = try run("/usr/bin/curl", ["-s", "-m", "10", "-w", "\n%{http_code}"] + arguments)
        let parts = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(parts.last ?? "") ?? 0, parts.dropLast().joined(separator: "\n"))
    }

    func startServe(_ arguments: [String]) async throws -> (ChildProcess, String) {
        let process = try ChildProcess(binary, ["serve"] + arguments)
        let line = try await process.waitForLine(inStderr: true) { $0.contains("diag listener started") }
        let addr = try #require(line.split(separator: " ").first { $0.hasPrefix("addr=") }).dropFirst(5)
        return (process, String(addr))
    }

    @Test("serve answers curl on every route, walks degraded -> recovering -> ok, and stops cleanly on SIGTERM")
    func serveWithFaults() async throws {
        let data = Paths.temporaryDirectory("serve")
        let (process, addr) = try await startServe([
            "--diag-addr", "127.0.0.1:0", "--data-dir", data.path, "--heartbeat", "300ms", "--retry", "600ms",
            "--check-period", "400ms", "--fault-schedule", "ok:8,fail:2",
        ])
        let healthz = try curl(["http://\(addr)/healthz"])
        #expect(healthz.status == 200)
        #expect(healthz.body == "{\"status\":\"ok\"}")
        let metrics = try curl(["http://\(addr)/metrics"])
        #expect(metrics.status == 200)
        let families = try ExpositionParser().parse(metrics.body)
        #expect(families.contains { $0.name == "backend_requests" })
        #expect(try curl(["http://\(addr)/debug/pprof/heap"]).status == 404)

        // Poll /readyz: the schedule makes every state appear for a second or more (degraded
        // over two retries of 600 ms; recovering until the first heartbeat more than twice the
        // check period after it began, 900 ms; ok for the rest of eight heartbeats of 300 ms),
        // so a machine slow to spawn curl still sees them all.
        var seen: [Int: String] = [:]
        let deadline = ContinuousClock.now + .seconds(90)
        while seen.count < 3, ContinuousClock.now < deadline {
            let readyz = try curl(["http://\(addr)/readyz"])
            seen[readyz.status] = readyz.body
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(seen[200]?.hasPrefix("{\"status\":\"ok\",\"pid\":") == true)
        #expect(seen[503]?.contains("teleport is in a degraded state, check logs for details") == true)
        #expect(seen[400]?.contains("teleport is recovering from a degraded state, check logs for details") == true)
        #expect(seen[200]?.contains("\"pid\":\(process.process.processIdentifier)}") == true)

        let socket = data.appendingPathComponent("debug.sock").path
        let viaSocket = try curl(["--unix-socket", socket, "http://debug/log-level"])
        #expect(viaSocket.status == 200)
        #expect(viaSocket.body == "INFO")
        let pprofViaSocket = try curl(["--unix-socket", socket, "http://debug/debug/pprof/goroutine"])
        #expect(pprofViaSocket.status == 501)
        let put = try curl(["--unix-socket", socket, "-X", "PUT", "--data", "warn", "http://debug/log-level"])
        #expect(put.body == "Changed log level from \"INFO\" to \"WARN\".")

        #expect(await process.stop(signal: SIGTERM) == 0)
        #expect(!FileManager.default.fileExists(atPath: socket))
        #expect(process.stderr.contains { $0.contains("process state changed from=ok to=degraded") })
    }

    @Test("serve reads diag_addr, data_dir and log.severity from -c; --debug opens pprof")
    func serveWithConfig() async throws {
        let dir = Paths.temporaryDirectory("conf")
        let config = dir.appendingPathComponent("teleport.yaml")
        try """
        version: v3
        teleport:
          nodename: test
          data_dir: \(dir.path)/data
          diag_addr: 127.0.0.1:0
          log:
            output: stderr
            severity: DEBUG
        auth_service:
          enabled: yes
        """.write(to: config, atomically: true, encoding: .utf8)
        let (process, addr) = try await startServe(["-c", config.path, "--debug"])
        #expect(try curl(["http://\(addr)/debug/pprof/heap"]).status == 501)
        let socket = "\(dir.path)/data/debug.sock"
        #expect(try curl(["--unix-socket", socket, "http://debug/log-level"]).body == "DEBUG")
        let mode = try FileManager.default.attributesOfItem(atPath: socket)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // A second serve on the same data dir refuses the live socket.
        let second = try run(binary, ["serve", "--diag-addr", "127.0.0.1:0", "--data-dir", "\(dir.path)/data"])
        #expect(second.status != 0)
        #expect(second.stderr.contains("another process is serving on this socket"))
        #expect(await process.stop(signal: SIGINT) == 0)
    }

    @Test("Bad arguments fail with a one-line reason; --help lists the commands")
    func arguments() throws {
        let bad = try run(binary, ["serve", "--fault-schedule", "ok:x"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("invalid fault schedule \"ok:x\""))
        let badDuration = try run(binary, ["serve", "--heartbeat", "soon"])
        #expect(badDuration.stderr.contains("\"soon\" is not a duration"))
        let help = try run(binary, ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: teleport-top"))
        #expect(help.stdout.contains("serve"))
        #expect(help.stdout.contains("dashboard (default)"))
    }
}
