import Foundation
import TeleportTopTestPeers
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// The Logs screen as a person sees it: against the Go fixture's NDJSON stream (hostile
/// lines shown escaped, raw lines kept, level and regex filters, hold and follow) and against `serve` (the level set from the picker and restored on quit).
@Suite("Logs under tmux", .serialized, .enabled(if: Prerequisites.required(Prerequisites.which("tmux") != nil && Prerequisites.go)))
struct LogsTmuxTests {
    let binary = Paths.teleportTopBinary.path

    @Test("the Go fixture's stream: lines, escaped hostile text, raw lines, m, /, hold and F")
    func goFixture() async throws {
        let dir = Paths.temporaryDirectory("logstmux")
        let socket = dir.appendingPathComponent("go.sock").path
        let go = try await GoFixture.start(["-unix", socket, "-log-stream", "50ms"])
        defer { Task { await go.stop() } }
        let session = try DashboardTmuxTests.Session(width: 160, height: 48)
        try session.type("\(binary) --diag-addr \(go.baseURL) --debug-socket \(socket) --otlp-grpc off --otlp-http off --log-file /tmp/tt-logs.log")
        _ = try await session.wait(for: "L Logs")
        try session.send("L")
        var screen = try await session.wait(for: "fixture line")
        screen = try await session.wait(for: "hostile-")
        screen = try await session.wait(for: "not json: plain text line")
        let raw = try session.capture(escapes: true)
        #expect(!raw.contains("pwned\u{07}") && !raw.contains("\u{1B}]0;") && !raw.contains("\u{1B}[2J"))
        #expect(screen.contains("\\e]0;pwned"))
        // m to WARN: no INFO lines after the screen refills.
        try session.send("m", "m", "m")
        _ = try await session.wait(for: "≥WARN")
        try await Task.sleep(for: .seconds(2))
        screen = try session.capture()
        let shownLevels = screen.split(separator: "\n").compactMap { line -> Substring? in
            let words = line.split(separator: " ")
            // Log lines start with their time (`16:48:40.123`); the header's `findings:` line does not.
            return words.count > 2 && words[0].contains(":") && words[0].first?.isNumber == true ? words[1] : nil
        }
        #expect(!shownLevels.isEmpty && shownLevels.allSatisfy { $0 == "WARN" || $0 == "ERROR" || $0 == "raw" }, "\(shownLevels)")
        // Back to all, then a regex.
        try session.send("m", "m")
        _ = try await session.wait(for: "≥TRACE")
        try session.send("/")
        try session.send("-l", "line 1[0-9]+$")
        try session.send("Enter")
        _ = try await session.wait(for: "/line 1[0-9]+$")
        try session.send("Escape")
        // Hold: ↑ stops following; F follows again.
        try session.send("Up")
        _ = try await session.wait(for: "held (F follows)")
        try session.send("F")
        _ = try await session.wait(for: "following")
        try session.send("q")
    }

    @Test("serve traced to a trace directory the dashboard tails: t on a log line opens its trace in the waterfall")
    func traceFromLine() async throws {
        let dir = Paths.temporaryDirectory("logstrace")
        let traces = dir.appendingPathComponent("traces").path
        let serve = try ChildProcess(
            binary,
            [
                "serve", "--diag-addr", "127.0.0.1:0", "--data-dir", dir.path, "--request-interval", "300ms",
                "--tracing-exporter-url", "file://\(traces)", "--tracing-sampling-rate-per-million", "1000000", "--tracing-batch-delay", "200ms",
            ])
        let line = try await serve.waitForLine(inStderr: true) { $0.contains("diag listener started") }
        let addr = String(try #require(line.split(separator: " ").first { $0.hasPrefix("addr=") }).dropFirst(5))
        let socket = dir.appendingPathComponent("debug.sock").path
        let session = try DashboardTmuxTests.Session(width: 160, height: 48)
        try session.type(
            "\(binary) --diag-addr \(addr) --debug-socket \(socket) --trace-dir \(traces) --otlp-grpc off --otlp-http off --log-file /tmp/tt-logs4.log")
        _ = try await session.wait(for: "L Logs")
        try session.send("L")
        // Only the requests (each logged with its trace), then the one before the newest, held.
        try session.send("/")
        try session.send("-l", "handled")
        try session.send("Enter")
        _ = try await session.wait(for: " handled  ⧉")
        try await Task.sleep(for: .seconds(2))  // its spans reach the trace directory meanwhile
        try session.send("Up")
        _ = try await session.wait(for: "held (F follows)")
        try session.send("t")
        let screen = try await session.wait(for: "scope teleport-top", timeout: .seconds(60))
        #expect(screen.contains("trace "), "\(screen)")
        try session.send("q")
        _ = await serve.stop()
    }

    @Test("serve: the picker sets DEBUG (confirmed: it runs auth), the header shows it, q asks and restores INFO")
    func levelRoundTrip() async throws {
        let dir = Paths.temporaryDirectory("logslevel")
        let serve = try ChildProcess(binary, ["serve", "--diag-addr", "127.0.0.1:0", "--data-dir", dir.path, "--heartbeat", "1s"])
        let line = try await serve.waitForLine(inStderr: true) { $0.contains("diag listener started") }
        let addr = String(try #require(line.split(separator: " ").first { $0.hasPrefix("addr=") }).dropFirst(5))
        let socket = dir.appendingPathComponent("debug.sock").path
        let session = try DashboardTmuxTests.Session(width: 160, height: 48)
        let sttyFile = try session.typeWithStty(
            "\(binary) --diag-addr \(addr) --debug-socket \(socket) --otlp-grpc off --otlp-http off --log-file /tmp/tt-logs2.log")
        _ = try await session.wait(for: "log INFO")
        _ = try await session.wait(for: "OK")
        try session.send("L")
        _ = try await session.wait(for: "stream ")
        try session.send("V")
        _ = try await session.wait(for: "▸ INFO")
        try session.send("Up")
        try session.send("Enter")
        _ = try await session.wait(for: "busiest logger")
        try session.send("y")
        _ = try await session.wait(for: "log DEBUG*")
        let curl = Prerequisites.which("curl") ?? "/usr/bin/curl"
        #expect(try run(curl, ["-s", "--unix-socket", socket, "http://debug/log-level"]).stdout == "DEBUG")
        _ = try await session.wait(for: " DEBUG ")  // a DEBUG line in the stream
        try session.send("q")
        _ = try await session.wait(for: "Restore INFO before quitting?")
        try session.send("y")
        let words = try await session.sttyWords(sttyFile)
        #expect(words.contains("icanon"))
        #expect(try run(curl, ["-s", "--unix-socket", socket, "http://debug/log-level"]).stdout == "INFO")
        // SIGTERM (or a dropped ssh session's SIGHUP) after a change: restored without asking.
        let again = try session.typeWithStty(
            "\(binary) --diag-addr \(addr) --debug-socket \(socket) --otlp-grpc off --otlp-http off --log-file /tmp/tt-logs3.log")
        _ = try await session.wait(for: "log INFO")
        try session.send("V")
        _ = try await session.wait(for: "▸ INFO")
        try session.send("Down")
        try session.send("Enter")
        _ = try await session.wait(for: "log WARN*")
        #expect(try run(curl, ["-s", "--unix-socket", socket, "http://debug/log-level"]).stdout == "WARN")
        let pid = try #require(DashboardTmuxTests.pid(withArgument: "/tmp/tt-logs3.log"))
        kill(pid, SIGTERM)
        let afterTerm = try await session.sttyWords(again)
        #expect(afterTerm.contains("icanon"))
        #expect(try run(curl, ["-s", "--unix-socket", socket, "http://debug/log-level"]).stdout == "INFO")
        _ = await serve.stop()
    }
}
