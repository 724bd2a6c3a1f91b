import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// Commands agree with each other and with their help (issue 22, items 5, 11, 12, 13 and 15),
/// as a user runs them against `serve`.
@Suite("Commands agree, end to end", .serialized)
struct CommandsAgreeTests {
    let binary = Paths.teleportTopBinary.path

    /// `serve` on a free port with its socket in `data`; its diag address.
    func serve(_ data: URL) async throws -> (ChildProcess, String) {
        let serve = try ChildProcess(binary, ["serve", "--diag-addr", "127.0.0.1:0", "--data-dir", data.path])
        let line = try await serve.waitForLine(inStderr: true) { $0.contains("diag listener started") }
        return (serve, String(try #require(line.split(separator: " ").first { $0.hasPrefix("addr=") }).dropFirst(5)))
    }

    @Test("11: -c with diag_addr and data_dir: log-level and profile use its socket, as logs and the dashboard do")
    func configRule() async throws {
        let data = Paths.temporaryDirectory("agree-c")
        let (serve, addr) = try await serve(data)
        let config = data.appendingPathComponent("teleport.yaml")
        try "teleport:\n  data_dir: \(data.path)\n  diag_addr: \(addr)\n".write(to: config, atomically: true, encoding: .utf8)
        let level = try run(binary, ["log-level", "-c", config.path])
        #expect(level.status == 0, "\(level.stderr)")
        #expect(level.stdout == "INFO\n")
        let out = data.appendingPathComponent("p.tar.gz")
        let profile = try run("/bin/sh", ["-c", "\(binary) profile -c \(config.path) cmdline > \(out.path)"])
        #expect(profile.status == 0, "\(profile.stderr)")
        #expect(((try? FileManager.default.attributesOfItem(atPath: out.path)[.size] as? Int) ?? 0) > 0)
        // Without a socket: what log-level needs, never --diag-addr.
        let bare = try run(binary, ["log-level", "--diag-addr", addr])
        #expect(bare.status != 0)
        #expect(bare.stderr.contains("needs the debug socket"), "\(bare.stderr)")
        // --embedded is in log-level's help and works.
        let embedded = try run(binary, ["log-level", "--embedded"])
        #expect(embedded.status == 0, "\(embedded.stderr)")
        // profile never suggests --embedded.
        let none = try run(binary, ["profile", "-c", "/nonexistent/teleport.yaml"])
        #expect(!none.stderr.contains("--embedded"), "\(none.stderr)")
        await serve.stop()
    }

    @Test("12: option values: intervals out of range refused, --at -10s read, a bad fault schedule in one line, did you mean")
    func optionValues() throws {
        for value in ["2m", "100ms"] {
            let result = try run(binary, ["snapshot", "--embedded", "--interval", value])
            #expect(result.status != 0, "\(value)")
            #expect(result.stderr.contains("250ms to 60s"), "\(value): \(result.stderr)")
        }
        let zero = try run(binary, ["snapshot", "--embedded", "--timeout", "0s"])
        #expect(zero.status != 0)
        #expect(zero.stderr.contains("must be longer than 0"), "\(zero.stderr)")
        #expect(!zero.stderr.contains("is not a duration"), "\(zero.stderr)")
        let at = try run(binary, ["snapshot", "--from", "/nonexistent/rec", "--at", "-10s"])
        #expect(!at.stderr.contains("Missing value"), "\(at.stderr)")
        #expect(at.stderr.contains("/nonexistent/rec"), "\(at.stderr)")
        let schedule = try run(binary, ["serve", "--diag-addr", "127.0.0.1:0", "--fault-schedule", "sometimes"])
        #expect(schedule.status != 0)
        #expect(schedule.stderr.hasPrefix("teleport-top: --fault-schedule: "), "\(schedule.stderr)")
        #expect(!schedule.stderr.contains("USAGE"), "\(schedule.stderr)")
        let typo = try run(binary, ["snapshto"])
        #expect(typo.status != 0)
        #expect(typo.stderr.contains("did you mean \"snapshot\"?"), "\(typo.stderr)")
    }

    @Test("13: serve on a port in use says that one thing and exits non-zero")
    func portInUse() async throws {
        let data = Paths.temporaryDirectory("agree-port")
        let (first, addr) = try await serve(data)
        let other = Paths.temporaryDirectory("agree-port2")
        let second = try await runWithDeadlineOffPool(binary, ["serve", "--diag-addr", addr, "--data-dir", other.path], timeout: .seconds(60))
        #expect(second.status != 0)
        #expect(second.stderr.contains("Address already in use"), "\(second.stderr)")
        #expect(!second.stderr.contains("process state changed"), "\(second.stderr)")
        #expect(second.stderr.split(separator: "\n").count == 1, "\(second.stderr)")
        await first.stop()
    }

    @Test("5 and 15: record where nothing listens fails with the reason; a good one prints its summary; snapshot --from names the moment")
    func recordSummary() async throws {
        let dead = Paths.temporaryDirectory("agree-rec").appendingPathComponent("dead").path
        let failed = try run(binary, ["record", dead, "--diag-addr", "127.0.0.1:\(Ports.closed())", "--interval", "250ms", "--for", "2s"])
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("never answered: connection refused"), "\(failed.stderr)")
        let snapshot = try run(binary, ["snapshot", "--from", dead])
        #expect(snapshot.stdout.contains("error      connection refused"), "\(snapshot.stdout)\(snapshot.stderr)")
        #expect(snapshot.stdout.hasPrefix("moment     "), "\(snapshot.stdout)")
        let data = Paths.temporaryDirectory("agree-rec2")
        let (serve, addr) = try await serve(data)
        let good = Paths.temporaryDirectory("agree-rec3").appendingPathComponent("good").path
        let recorded = try run(binary, ["record", good, "--diag-addr", addr, "--no-logs", "--interval", "250ms", "--for", "2s"])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stderr.contains("wrote "), "\(recorded.stderr)")
        #expect(recorded.stderr.range(of: #"\d+ scrapes \(\d+ answered\)"#, options: .regularExpression) != nil, "\(recorded.stderr)")
        await serve.stop()
    }

    @Test("5: files that cannot be read are named by absolute path with the system's reason (-c, pprof)")
    func unreadableFiles() throws {
        let directory = Paths.temporaryDirectory("agree-files")
        let config = try run(binary, ["snapshot", "-c", "nope.yaml"], directory: directory)
        #expect(config.status != 0)
        #expect(config.stderr.contains("\(directory.standardizedFileURL.path)/nope.yaml: cannot be read: No such file or directory"), "\(config.stderr)")
        let profile = try run(binary, ["pprof", "nope.pb.gz"], directory: directory)
        #expect(profile.status != 0)
        #expect(
            profile.stderr == "teleport-top: \(directory.standardizedFileURL.path)/nope.pb.gz: cannot be read: No such file or directory\n", "\(profile.stderr)"
        )
    }

    @Test("13: serve names a grpc:// exporter as grpc://, and a SIGTERM waiting on a collector that is gone says so at once")
    func tracingShutdown() async throws {
        let data = Paths.temporaryDirectory("agree-trace")
        let port = Ports.closed()
        let serve = try ChildProcess(
            binary,
            [
                "serve", "--diag-addr", "127.0.0.1:0", "--data-dir", data.path, "--tracing-exporter-url", "grpc://127.0.0.1:\(port)",
                "--tracing-sampling-rate-per-million", "1000000", "--request-interval", "100ms",
            ])
        let started = try await serve.waitForLine(inStderr: true) { $0.contains("tracing started") }
        #expect(started.contains("exporter=\"grpc://127.0.0.1:\(port)\"") || started.contains("exporter=grpc://127.0.0.1:\(port)"), "\(started)")
        _ = try await serve.waitForLine(inStderr: true) { $0.contains("diag listener started") }
        kill(serve.process.processIdentifier, SIGTERM)
        let notice = try await serve.waitForLine(inStderr: true, timeout: .seconds(60)) { $0.contains("stopping: sending the queued spans") }
        #expect(notice.contains("grpc://127.0.0.1:\(port)"), "\(notice)")
        _ = await serve.stop(timeout: .seconds(90))
    }
}
