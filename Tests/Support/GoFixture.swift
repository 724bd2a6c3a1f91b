import Foundation

/// The Teleport-like Go diag listener in Tests/Fixtures/godiag (client_golang metrics,
/// /healthz, /readyz with a settable state, net/http/pprof behind -debug), built with
/// Debian's golang-go in GOPATH mode on first use and cached under .build/fixtures.
package enum GoFixture {
    package static let source = Paths.repo("Tests/Fixtures/godiag")
    package static let binary = Paths.fixtureCache.appendingPathComponent("godiag")

    /// Builds the fixture once per test process (again when the source is newer).
    package static let built: Result<URL, FixtureError> = build()

    private static func build() -> Result<URL, FixtureError> {
        let fm = FileManager.default
        // The newest of the fixture's Go files.
        let sourceDate = ((try? fm.contentsOfDirectory(atPath: source.path)) ?? []).filter { $0.hasSuffix(".go") }
            .compactMap { (try? fm.attributesOfItem(atPath: source.appendingPathComponent($0).path))?[.modificationDate] as? Date }.max()
        if let binaryDate = (try? fm.attributesOfItem(atPath: binary.path))?[.modificationDate] as? Date,
            let sourceDate, binaryDate > sourceDate
        {
            return .success(binary)
        }
        guard let go = Prerequisites.which("go") else {
            return .failure(FixtureError("go is not installed (apt-get install golang-go golang-github-prometheus-client-golang-dev)"))
        }
        try? fm.createDirectory(at: Paths.fixtureCache, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["GO111MODULE"] = "off"
        environment["GOPATH"] = "/usr/share/gocode"
        environment["GOCACHE"] = Paths.fixtureCache.appendingPathComponent("gocache").path
        environment["GOFLAGS"] = ""
        let temporary = binary.path + ".tmp-\(getpid())"
        do {
            let result = try run(go, ["build", "-o", temporary, "."], environment: environment, directory: source)
            guard result.status == 0 else { return .failure(FixtureError("go build failed:\n\(result.stderr)")) }
            _ = rename(temporary, binary.path)
            return .success(binary)
        } catch {
            return .failure(FixtureError("cannot run go: \(error)"))
        }
    }

    /// A running fixture and its address.
    package struct Instance {
        package let process: ChildProcess
        package let baseURL: String
        package let socketPath: String?

        package func stop() async { await process.stop() }
    }

    /// Starts the fixture with extra flags and waits for its LISTENING lines.
    package static func start(_ arguments: [String] = []) async throws -> Instance {
        let binary = try built.get()
        let process = try ChildProcess(binary.path, arguments)
        let unix = arguments.contains("-unix")
        let tcp = !(arguments.firstIndex(of: "-listen").map { arguments[$0 + 1] == "off" } ?? false)
        var base = ""
        if tcp {
            let line = try await process.waitForLine { $0.hasPrefix("LISTENING http") }
            base = String(line.dropFirst("LISTENING ".count))
        }
        var socket: String?
        if unix {
            let line = try await process.waitForLine { $0.hasPrefix("LISTENING unix:") }
            socket = String(line.dropFirst("LISTENING unix:".count))
        }
        return Instance(process: process, baseURL: base, socketPath: socket)
    }
}

package struct FixtureError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
