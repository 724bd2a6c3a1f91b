import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// Help and keys agree with the screen (issue 22, items 7, 8, 10 and 14), under tmux: the
/// fleet's `?` blanks the table, the pprof viewer's help lists its own keys, a replay refuses
/// `V` and says where it is, a terminal too small acts on no key but `q`, the help scrolls.
@Suite("Help and keys under tmux", .serialized, .enabled(if: Prerequisites.required(Prerequisites.which("tmux") != nil)))
struct HelpAndKeysTmuxTests {
    typealias Session = DashboardTmuxTests.Session
    let binary = Paths.teleportTopBinary.path
    var dashboard: String { "\(binary) --otlp-grpc off --otlp-http off" }

    @Test("7: ? on the fleet replaces the table (nothing of it shows through); L is in the help")
    func fleetHelp() async throws {
        let session = try Session(width: 160, height: 48)
        try session.type("\(dashboard) --embedded --instances 4 --interval 1s --log-file /tmp/tt-help.log")
        _ = try await session.wait(for: "4 instances", timeout: .seconds(60))
        _ = try await session.wait(for: "auth-1", timeout: .seconds(60))
        try session.send("?")
        let screen = try await session.wait(for: "Keys (fleet)", timeout: .seconds(60))
        let body = screen.split(separator: "\n").dropFirst(3).dropLast()
        // The help's rows hold a key and its text only: no instance name, no column header.
        #expect(!body.contains { $0.contains("auth-1") || $0.contains("proxy-1") }, "\(screen)")
        #expect(screen.contains("1-9,0,L"), "\(screen)")
        try session.send("q")
    }

    @Test("7: the standalone pprof viewer's help lists its own keys; Esc quits there and says so")
    func pprofHelp() async throws {
        let dir = Paths.temporaryDirectory("pprof-help")
        let file = dir.appendingPathComponent("cpu.pb.gz")
        try Data(SyntheticProfile(seed: 3).encoded()).write(to: file)
        let session = try Session(width: 160, height: 48)
        try session.type("\(binary) pprof \(file.path) --log-file /tmp/tt-help.log")
        _ = try await session.wait(for: "flat  flat%", timeout: .seconds(60))
        try session.send("?")
        let screen = try await session.wait(for: "Keys (")
        for absent in ["1-9", "poll faster", "embedded: fail", "log level", "back to the captures"] {
            #expect(!screen.contains(absent), "\(absent) in:\n\(screen)")
        }
        #expect(screen.contains("sort by flat or cum"))
        #expect(screen.contains("Esc") && screen.contains("quit"))
        try session.send("Escape")
        _ = try await session.wait(for: "flat  flat%", timeout: .seconds(60))
        try session.send("Escape")
        _ = try await session.wait(for: "shell>", timeout: .seconds(60))
    }

    @Test("10: below 60x16 no key but q acts (nothing happens unseen); at 60x16 the help scrolls")
    func tooSmall() async throws {
        let session = try Session(width: 50, height: 14)
        try session.type("\(dashboard) --log-file /tmp/tt-help.log")
        _ = try await session.wait(for: "terminal too small", timeout: .seconds(60))
        for key in ["2", "L", "?", "0"] { try session.send(key) }
        try await Task.sleep(for: .milliseconds(300))
        try session.resize(160, 48)
        var screen = try await session.wait(for: "state, last", timeout: .seconds(60))
        // Still the Overview: none of the keys acted.
        #expect(!screen.contains("Keys ("), "\(screen)")
        #expect(!screen.contains("every family"), "\(screen)")
        try session.resize(60, 16)
        try session.send("?")
        screen = try await session.wait(for: "more (↓/PgDn)", timeout: .seconds(60))
        // The help's first row: under the header's three lines (the findings line the third), the tab bar and its title.
        let first = screen.split(separator: "\n").dropFirst(5).first.map(String.init) ?? ""
        try session.send("PageDown")
        let deadline = ContinuousClock.now + .seconds(30)
        var moved = false
        while ContinuousClock.now < deadline, !moved {
            let now = try session.capture().split(separator: "\n").dropFirst(5).first.map(String.init) ?? ""
            moved = now != first
            if !moved { try await Task.sleep(for: .milliseconds(100)) }
        }
        let after = try session.capture()
        #expect(moved, "the help did not scroll:\n\(after)")
        try session.send("Escape")
        try session.send("q")
    }

    @Test("8 and 14: a replay refuses V, lists no live-only key in ?, has no OTLP advice, refuses a time outside it, N after } lands and stays, marks its end")
    func replay() async throws {
        let dir = try await ReplayTmuxTests.record()
        let playback = try RecordingPlayback(path: dir)
        let session = try Session(width: 160, height: 48)
        try session.type("\(binary) replay \(dir) --log-file /tmp/tt-help.log")
        _ = try await session.wait(for: "REPLAY ", timeout: .seconds(60))
        // 8: V is refused like p, x and r; the picker never opens.
        try session.send("V")
        var screen = try await session.wait(for: "a replay has no target", timeout: .seconds(60))
        #expect(!screen.contains("setting the log level"))
        #expect(!screen.contains("TRACE"), "\(screen)")
        // ? lists no key that needs a live target.
        try session.send("?")
        screen = try await session.wait(for: "Keys (")
        for absent in ["poll faster", "CPU profile now", "embedded: fail", "scrape the target now"] {
            #expect(!screen.contains(absent), "\(absent) in:\n\(screen)")
        }
        try session.send("Escape")
        // 14: no OTLP advice on the Spans tab at the start (no span recorded yet).
        try session.send("8")
        screen = try await session.wait(for: "no spans recorded up to this moment", timeout: .seconds(60))
        #expect(!screen.contains("point an OTLP exporter"))
        try session.send("1")
        // A time before the recording is refused, not clamped.
        try session.send(":")
        _ = try await session.wait(for: "jump to", timeout: .seconds(60))
        _ = try run(session.tmux, ["-L", session.socket, "send-keys", "-l", "00:00:01"])
        try session.send("Enter")
        _ = try await session.wait(for: "outside the recording", timeout: .seconds(60))
        // } then N: lands on the last change and stays there (paused).
        let last = try #require(playback.changes().last)
        try session.send("}")
        _ = try await session.wait(for: "END OF RECORDING", timeout: .seconds(60))
        try session.send("N")
        screen = try await session.wait(for: "\(ReplayTmuxTests.clock(last)) UTC ×1 ‖")
        try await Task.sleep(for: .seconds(2))
        let later = try session.capture()
        #expect(later.contains("\(ReplayTmuxTests.clock(last)) UTC ×1 ‖"))
        try session.send("q")
    }

    @Test("9: quitting with n after V leaves the level changed and prints the command that restores it")
    func keptLevelPrintsRestore() async throws {
        let dir = Paths.temporaryDirectory("kept-level")
        let serve = try ChildProcess(binary, ["serve", "--diag-addr", "127.0.0.1:0", "--data-dir", dir.path, "--components", "proxy"])
        let line = try await serve.waitForLine(inStderr: true) { $0.contains("diag listener started") }
        let addr = String(try #require(line.split(separator: " ").first { $0.hasPrefix("addr=") }).dropFirst(5))
        let socket = dir.appendingPathComponent("debug.sock").path
        let session = try Session(width: 160, height: 48)
        try session.type("\(dashboard) --diag-addr \(addr) --debug-socket \(socket) --log-file /tmp/tt-help-level.log")
        _ = try await session.wait(for: "log INFO", timeout: .seconds(60))
        try session.send("V")
        _ = try await session.wait(for: "▸ INFO", timeout: .seconds(60))
        try session.send("Down")
        try session.send("Enter")
        _ = try await session.wait(for: "log WARN*", timeout: .seconds(60))
        try session.send("q")
        _ = try await session.wait(for: "Restore INFO before quitting?", timeout: .seconds(60))
        try session.send("n")
        let screen = try await session.wait(for: "restore it with: teleport-top log-level --debug-socket", timeout: .seconds(60))
        // The line wraps at the pane's width.
        let joined = screen.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: "  ", with: "")
        #expect(joined.contains("restore it with: teleport-top log-level --debug-socket \(socket) INFO"), "\(screen)")
        _ = await serve.stop()
    }

    @Test("15: profile says on a terminal's stderr what it collects and what it wrote (stdout is the tar)")
    func profileTalks() async throws {
        let dir = Paths.temporaryDirectory("profile-talks")
        let serve = try ChildProcess(binary, ["serve", "--diag-addr", "127.0.0.1:0", "--data-dir", dir.path])
        _ = try await serve.waitForLine(inStderr: true) { $0.contains("debug service started") }
        let socket = dir.appendingPathComponent("debug.sock").path
        let out = dir.appendingPathComponent("p.tar.gz").path
        let session = try Session(width: 160, height: 48)
        try session.type("\(binary) profile --debug-socket \(socket) cmdline > \(out)")
        let screen = try await session.wait(for: "teleport-top profile: wrote ", timeout: .seconds(60))
        #expect(screen.contains("teleport-top profile: collecting cmdline from \(socket)"), "\(screen)")
        _ = await serve.stop()
    }
}
