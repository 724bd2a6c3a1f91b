import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportOTLP
import TeleportTopData
import TeleportTopTestSupport

/// `go tool pprof`, the reference our reports are compared with.
package enum GoPprof {
    package static let go: String? = Prerequisites.which("go")
    package static let available: Bool = go != nil

    /// `go tool pprof -top FLAGS FILE`'s standard output; throws on a non-zero exit.
    package static func run(_ flags: [String], _ file: String) throws -> String {
        guard let go else { throw FixtureError("go is not installed (apt-get install golang-go)") }
        var environment = ProcessInfo.processInfo.environment
        environment["PPROF_TMPDIR"] = NSTemporaryDirectory()
        environment["PPROF_BINARY_PATH"] = "/nonexistent"
        let result = try runWithDeadline(go, ["tool", "pprof"] + flags + [file], timeout: .seconds(120), environment: environment)
        guard result.status == 0 else { throw FixtureError("go tool pprof \(flags) failed (\(result.status)): \(result.stderr)") }
        return result.stdout
    }

    package static func top(_ flags: [String], _ file: String) throws -> String { try run(["-top"] + flags, file) }
}

/// The Go fixture with `-debug` (pprof on, CPU burnt, contention, live heap, parked
/// goroutines), started once for the whole test process on TCP and a unix socket, and one
/// capture of every kind from it, saved to files for `go tool pprof`.
package enum ProfilingFixture {
    package static let socketDirectory = Paths.temporaryDirectory("prof")
    package static let socketPath = socketDirectory.appendingPathComponent("debug.sock").path

    package static let instance = Task { () throws -> GoFixture.Instance in
        try await GoFixture.start(["-debug", "-unix", socketPath])
    }

    package struct Capture: Sendable {
        package let kind: ProfileKind
        package let path: String
        package let captured: CapturedProfile
    }

    /// Every kind over HTTP, CPU and trace first (3 s and 1 s) so the contention profiles
    /// have had time to fill.
    package static let captures = Task { () throws -> [ProfileKind: Capture] in
        let fixture = try await instance.value
        let client = try DiagClient(target: DiagTarget(diagAddr: fixture.baseURL), options: .init(timeout: .seconds(20)))
        defer { Task { await client.shutdown() } }
        let directory = Paths.temporaryDirectory("captures")
        var result: [ProfileKind: Capture] = [:]
        let order: [ProfileKind] = [.profile, .trace, .heap, .allocs, .goroutine, .block, .mutex, .threadcreate, .cmdline]
        for kind in order {
            let seconds = kind == .profile ? 3 : (kind == .trace ? 1 : nil)
            let captured = try await ProfileCapture(kind: kind, seconds: seconds).run(client: client)
            let path = directory.appendingPathComponent("\(kind.rawValue).\(kind.fileExtension)").path
            try Data(captured.body).write(to: URL(fileURLWithPath: path))
            result[kind] = Capture(kind: kind, path: path, captured: captured)
        }
        return result
    }

    package static func capture(_ kind: ProfileKind) async throws -> Capture {
        guard let capture = try await captures.value[kind] else { throw FixtureError("no \(kind.rawValue) capture") }
        return capture
    }
}

/// Writes bytes to a fresh temporary file and returns its path.
package func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
    let path = Paths.temporaryDirectory("pprof").appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

/// A line-by-line comparison that names the first difference.
package func firstDifference(_ ours: String, _ theirs: String) -> String? {
    let a = ours.split(separator: "\n", omittingEmptySubsequences: false)
    let b = theirs.split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(a.count, b.count) {
        let x = i < a.count ? String(a[i]) : "<none>"
        let y = i < b.count ? String(b[i]) : "<none>"
        if x != y { return "line \(i + 1):\n ours:  \(x)\n pprof: \(y)" }
    }
    return nil
}
