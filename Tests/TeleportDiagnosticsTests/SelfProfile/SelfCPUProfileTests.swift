import Foundation
import Synchronization
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

/// Set once to stop the spinning thread.
final class StopFlag: Sendable {
    let stopped = Atomic<Bool>(false)
}

/// Burns CPU on its own thread until told to stop; the profile must find it.
@inline(never)
func selfProfileSpinTarget(_ stop: StopFlag) -> Double {
    var x = 1.0
    while !stop.stopped.load(ordering: .relaxed) {
        for i in 1...10_000 { x = (x * 1.000001 + Double(i)).truncatingRemainder(dividingBy: 1e9) }
    }
    return x
}

@Suite("The engine's own profiles", .serialized)
struct SelfCPUProfileTests {
    /// Runs `selfProfileSpinTarget` on a thread while `body` runs.
    func whileSpinning<T>(_ body: () async throws -> T) async rethrows -> T {
        let stop = StopFlag()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            _ = selfProfileSpinTarget(stop)
            done.signal()
        }
        thread.start()
        defer {
            stop.stopped.store(true, ordering: .relaxed)
            done.wait()
        }
        return try await body()
    }

    @Test("A CPU profile of this process: go tool pprof -top reads it and lists the spinning function", .enabled(if: Prerequisites.required(Prerequisites.go)))
    func cpuProfile() async throws {
        let bytes = try await whileSpinning { try await SelfCPUProfile.capture(seconds: 1) }
        #expect(bytes.starts(with: [0x1f, 0x8b]))
        let file = Paths.temporaryDirectory("selfprofile").appendingPathComponent("profile.pb.gz")
        try Data(bytes).write(to: file)
        let go = try #require(Prerequisites.which("go"))
        let top = try run(go, ["tool", "pprof", "-top", "-nodecount=40", file.path])
        #expect(top.status == 0, "\(top.stderr)")
        #expect(top.stdout.contains("selfProfileSpinTarget"), "\(top.stdout)")
        // About a second of one busy thread at 100 Hz: tens of samples, not a handful.
        let samples = try run(go, ["tool", "pprof", "-raw", file.path]).stdout
        let count = samples.split(separator: "\n").filter { $0.contains(": ") && $0.trimmingCharacters(in: .whitespaces).first?.isNumber == true }.count
        #expect(count >= 1, "\(samples.prefix(400))")
        #expect(top.stdout.contains("Type: cpu"), "\(top.stdout.prefix(300))")
    }

    @Test("One capture at a time, as Go answers it")
    func oneAtATime() async throws {
        async let first = SelfCPUProfile.capture(seconds: 1)
        try await Task.sleep(for: .milliseconds(200))
        await #expect(throws: SelfCPUProfile.Failure.self) { try await SelfCPUProfile.capture(seconds: 1) }
        _ = try await first
    }

    @Test("The routes: profile over the debug socket, cmdline, 501 with a reason for the rest")
    func routes() async throws {
        let (engine, _) = makeEngine()
        let directory = Paths.temporaryDirectory("pprof-socket")
        let socket = directory.appendingPathComponent("debug.sock").path
        let server = try await RunningServer.start(engine: engine, address: .unix(path: socket), exposure: .debugSocket)
        let curl = try #require(Prerequisites.which("curl"))
        let profile = directory.appendingPathComponent("p.pb.gz").path
        let status = try await runOffPool(
            curl, ["-s", "-o", profile, "-w", "%{http_code}", "--unix-socket", socket, "http://debug/debug/pprof/profile?seconds=1"])
        #expect(status.stdout == "200")
        #expect(FileManager.default.contents(atPath: profile)?.starts(with: [0x1f, 0x8b]) == true)
        let cmdline = try await runOffPool(curl, ["-s", "--unix-socket", socket, "http://debug/debug/pprof/cmdline"]).stdout
        #expect(cmdline == CommandLine.arguments.joined(separator: "\u{0}"))
        for name in ["heap", "allocs", "goroutine", "block", "mutex", "threadcreate", "trace"] {
            let answer = try await runOffPool(curl, ["-s", "-w", "\n%{http_code}", "--unix-socket", socket, "http://debug/debug/pprof/\(name)"]).stdout
            #expect(answer.hasSuffix("\n501"), "\(name): \(answer)")
            #expect(answer.hasPrefix("\(name) profile: "), "\(answer)")
        }
        await server.stop()
    }
}
