import Foundation
import TeleportTopTestPeers
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// `record` beside the Go fixture (scrapes, its log stream, a span by curl, a fault), then
/// `replay` under tmux: the time cursor, seeking, speed, pause, every tab at 200x60 and 80x24.
@Suite(
    "Replay under tmux", .serialized,
    .enabled(if: Prerequisites.required(Prerequisites.go && Prerequisites.curl && Prerequisites.which("tmux") != nil)))
struct ReplayTmuxTests {
    typealias Session = DashboardTmuxTests.Session

    /// Records the fixture at 250 ms: ok, degraded for at least 6 scrapes, ok again; a span early on.
    static func record() async throws -> String {
        let socketDir = Paths.temporaryDirectory("rec-sock")
        let socket = socketDir.appendingPathComponent("debug.sock").path
        let fixture = try await GoFixture.start(["-unix", socket, "-log-stream", "100ms"])
        let dir = Paths.temporaryDirectory("rec-tmux").appendingPathComponent("rec").path
        let port = Ports.closed()
        let recorder = try ChildProcess(
            Paths.teleportTopBinary.path,
            [
                "record", dir, "--diag-addr", String(fixture.baseURL.dropFirst(7)),
                "--debug-socket", socket, "--interval", "250ms", "--otlp-http", "127.0.0.1:\(port)",
            ])
        _ = try await recorder.waitForLine(inStderr: true) { $0.contains("recording") }
        // Driven by the scrapes in the file, not by the clock (a loaded machine scrapes late).
        func scrapes(_ count: Int, _ state: ObservedState? = nil, after: ObservedState? = nil) async throws {
            let deadline = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < deadline {
                if let playback = try? RecordingPlayback(path: dir) {
                    var states = playback.scrapes.map { ScrapeRecord.state(code: playback.reader.frames[$0].flags >> 4) }
                    // Only the scrapes after the last one in `after` (a loaded machine may have
                    // recorded many more of that state than were waited for).
                    if let after { states = Array(states.suffix(from: (states.lastIndex(of: after) ?? states.count - 1) + 1)) }
                    if (state.map { wanted in states.filter { $0 == wanted }.count } ?? states.count) >= count { return }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw FixtureError("the recording did not reach \(count) scrapes\(state.map { " \($0)" } ?? "")\(after.map { " after \($0)" } ?? "") in 120 s")
        }
        try await scrapes(4)
        let body =
            #"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"curl-peer"}}]},"scopeSpans":[{"scope":{"name":"t"},"spans":["#
            + #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"recorded-root","kind":2,"startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000"}"#
            + "]}]}]}"
        let curl = try await runOffPool(
            try #require(Prerequisites.which("curl")),
            [
                "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "-H", "Content-Type: application/json", "--data-binary", body, "http://127.0.0.1:\(port)/v1/traces",
            ])
        #expect(curl.stdout == "200")
        try await scrapes(10)
        _ = try await HTTP.request(fixture.baseURL + "/fixture/state?value=degraded", method: .POST)
        try await scrapes(6, .degraded)
        _ = try await HTTP.request(fixture.baseURL + "/fixture/state?value=ok", method: .POST)
        try await scrapes(10, .ok, after: .degraded)
        #expect(await recorder.stop(signal: SIGTERM) == 0)
        await fixture.stop()
        return dir
    }

    @Test("Seek, speed, pause and every tab of a recording, at 200x60 and 80x24")
    func replay() async throws {
        let dir = try await Self.record()
        let playback = try RecordingPlayback(path: dir)
        #expect(playback.changes().count >= 2)
        #expect(playback.reader.frames.contains { $0.kind == FrameKind.logs.rawValue })
        #expect(playback.reader.frames.contains { $0.kind == FrameKind.spans.rawValue })
        let session = try Session(width: 200, height: 60)
        let binary = Paths.teleportTopBinary.path
        try session.type("\(binary) replay \(dir) --log-file /tmp/tt-replay.log")
        var screen = try await session.wait(for: "REPLAY ")
        #expect(screen.contains("(recorded)"))
        #expect(screen.contains("×1 ‖"), "paused at the start:\n\(screen)")
        let start = try #require(Self.cursor(screen))
        // n: the first state change (degraded), N back to before it... and on to the next.
        try session.send("n")
        screen = try await session.wait(for: " DEGRADED ")
        let degradedAt = try #require(Self.cursor(screen))
        #expect(degradedAt > start)
        try session.send("n")
        screen = try await session.wait(for: "degraded → ok")
        #expect(screen.contains(" OK "), "\(screen)")
        try session.send("N")
        _ = try await session.wait(for: " DEGRADED ")
        // . steps one scrape (250 ms): five of them pass the second the label shows.
        for _ in 0..<5 { try session.send(".") }
        let deadline = ContinuousClock.now + .seconds(30)
        var stepped = degradedAt
        while ContinuousClock.now < deadline, stepped <= degradedAt {
            stepped = Self.cursor(try session.capture()) ?? degradedAt
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(stepped > degradedAt)
        // { start, : jump, speed, play.
        try session.send("{")
        _ = try await session.wait(for: Self.clock(start))
        try session.send(":")
        _ = try await session.wait(for: "jump to")
        _ = try run(session.tmux, ["-L", session.socket, "send-keys", "-l", Self.clock(degradedAt.addingTimeInterval(1))])
        try session.send("Enter")
        _ = try await session.wait(for: " DEGRADED ")
        try session.send(">")
        try session.send(">")
        _ = try await session.wait(for: "×5 ‖")
        try session.send("<")
        _ = try await session.wait(for: "×2 ‖")
        // Played from the start at ×2, the cursor moves, and stops at the end.
        try session.send("{")
        _ = try await session.wait(for: Self.clock(start))
        try session.send("Space")
        let end = try #require(playback.end)
        screen = try await session.wait(for: "REPLAY \(Self.day(end)) \(Self.clock(end)) UTC ×2 ‖", timeout: .seconds(60))
        // Every tab, at both sizes.
        for (width, height) in [(200, 60), (80, 24)] {
            try session.resize(width, height)
            for (key, text) in [
                ("1", "state, last"), ("2", "backend_requests"), ("7", "go_goroutines"), ("8", "recorded-root"), ("9", "capture"),
                ("0", "every family"), ("L", "lines"), ("3", "REPLAY"), ("4", "REPLAY"), ("5", "REPLAY"), ("6", "REPLAY"),
            ] {
                try session.send(key)
                screen = try await session.wait(for: text)
                #expect(screen.contains("REPLAY") || width < 100, "tab \(key) at \(width)x\(height):\n\(screen)")
                #expect(!screen.contains("\u{1b}"))
            }
        }
        // The Logs screen holds the recorded lines up to the cursor; } goes to the end.
        try session.resize(200, 60)
        try session.send("L")
        try session.send("}")
        screen = try await session.wait(for: "following")
        #expect(screen.contains("fixture") || screen.contains("INFO"), "\(screen)")
        try session.send("q")
        _ = try await session.wait(for: "shell>")
    }

    /// The cursor's time in a screen's `REPLAY 2026-12-02 05:32:40 UTC` label.
    static func cursor(_ screen: String) -> Date? {
        guard let range = screen.range(of: #"REPLAY \d{4}-\d\d-\d\d \d\d:\d\d:\d\d"#, options: .regularExpression) else { return nil }
        let text = screen[range].dropFirst(7).replacingOccurrences(of: " ", with: "T") + "Z"
        return ISO8601DateFormatter().date(from: text)
    }

    /// `2026-12-02` of a time, UTC.
    static func day(_ date: Date) -> String {
        String(ISO8601DateFormatter().string(from: date).prefix(10))
    }

    /// `05:32:40` of a time, UTC.
    static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: date)
    }

    @Test("--record on the embedded dashboard: scrapes, the log stream from the start, its spans, the injected failure as a note")
    func dashboardRecords() async throws {
        let dir = Paths.temporaryDirectory("rec-dash").appendingPathComponent("rec").path
        let session = try Session(width: 160, height: 48)
        let profiles = Paths.temporaryDirectory("rec-dash-profiles").path
        try session.type(
            "\(Paths.teleportTopBinary.path) --otlp-grpc off --otlp-http off --interval 500ms --record \(dir) --log-file /tmp/tt-rec-dash.log"
                + " --profile-seconds 1 --profile-dir \(profiles)")
        _ = try await session.wait(for: " OK ")
        try session.send("x")
        _ = try await session.wait(for: "ok → degraded", timeout: .seconds(30))
        try session.send("p")
        _ = try await session.wait(for: "Showing nodes accounting for", timeout: .seconds(40))
        try session.send("Escape")
        try session.send("q")
        _ = try await session.wait(for: "shell>")
        let playback = try RecordingPlayback(path: dir)
        #expect(playback.scrapes.count >= 2)
        #expect(playback.header.sources.target?.hasPrefix("embedded") == true)
        let kinds = Set(playback.reader.frames.map(\.kind))
        #expect(kinds.contains(FrameKind.logs.rawValue), "the log stream is recorded from the start")
        #expect(kinds.contains(FrameKind.spans.rawValue), "the embedded engine's spans")
        let notes = try playback.reader.frames.filter { $0.kind == FrameKind.note.rawValue }.map { try playback.note($0) }
        #expect(notes.contains { $0.kind == "inject" })
        #expect(playback.changes().count >= 1, "ok → degraded is in the index")
        #expect(kinds.contains(FrameKind.profile.rawValue), "the CPU profile captured with p")
        let json = try await runOffPool(Paths.teleportTopBinary.path, ["snapshot", "--from", dir, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        // The replay's Profiles tab has the capture, and its viewer opens it.
        try session.type("\(Paths.teleportTopBinary.path) replay \(dir) --log-file /tmp/tt-rec-dash.log")
        _ = try await session.wait(for: "REPLAY ")
        try session.send("}")
        try session.send("9")
        _ = try await session.wait(for: "captures of this session")
        let tab = try await session.wait(for: ".pb.gz")
        #expect(tab.contains("teleport-top-replay-") && tab.contains("-profile-"), "\(tab)")
        try session.send("q")
        _ = try await session.wait(for: "shell>")
    }

    @Test("A fleet: --record on the embedded fleet, then replay shows the fleet screen at the cursor, an instance opens and I returns")
    func fleet() async throws {
        let dir = Paths.temporaryDirectory("rec-fleet").appendingPathComponent("rec").path
        let session = try Session(width: 160, height: 48)
        let binary = Paths.teleportTopBinary.path
        try session.type("\(binary) --embedded --instances 3 --interval 500ms --otlp-grpc off --otlp-http off --record \(dir) --log-file /tmp/tt-rec-fleet.log")
        _ = try await session.wait(for: "3 instances")
        // Until every instance has a few scrapes in the file.
        let deadline = ContinuousClock.now + .seconds(60)
        var counts: [Int] = []
        while ContinuousClock.now < deadline {
            if let reader = try? RecordingReader(path: dir), let names = Optional(RecordingPlayback(reader: reader).instances), names.count == 3 {
                counts = names.map { RecordingPlayback(reader: reader, target: $0).scrapes.count }
                if counts.allSatisfy({ $0 >= 4 }) { break }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        try session.send("q")
        _ = try await session.wait(for: "shell>")
        let reader = try RecordingReader(path: dir)
        let names = RecordingPlayback(reader: reader).instances
        #expect(names.count == 3, "\(names)")
        for name in names {
            // Each instance's bodies inflate against its own previous body.
            let playback = RecordingPlayback(reader: reader, target: name)
            #expect(playback.scrapes.count >= 4, "\(name)")
            for position in playback.scrapes.indices { _ = try playback.scrape(at: position) }
        }
        try session.type("\(binary) replay \(dir) --log-file /tmp/tt-rec-fleet.log")
        var screen = try await session.wait(for: "REPLAY ")
        #expect(screen.contains("3 instances"))
        try session.send("}")
        screen = try await session.wait(for: " OK ")
        for name in names { #expect(screen.contains(name), "\(name):\n\(screen)") }
        try session.send("Enter")
        screen = try await session.wait(for: "(recorded)  OK")
        // At the recording's end an instance's last scrape may be more than two intervals
        // back (the dashboard was quitting): then the header says how long it had no answer.
        #expect(screen.contains("REPLAY") && (screen.contains("scraped") || screen.contains("the last scrape took")), "\(screen)")
        try session.send("I")
        _ = try await session.wait(for: "3 instances")
        try session.send("q")
        _ = try await session.wait(for: "shell>")
    }
}
