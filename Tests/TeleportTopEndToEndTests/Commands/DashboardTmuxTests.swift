import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

/// The dashboard as a person sees it: run under tmux (own socket, UTF-8, tmux-256color),
/// keys sent with send-keys, the screen read with capture-pane, conditions polled with deadlines.
@Suite("Dashboard under tmux", .serialized, .enabled(if: Prerequisites.required(Prerequisites.which("tmux") != nil)))
struct DashboardTmuxTests {
    let binary = Paths.teleportTopBinary.path
    /// The dashboard without its OTLP receivers (tests never take the default ports).
    var dashboard: String { "\(binary) --otlp-grpc off --otlp-http off" }

    final class Session {
        let socket = "tt-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let tmux = Prerequisites.which("tmux") ?? "/usr/bin/tmux"

        init(width: Int = 160, height: Int = 48, environment: [String: String] = [:]) throws {
            var env = ["LANG=C.UTF-8", "TERM=tmux-256color", "PS1=shell> "]
            env += environment.map { "\($0.key)=\($0.value)" }
            // The tmux server outlives this command and would hold a pipe open: spawned with
            // /dev/null for its standard streams and reaped with waitpid.
            let status = spawnAndWait(
                tmux,
                [
                    "-L", socket, "-f", "/dev/null", "-u", "new-session", "-d", "-x", "\(width)", "-y", "\(height)",
                    "env", "-i", "PATH=/usr/bin:/bin", "HOME=/tmp",
                ] + env + ["bash", "--norc", "--noprofile"])
            guard status == 0 else { throw FixtureError("tmux new-session exited with \(status)") }
            _ = try run(tmux, ["-L", socket, "set-option", "-g", "status", "off"])
        }

        func send(_ keys: String...) throws { _ = try run(tmux, ["-L", socket, "send-keys"] + keys) }
        func type(_ line: String) throws {
            _ = try run(tmux, ["-L", socket, "send-keys", "-l", line])
            try send("Enter")
        }
        func capture(escapes: Bool = false) throws -> String {
            try run(tmux, ["-L", socket, "capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", "0"]).stdout
        }
        func resize(_ w: Int, _ h: Int) throws { _ = try run(tmux, ["-L", socket, "resize-window", "-x", "\(w)", "-y", "\(h)"]) }

        func wait(for text: String, timeout: Duration = .seconds(60)) async throws -> String {
            let deadline = ContinuousClock.now + timeout
            var screen = ""
            while ContinuousClock.now < deadline {
                screen = try capture()
                if screen.contains(text) { return screen }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("timed out waiting for \"\(text)\"; the screen was:\n\(screen)")
            return screen
        }

        /// Types `command` to run under `sh -c` followed by `stty -a` into a file: sh leaves the
        /// terminal as the command left it (interactive bash would restore its own modes first).
        func typeWithStty(_ command: String) throws -> String {
            let file = Paths.temporaryDirectory("stty").appendingPathComponent("stty.txt").path
            try type("sh -c '\(command); stty -a > \(file); echo stty-$((20+22))'")
            return file
        }

        /// The words of what `typeWithStty` saved, once the command has ended.
        func sttyWords(_ file: String) async throws -> Set<String> {
            _ = try await wait(for: "stty-42")
            return Set(try String(contentsOfFile: file, encoding: .utf8).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        }

        deinit { _ = try? run(tmux, ["-L", socket, "kill-server"]) }
    }

    func startServe() async throws -> (ChildProcess, String) {
        let data = Paths.temporaryDirectory("tmux")
        let serve = try ChildProcess(binary, ["serve", "--diag-addr", "127.0.0.1:0", "--data-dir", data.path, "--heartbeat", "1s"])
        let line = try await serve.waitForLine(inStderr: true) { $0.contains("diag listener started") }
        return (serve, String(try #require(line.split(separator: " ").first { $0.hasPrefix("addr=") }).dropFirst(5)))
    }

    @Test("Against teleport-top serve: state badge, a rate, tabs, help, quit with the terminal intact")
    func againstServe() async throws {
        let (serve, addr) = try await startServe()
        let session = try Session()
        let sttyFile = try session.typeWithStty("\(dashboard) --diag-addr \(addr) --interval 500ms --log-file /tmp/tt-tmux.log")
        var screen = try await session.wait(for: " OK ")
        #expect(screen.contains("teleport-top"))
        #expect(screen.contains(addr))
        #expect(screen.contains("Busiest rates"))
        screen = try await session.wait(for: "/s")
        try session.send("2")
        screen = try await session.wait(for: "backend_requests")
        #expect(screen.contains("Auth & backends"))
        #expect(screen.range(of: #"\d+(\.\d+)?/s"#, options: .regularExpression) != nil)
        try session.send("?")
        _ = try await session.wait(for: "Keys (")
        _ = try await session.wait(for: "poll faster")  // a frame can be read while it is drawn
        try session.send("Escape")
        try session.send("0")
        screen = try await session.wait(for: "every family")
        try session.send("q")
        let words = try await session.sttyWords(sttyFile)
        #expect(words.contains("icanon") && !words.contains("-icanon"), "terminal left in raw mode: \(words)")
        #expect(words.contains("echo") && !words.contains("-echo"), "terminal left without echo: \(words)")
        await serve.stop()
    }

    @Test("Embedded (no target): x walks degraded -> recovering -> ok on screen; its own traces open in the waterfall; kill -INT gives the terminal back")
    func embedded() async throws {
        let session = try Session()
        let log = Paths.temporaryDirectory("embedded").appendingPathComponent("dashboard.log").path
        let sttyFile = try session.typeWithStty("\(dashboard) --log-file \(log)")
        var screen = try await session.wait(for: " OK ")
        #expect(screen.contains("simulated · embedded"))
        #expect(screen.contains("no state change yet"))
        let pid = try #require(Self.pid(withArgument: log))
        try session.send("x")
        _ = try await session.wait(for: "ok → degraded", timeout: .seconds(30))
        _ = try await session.wait(for: "degraded → recovering", timeout: .seconds(30))
        _ = try await session.wait(for: "recovering → ok", timeout: .seconds(40))
        // Its own spans: the simulated requests, nested, open in the waterfall.
        try session.send("8")
        _ = try await session.wait(for: "from embedded engine")
        _ = try await session.wait(for: "proxy/")
        // Only the proxy's spans (each has children), paused, the newest opened.
        try session.send("/")
        _ = try run(session.tmux, ["-L", session.socket, "send-keys", "-l", "^proxy/"])
        try session.send("Enter")
        // The filtered feed has arrived (no other service's span left) before it is paused.
        let filtered = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < filtered {
            let feed = try session.capture()
            if feed.contains("proxy/") && !feed.contains("diag/") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try session.send("Space")
        try session.send("Enter")
        screen = try await session.wait(for: "scope teleport-top")
        // The trace of a proxy span, drawn as a tree (the proxy span failed (✗) or not, with
        // children or, when it failed before calling any, without).
        #expect(screen.contains("trace ") && screen.contains("teleport proxy/") && screen.contains("│"), "\(screen)")
        // Help on the Spans tab says what its keys do there.
        try session.send("Escape")
        try session.send("?")
        screen = try await session.wait(for: "Keys (")
        #expect(screen.contains("newest first or slowest first"))
        #expect(!screen.contains("cycle sort: name, rate, value"))
        kill(pid, SIGINT)
        let words = try await session.sttyWords(sttyFile)
        #expect(words.contains("icanon") && !words.contains("-icanon"), "terminal left in raw mode after SIGINT: \(words)")
        #expect(words.contains("echo") && !words.contains("-echo"), "terminal left without echo after SIGINT: \(words)")
    }

    /// The process whose command line has `argument` (read from /proc, no pgrep needed).
    static func pid(withArgument argument: String) -> Int32? {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            if data.split(separator: 0).contains(where: { String(decoding: $0, as: UTF8.self) == argument }) { return pid }
        }
        return nil
    }

    @Test("Colours: every shipped theme draws its own badge (monochrome without colour); T cycles them live; NO_COLOR has none")
    func colours() async throws {
        let (serve, addr) = try await startServe()
        var badges: [String] = []
        // An SGR that sets a colour; 39/49 (the default colours) do not count. ICU: \x{1b} is ESC.
        let colour = #"\x{1b}\[([0-9;]*;)?(3[0-8]|4[0-8])[;m]"#
        let themes = ["default", "light", "high-contrast", "monochrome"]
        for theme in themes {
            let session = try Session(width: 100, height: 30)
            try session.type("\(dashboard) --diag-addr \(addr) --theme \(theme) --log-file /tmp/tt-tmux.log")
            _ = try await session.wait(for: " OK ")
            let colored = try session.capture(escapes: true)
            let line = colored.split(separator: "\n").first { $0.contains(" OK ") } ?? ""
            let before = line.components(separatedBy: " OK ").first ?? ""
            badges.append(String(before.suffix(40)))
            #expect(colored.contains("\u{1b}["))
            #expect(
                (before.suffix(40).range(of: colour, options: .regularExpression) == nil) == (theme == "monochrome"),
                "\(theme): \(before.suffix(40).debugDescription)")
            // Every view of the dashboard draws in this theme at this size.
            for key in ["2", "v", "v", "0", "1"] {
                try session.send(key)
            }
            _ = try await session.wait(for: " OK ")
            try session.send("q")
        }
        #expect(Set(badges).count == themes.count, "\(badges)")
        // T switches the running dashboard to the next theme: the badge changes under it.
        let live = try Session(width: 100, height: 30)
        try live.type("\(dashboard) --diag-addr \(addr) --log-file /tmp/tt-tmux.log")
        _ = try await live.wait(for: " OK ")
        try live.send("T")
        _ = try await live.wait(for: "theme light")
        let afterT = try live.capture(escapes: true).split(separator: "\n").first { $0.contains(" OK ") } ?? ""
        #expect(String((afterT.components(separatedBy: " OK ").first ?? "").suffix(40)) == badges[1])
        try live.send("q")
        let plain = try Session(width: 100, height: 30, environment: ["NO_COLOR": "1"])
        try plain.type("\(dashboard) --diag-addr \(addr) --log-file /tmp/tt-tmux.log")
        _ = try await plain.wait(for: " OK ")
        let captured = try plain.capture(escapes: true)
        #expect(captured.range(of: colour, options: .regularExpression) == nil)
        try plain.send("q")
        await serve.stop()
    }

    @Test(
        "Against the Go client_golang fixture: badge, a rate, the Runtime tab; hostile label and HELP text shows escaped; resizing keeps the layout",
        .enabled(if: Prerequisites.required(Prerequisites.go)))
    func hostileAndResize() async throws {
        let fixture = try await GoFixture.start(["-hostile"])
        let session = try Session(width: 160, height: 48)
        try session.type("\(dashboard) --diag-addr \(fixture.baseURL) --interval 500ms --log-file /tmp/tt-tmux.log")
        _ = try await session.wait(for: " OK ")
        // A rate over measured time appears once two scrapes are in (the Busiest rates box).
        let overview = try await session.wait(for: "/s ")
        #expect(overview.contains("Busiest rates"))
        #expect(overview.range(of: #"\d+(\.\d+)?/s"#, options: .regularExpression) != nil)
        try session.send("7")
        let runtime = try await session.wait(for: "Runtime: ")
        #expect(runtime.contains("go_goroutines"), "a Go process's runtime families are on tab 7")
        try session.send("0")
        try session.send("/")
        try session.send("-l", "fixture_hostile")
        try session.send("Enter")
        let screen = try await session.wait(for: "fixture_hostile")
        #expect(screen.contains("\\e[31m"))
        #expect(!screen.contains("\u{1b}"))
        for (w, h) in [(100, 30), (60, 16), (40, 12), (200, 60), (80, 24), (123, 37), (160, 48)] {
            try session.resize(w, h)
            try await Task.sleep(for: .milliseconds(150))
        }
        let after = try await session.wait(for: "fixture_hostile")
        #expect(after.contains("teleport-top"))
        // The layout after the last resize is the 160x48 one: full tab titles, the hint bar on
        // the last line (polled: the dashboard repaints on its next wake-up).
        var lines: [Substring] = []
        let deadline = ContinuousClock.now + .seconds(10)
        repeat {
            lines = try session.capture().split(separator: "\n", omittingEmptySubsequences: false)
            if lines.count >= 48 && lines[47].contains("? help") { break }
            try await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline
        #expect(lines.count >= 48 && lines[3].contains("2 Auth & backends"), "\(lines.prefix(4))")
        #expect(lines.count >= 48 && lines[47].contains("? help"), "\(lines.suffix(3))")
        try session.send("q")
        _ = try await session.wait(for: "shell> ")
        await fixture.stop()
    }

    @Test("Spans: an OTLP/HTTP JSON export by curl shows in the feed (hostile text escaped) and opens in the waterfall; a busy port is a header warning")
    func spansOverHTTP() async throws {
        let (serve, addr) = try await startServe()
        let session = try Session(width: 160, height: 48)
        // The gRPC receiver is pointed at serve's own port: in use, so a warning, and the rest runs.
        try session.type("\(binary) --diag-addr \(addr) --otlp-grpc \(addr) --otlp-http 127.0.0.1:0 --log-file /tmp/tt-tmux.log")
        _ = try await session.wait(for: " OK ")
        try session.send("8")
        let screen = try await session.wait(for: "from OTLP HTTP 127.0.0.1:")
        #expect(screen.contains("address in use"))
        // The header's own warning (every screen has it), not only the Spans tab's line.
        let header = screen.split(separator: "\n", omittingEmptySubsequences: false)[1]
        #expect(header.contains("⚠") && header.contains("OTLP gRPC"), "\(header)")
        let port = try #require(screen.firstMatch(of: /OTLP HTTP 127\.0\.0\.1:(\d+)/)?.1)
        let body =
            #"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"curl-peer"}}]},"scopeSpans":[{"scope":{"name":"t"},"spans":["#
            + #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"root \u001b[31mred","kind":2,"startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000"},"#
            + #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b175","parentSpanId":"eee19b7ec3c1b174","name":"child","startTimeUnixNano":"1544712660100000000","endTimeUnixNano":"1544712660300000000","status":{"code":2,"message":"boom"}}"#
            + "]}]}]}"
        let curl = try run(
            try #require(Prerequisites.which("curl")),
            [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json",
                "--data-binary", body, "http://127.0.0.1:\(port)/v1/traces",
            ])
        #expect(curl.stdout == "200")
        let feed = try await session.wait(for: "curl-peer")
        #expect(feed.contains("5b8efff7"))
        #expect(feed.contains("root \\e[31mred"))
        #expect(!feed.contains("\u{1b}"))
        #expect(feed.contains("error"))
        try session.send("G")
        try session.send("Enter")
        let waterfall = try await session.wait(for: "trace 5b8efff798038103d269b633813fc60c · 2 spans")
        #expect(waterfall.contains("boom") || waterfall.contains("child"))
        try session.send("q")
        await serve.stop()
    }

    @Test(
        "--otlp-tls-cert/--otlp-tls-key/--otlp-client-ca and --trace-dir from the command line: curl with the test CA and a client certificate gets a span in, without one it is refused; a trace file's span shows too"
    )
    func receiverOptions() async throws {
        let (serve, addr) = try await startServe()
        let ca = try await TestCA.makeOffPool()
        let traces = Paths.temporaryDirectory("trace-dir")
        let session = try Session(width: 160, height: 48)
        try session.type(
            "\(binary) --diag-addr \(addr) --otlp-grpc off --otlp-http 127.0.0.1:0 --otlp-tls-cert \(ca.serverCert) "
                + "--otlp-tls-key \(ca.serverKey) --otlp-client-ca \(ca.caCert) --trace-dir \(traces.path) --span-capacity 50 --log-file /tmp/tt-tmux.log")
        _ = try await session.wait(for: " OK ")
        try session.send("8")
        let screen = try await session.wait(for: "OTLP HTTP tls 127.0.0.1:")
        #expect(screen.contains("trace dir \(traces.path)"))
        #expect(screen.contains("/50"), "the span capacity shows in the held count")
        let port = try #require(screen.firstMatch(of: /OTLP HTTP tls 127\.0\.0\.1:(\d+)/)?.1)
        func body(_ name: String, _ span: String) -> String {
            #"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"tls-peer"}}]},"scopeSpans":[{"spans":[{"traceId":"6b8efff798038103d269b633813fc60c","spanId":""#
                + span + #"","name":""# + name + #"","startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000"}]}]}]}"#
        }
        let curl = try #require(Prerequisites.which("curl"))
        let url = "https://127.0.0.1:\(port)/v1/traces"
        let refused = try run(
            curl,
            [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca.caCert, "-H", "Content-Type: application/json",
                "--data-binary", body("without-certificate", "eee19b7ec3c1b170"), url,
            ])
        #expect(refused.stdout == "000", "mutual TLS must refuse a client without a certificate")
        let accepted = try run(
            curl,
            [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca.caCert, "--cert", ca.clientCert, "--key", ca.clientKey,
                "-H", "Content-Type: application/json", "--data-binary", body("with-certificate", "eee19b7ec3c1b171"), url,
            ])
        #expect(accepted.stdout == "200")
        // A Teleport trace file: one protojson ResourceSpans per line, IDs in base64.
        let line =
            #"{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"file-peer"}}]},"scopeSpans":[{"spans":[{"traceId":"a47/95gDgQPSabYzgT/GDQ==","spanId":"7uGbfsPBsXI=","name":"from-a-trace-file","startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000"}]}]}"#
        try Data((line + "\n").utf8).write(to: traces.appendingPathComponent("1544712660000000000-test.trace"))
        let feed = try await session.wait(for: "from-a-trace-file")
        #expect(feed.contains("with-certificate"))
        #expect(!feed.contains("without-certificate"))
        try session.send("q")
        await serve.stop()
    }

    @Test("Bad dashboard options stop it with one line, before the screen is taken")
    func badOptions() async throws {
        let session = try Session(width: 160, height: 48)
        let cases = [
            ("--otlp-tls-cert /tmp/c.pem", "--otlp-tls-cert and --otlp-tls-key go together"),
            ("--otlp-client-ca /tmp/ca.pem", "--otlp-client-ca needs --otlp-tls-cert and --otlp-tls-key"),
            ("--span-capacity 0", "--span-capacity must be at least 1"),
            ("--otlp-grpc /tmp/otlp.sock", "--otlp-grpc: a host:port, not a socket"),
        ]
        for (index, (options, message)) in cases.enumerated() {
            try session.type("\(binary) --embedded --otlp-http off \(options); echo exit-$((\(index)+100))-$?")
            let screen = try await session.wait(for: "exit-\(index + 100)-")
            #expect(screen.contains(message), "\(options): \(screen)")
            #expect(screen.contains("exit-\(index + 100)-1"), "\(options)")
        }
    }

    @Test("p against the Go fixture: a CPU profile captured, saved 0600 and its top-N on screen", .enabled(if: Prerequisites.required(Prerequisites.go)))
    func oneKeyProfile() async throws {
        let fixture = try await GoFixture.start(["-debug"])
        let directory = Paths.temporaryDirectory("tmux-profiles")
        let session = try Session(width: 160, height: 48)
        try session.type("\(dashboard) --diag-addr \(fixture.baseURL) --profile-seconds 2 --profile-dir \(directory.path) --log-file /tmp/tt-tmux.log")
        _ = try await session.wait(for: " OK ")
        try session.send("p")
        _ = try await session.wait(for: "Showing nodes accounting for", timeout: .seconds(40))
        // The frame may be read while the terminal is still drawing it: wait for the row itself.
        let screen = try await session.wait(for: "main.burnCPU", timeout: .seconds(40))
        #expect(screen.contains("flat  flat%   sum%"))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            $0.hasSuffix("-profile-" + String($0.split(separator: "-profile-").last ?? ""))
        }
        #expect(files.count == 1, "\(files)")
        if let file = files.first {
            let mode = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(file).path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
        try session.send("Escape")
        _ = try await session.wait(for: "captures of this session")
        try session.send("q")
    }

    @Test("Without a terminal the dashboard refuses with one line pointing at snapshot")
    func notATerminal() throws {
        let result = try run(binary, ["--embedded"])
        #expect(result.status != 0)
        #expect(result.stderr == "teleport-top: the dashboard needs a terminal; for text or JSON use `teleport-top snapshot`\n")
    }
}
