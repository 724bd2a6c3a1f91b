import Foundation
import TeleportTopTestPeers
import Testing

/// What a person types never crashes teleport-top: option values and prompts that cannot be
/// read are refused with the reason, where they were typed (the command line, or the prompt,
/// which stays open while the dashboard goes on).
@Suite("Typed input", .serialized, .enabled(if: Prerequisites.required(Prerequisites.which("tmux") != nil)))
struct TypedInputTests {
    typealias Session = DashboardTmuxTests.Session
    let binary = Paths.teleportTopBinary.path

    /// A short recording of the embedded engine.
    func recording() async throws -> String {
        let dir = Paths.temporaryDirectory("typed").appendingPathComponent("rec").path
        let recorded = try await runOffPool(binary, ["record", dir, "--embedded", "--interval", "250ms", "--for", "2s"])
        #expect(recorded.status == 0, "record: \(recorded.stderr)")
        return dir
    }

    @Test("Times, durations and regexes that cannot be read are one-line errors on the command line (Thai and fullwidth digits, 25:00)")
    func commandLine() async throws {
        let dir = try await recording()
        let cases: [([String], String)] = [
            (["snapshot", "--from", dir, "--at", "๒๒:๐๐"], "ASCII digits"),
            (["snapshot", "--from", dir, "--at", "０５:３２"], "ASCII digits"),
            (["snapshot", "--from", dir, "--at", "25:00"], "hours run from 00 to 23"),
            (["snapshot", "--from", dir, "--at=-๕m"], "not an ASCII digit"),
            (["snapshot", "--from", dir, "--at", "yesterday"], "not a time"),
            (["snapshot", "--embedded", "--interval", "๕s"], "not an ASCII digit"),
            (["snapshot", "--embedded", "--timeout", "0s"], "must be longer than 0"),
            (["snapshot", "--embedded", "--interval", "5"], "needs a unit"),
            (["record", dir + "-2", "--embedded", "--max-size", "๖๔MiB"], "not a size"),
            (["logs", "--embedded", "--grep", "foo("], "a ( without its )"),
        ]
        for (arguments, reason) in cases {
            let result = try await runOffPool(binary, arguments)
            let said = result.stderr + result.stdout
            #expect(result.status != 0, "\(arguments): exited 0")
            #expect(said.contains(reason), "\(arguments): \(said)")
            #expect(!said.contains("Fatal error") && !said.contains("Unexpectedly found nil"), "\(arguments): \(said)")
            #expect(!said.contains("\u{1B}"), "\(arguments): an escape in the error")
        }
    }

    @Test("The replay's : prompt refuses Thai digits with the reason, stays open and alive, and Esc leaves it")
    func replayPrompt() async throws {
        let dir = try await recording()
        let session = try Session(width: 160, height: 48)
        try session.type("\(binary) replay \(dir) --log-file /tmp/tt-typed-replay.log")
        _ = try await session.wait(for: "REPLAY ")
        try session.send(":")
        _ = try await session.wait(for: "jump to")
        _ = try run(session.tmux, ["-L", session.socket, "send-keys", "-l", "๒๒:๐๐"])
        var screen = try await session.wait(for: "ASCII digits")
        try session.send("Enter")
        screen = try await session.wait(for: "Esc leaves")
        #expect(screen.contains("jump to"), "the prompt stays open:\n\(screen)")
        #expect(screen.contains("REPLAY "), "the dashboard is alive:\n\(screen)")
        try session.send("Escape")
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, screen.contains("jump to") {
            try await Task.sleep(for: .milliseconds(100))
            screen = try session.capture()
        }
        #expect(!screen.contains("jump to"), "Esc leaves the prompt:\n\(screen)")
        // Alive: a good time is still taken.
        try session.send(":")
        _ = try await session.wait(for: "jump to")
        _ = try run(session.tmux, ["-L", session.socket, "send-keys", "-l", "-1s"])
        try session.send("Enter")
        try session.send("q")
        _ = try await session.wait(for: "shell> ")
    }

    /// The hint line: the screen's last row.
    static func hintLine(_ screen: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false).last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
    }

    /// Types `text` into the prompt that `key` opens (its hint line starts with `prompt`),
    /// checks the reason as typed and after Enter, then that Esc leaves the prompt.
    func refused(_ session: Session, key: String, text: String, says reason: String, prompt: String) async throws {
        try session.send(key)
        _ = try await session.wait(for: prompt + "▏")
        _ = try run(session.tmux, ["-L", session.socket, "send-keys", "-l", text])
        _ = try await session.wait(for: reason)
        try session.send("Enter")
        let screen = try await session.wait(for: "Esc leaves")
        #expect(Self.hintLine(screen).hasPrefix(" " + prompt + text), "\(key) \(text): the prompt stays open:\n\(screen)")
        try session.send("Escape")
        let deadline = ContinuousClock.now + .seconds(30)
        var now = try session.capture()
        while ContinuousClock.now < deadline, Self.hintLine(now).hasPrefix(" " + prompt) {
            try await Task.sleep(for: .milliseconds(100))
            now = try session.capture()
        }
        #expect(!Self.hintLine(now).hasPrefix(" " + prompt), "\(key) \(text): Esc leaves the prompt:\n\(now)")
        #expect(!now.contains(reason), "\(key) \(text): the reason is gone with the prompt:\n\(now)")
    }

    @Test("An invalid regex in / and f on a table, the fleet and the Logs screen says why; Esc leaves the prompt")
    func invalidFilters() async throws {
        let session = try Session(width: 160, height: 48)
        try session.type("\(binary) --embedded --otlp-grpc off --otlp-http off --log-file /tmp/tt-typed.log")
        _ = try await session.wait(for: "simulated")
        try session.send("2")
        _ = try await session.wait(for: "Auth")
        try await refused(session, key: "/", text: "backend(", says: "a ( without its )", prompt: "filter /")
        try await refused(session, key: "f", text: "component=~[x", says: "a [ without its ]", prompt: "labels ")
        try await refused(session, key: "f", text: "компонент=x", says: "is not a label name", prompt: "labels ")
        try session.send("L")
        _ = try await session.wait(for: "Logs")
        try await refused(session, key: "/", text: "a)b", says: "a ) without its (", prompt: "filter /")
        try session.send("q")
        _ = try await session.wait(for: "shell> ")

        try session.type("\(binary) --embedded --instances 3 --otlp-grpc off --otlp-http off --log-file /tmp/tt-typed-fleet.log")
        _ = try await session.wait(for: "Fleet")
        try await refused(session, key: "/", text: "inst(", says: "a ( without its )", prompt: "filter /")
        try await refused(session, key: "f", text: "role=~(", says: "a ( without its )", prompt: "labels ")
        try session.send("q")
        _ = try await session.wait(for: "shell> ")
    }
}
