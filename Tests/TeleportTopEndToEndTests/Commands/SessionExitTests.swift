import Foundation
import TeleportTopTestPeers
import Testing

/// Every way out of every kind of dashboard (one target, a fleet, a replay) stops what the
/// session started: a normal quit, an error after the embedded engine started (a recording
/// that cannot be written), SIGTERM. Nothing is left behind: no socket file of the embedded
/// engine, no replay scratch directory, no process.
@Suite("Dashboard session: every way out", .serialized, .enabled(if: Prerequisites.required(Prerequisites.which("tmux") != nil)))
struct SessionExitTests {
    typealias Session = DashboardTmuxTests.Session
    let binary = Paths.teleportTopBinary.path

    /// A scratch runtime directory (where the embedded engine's debug socket goes) and temp
    /// directory (a replay's scratch files), both empty.
    struct Scratch {
        let runtime = Paths.temporaryDirectory("exit-run").path
        let temp = Paths.temporaryDirectory("exit-tmp").path
        var environment: [String: String] { ["XDG_RUNTIME_DIR": runtime, "TMPDIR": temp] }

        /// What is left in both (sockets, scratch directories).
        func leftovers() -> [String] {
            let sockets = ((try? FileManager.default.subpathsOfDirectory(atPath: runtime)) ?? []).filter { $0.hasSuffix(".sock") }
            let scratch = ((try? FileManager.default.contentsOfDirectory(atPath: temp)) ?? []).filter { $0.hasPrefix("teleport-top-replay-") }
            return sockets + scratch
        }
    }

    /// Waits until no process has `marker` among its arguments.
    static func gone(_ marker: String) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if DashboardTmuxTests.pid(withArgument: marker) == nil { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Starts `arguments` in tmux with a unique `--log-file` (its marker), waits for `ready`.
    func start(_ session: Session, _ arguments: String, ready: String, scratch: Scratch) async throws -> String {
        let marker = "/tmp/tt-exit-\(UInt32.random(in: 0...UInt32.max)).log"
        let env = scratch.environment.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        try session.type("env \(env) \(binary) \(arguments) --log-file \(marker); echo exited-$?")
        _ = try await session.wait(for: ready)
        return marker
    }

    /// A recording of the embedded engine, to replay.
    func recording() async throws -> String {
        let dir = Paths.temporaryDirectory("exit-rec").appendingPathComponent("rec").path
        let recorded = try await runOffPool(binary, ["record", dir, "--embedded", "--interval", "250ms", "--for", "2s"])
        #expect(recorded.status == 0, "record: \(recorded.stderr)")
        return dir
    }

    @Test("q, SIGTERM and an error after the start leave nothing behind: one target, a fleet, a replay", arguments: ["target", "fleet", "replay"])
    func exits(_ kind: String) async throws {
        let replayDir = kind == "replay" ? try await recording() : ""
        let arguments: String
        let ready: String
        switch kind {
        case "target":
            arguments = "--embedded --otlp-grpc off --otlp-http off"
            ready = "simulated"
        case "fleet":
            arguments = "--embedded --instances 2 --otlp-grpc off --otlp-http off"
            ready = "Fleet"
        default:
            arguments = "replay \(replayDir)"
            ready = "REPLAY "
        }
        // q
        let session = try Session(width: 160, height: 48)
        var scratch = Scratch()
        var marker = try await start(session, arguments, ready: ready, scratch: scratch)
        if kind != "replay" {
            // The embedded engine's socket exists while it runs (a fleet's instances have none).
            if kind == "target" { #expect(!scratch.leftovers().isEmpty, "no socket while running") }
        } else {
            #expect(!scratch.leftovers().isEmpty, "no replay scratch directory while running")
        }
        try session.send("q")
        var screen = try await session.wait(for: "exited-0")
        #expect(await Self.gone(marker), "\(kind): still running after q")
        #expect(scratch.leftovers().isEmpty, "\(kind) q left: \(scratch.leftovers())\n\(screen)")

        // SIGTERM
        scratch = Scratch()
        marker = try await start(session, arguments, ready: ready, scratch: scratch)
        let pid = try #require(DashboardTmuxTests.pid(withArgument: marker))
        kill(pid, SIGTERM)
        #expect(await Self.gone(marker), "\(kind): still running after SIGTERM")
        screen = try session.capture()
        #expect(scratch.leftovers().isEmpty, "\(kind) SIGTERM left: \(scratch.leftovers())\n\(screen)")

        // An error after the start: a recording that cannot be written (a replay records nothing).
        guard kind != "replay" else { return }
        scratch = Scratch()
        let env = scratch.environment.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        try session.type("clear; env \(env) \(binary) \(arguments) --record /proc/no-such/rec --log-file /tmp/tt-exit-err.log; echo failed-$?")
        // `echo failed-$?` on the command line itself does not match: only the status does.
        screen = try await session.wait(for: "failed-1")
        #expect(screen.contains("--record /proc/no-such/rec"), "\(kind): \(screen)")
        #expect(scratch.leftovers().isEmpty, "\(kind) error left: \(scratch.leftovers())")
    }
}
