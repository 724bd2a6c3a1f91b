import Foundation

/// The Python OpenTelemetry peers in Tests/Fixtures/otel (the real SDK as a sender, a
/// grpcio + opentelemetry-proto receiver, a json_format checker of trace files), run from a
/// venv built on first use under .build/fixtures/otel-venv with the pinned
/// requirements.txt and reused while that file is unchanged. Under CI=true a venv that
/// cannot be built fails the tests; elsewhere they are skipped with the reason printed.
package enum PythonOTel {
    package static let fixtures = Paths.repo("Tests/Fixtures/otel")
    package static let venv = Paths.fixtureCache.appendingPathComponent("otel-venv")
    package static var python: String { venv.appendingPathComponent("bin/python").path }

    /// The venv, built once per test process.
    package static let built: Result<URL, FixtureError> = build()

    /// Whether the tests that need the peers run: always under CI (where a failure to build
    /// the venv fails them), else only when the venv could be built.
    package static var enabled: Bool {
        if Prerequisites.isCI { return true }
        if case .failure(let error) = built {
            print("skipping the Python OpenTelemetry tests: \(error)")
            return false
        }
        return true
    }

    /// The python of the venv; throws (failing the test) when the venv could not be built.
    package static func interpreter() throws -> String {
        try built.get()
        return python
    }

    private static func build() -> Result<URL, FixtureError> {
        let fm = FileManager.default
        let requirements = fixtures.appendingPathComponent("requirements.txt")
        let stamp = venv.appendingPathComponent("requirements.txt")
        guard let wanted = fm.contents(atPath: requirements.path) else { return .failure(FixtureError("missing \(requirements.path)")) }
        if fm.contents(atPath: stamp.path) == wanted, fm.isExecutableFile(atPath: python) { return .success(venv) }
        guard let python3 = Prerequisites.which("python3") else { return .failure(FixtureError("python3 is not installed")) }
        try? fm.createDirectory(at: Paths.fixtureCache, withIntermediateDirectories: true)
        // The stamp is written last: a half-built venv has none and is built again.
        try? fm.removeItem(at: venv)
        do {
            var environment = ProcessInfo.processInfo.environment
            environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
            let made = try run(python3, ["-m", "venv", venv.path])
            guard made.status == 0 else { return .failure(FixtureError("python3 -m venv failed:\n\(made.stderr)")) }
            let installed = try run(python, ["-m", "pip", "install", "-q", "-r", requirements.path], environment: environment)
            guard installed.status == 0 else { return .failure(FixtureError("pip install -r requirements.txt failed:\n\(installed.stderr)")) }
            guard fm.createFile(atPath: stamp.path, contents: wanted) else { return .failure(FixtureError("cannot write \(stamp.path)")) }
            return .success(venv)
        } catch {
            return .failure(FixtureError("cannot build the venv: \(error)"))
        }
    }

    /// An environment without OTEL_* variables.
    package static var cleanEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OTEL_") }
    }

    /// Runs a script of the fixtures to completion, on a thread of its own: waiting for it
    /// must not hold one of Swift concurrency's few threads (two on a 2-core machine), which
    /// the receivers under test need to answer the script.
    package static func runScript(_ script: String, _ arguments: [String], input: Data? = nil) async throws -> (status: Int32, stdout: String, stderr: String) {
        let python = try interpreter()
        let environment = cleanEnvironment
        return try await runOffPool(python, [fixtures.appendingPathComponent(script).path] + arguments, input: input, environment: environment)
    }

    /// What the sender reports.
    package struct Sent: Decodable {
        package struct Span: Decodable, Hashable {
            package var trace: String
            package var span: String
            package var parent: String?
            package var name: String
        }
        package var spans: [Span]
        package var exported: Int
        package var failedExports: Int

        enum CodingKeys: String, CodingKey {
            case spans, exported
            case failedExports = "failed_exports"
        }
    }

    /// Sends nested traces with the SDK; returns the report (and the exit status).
    package static func send(protocol proto: String, endpoint: String, traces: Int = 10, extra: [String] = []) async throws -> (Sent, Int32, String) {
        let result = try await runScript("sender.py", ["--protocol", proto, "--endpoint", endpoint, "--traces", String(traces)] + extra)
        guard let line = result.stdout.split(separator: "\n").last, let sent = try? JSONDecoder().decode(Sent.self, from: Data(line.utf8)) else {
            throw FixtureError("sender.py printed no report (status \(result.status)):\n\(result.stderr)")
        }
        return (sent, result.status, result.stderr)
    }

    /// One span as the Python receiver recorded it.
    package struct Received: Decodable, Hashable {
        package var transport: String
        package var trace: String
        package var span: String
        package var parent: String
        package var name: String
        package var kind: Int
        package var status: Int
        package var statusMessage: String
        package var start: UInt64
        package var end: UInt64
        package var attributes: [String: AttributeJSON]
        package var resource: [String: AttributeJSON]
        package var scope: String

        enum CodingKeys: String, CodingKey {
            case transport, trace, span, parent, name, kind, status, start, end, attributes, resource, scope
            case statusMessage = "status_message"
        }
    }

    /// A JSON attribute value, kept as text.
    package struct AttributeJSON: Decodable, Hashable, CustomStringConvertible {
        package var description: String
        package init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let s = try? container.decode(String.self) {
                description = s
            } else if let b = try? container.decode(Bool.self) {
                description = String(b)
            } else if let i = try? container.decode(Int64.self) {
                description = String(i)
            } else if let d = try? container.decode(Double.self) {
                description = String(d)
            } else {
                description = "?"
            }
        }
    }

    /// The Python receiver, running.
    package final class Receiver: Sendable {
        package let process: ChildProcess
        package let output: URL
        package let grpcAddress: String?
        package let httpAddress: String?

        package init(process: ChildProcess, output: URL, grpcAddress: String?, httpAddress: String?) {
            self.process = process
            self.output = output
            self.grpcAddress = grpcAddress
            self.httpAddress = httpAddress
        }

        /// Spans received so far.
        package func spans() -> [Received] {
            guard let data = FileManager.default.contents(atPath: output.path) else { return [] }
            return data.split(separator: UInt8(ascii: "\n")).compactMap { try? JSONDecoder().decode(Received.self, from: Data($0)) }
        }

        /// Waits until at least `count` spans arrived (or the deadline passed); returns them.
        package func waitFor(_ count: Int, timeout: Duration = .seconds(60), where match: (Received) -> Bool = { _ in true }) async -> [Received] {
            let deadline = ContinuousClock.now + timeout
            var spans = self.spans().filter(match)
            while spans.count < count, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
                spans = self.spans().filter(match)
            }
            return spans
        }

        package func stop() async { await process.stop() }
    }

    /// Starts the receiver (`--grpc`/`--http` as 127.0.0.1:0 or off) and waits for its addresses.
    package static func startReceiver(grpc: Bool = true, http: Bool = true, tls: TestCA? = nil, mutual: Bool = false) async throws -> Receiver {
        let output = Paths.temporaryDirectory("recv").appendingPathComponent("spans.jsonl")
        var arguments = [
            fixtures.appendingPathComponent("receiver.py").path, "--out", output.path,
            "--grpc", grpc ? "127.0.0.1:0" : "off", "--http", http ? "127.0.0.1:0" : "off",
        ]
        if let tls {
            arguments += ["--cert", tls.serverCert, "--key", tls.serverKey]
            if mutual { arguments += ["--client-ca", tls.caCert] }
        }
        let process = try ChildProcess(try interpreter(), arguments, environment: cleanEnvironment)
        func address(_ kind: String) async throws -> String {
            let line = try await process.waitForLine { $0.hasPrefix("LISTENING \(kind) ") }
            return String(line.dropFirst("LISTENING \(kind) ".count))
        }
        return Receiver(
            process: process, output: output, grpcAddress: grpc ? try await address("grpc") : nil, httpAddress: http ? try await address("http") : nil)
    }

    /// What check_trace_files.py reports about a directory.
    package struct FileCheck: Decodable {
        package struct File: Decodable {
            package var name: String
            package var bytes: Int
            package var lines: Int
            package var endsWithNewline: Bool
            package var mode: String

            enum CodingKeys: String, CodingKey {
                case name, bytes, lines, mode
                case endsWithNewline = "ends_with_newline"
            }
        }
        package struct Span: Decodable, Hashable {
            package var file: String
            package var line: Int
            package var trace: String
            package var span: String
            package var parent: String
            package var name: String
            package var resource: [String: String]
        }
        package var files: [File]
        package var spans: [Span]
        package var errors: [String]
        package var dirMode: String

        enum CodingKeys: String, CodingKey {
            case files, spans, errors
            case dirMode = "dir_mode"
        }
    }

    package static func checkTraceFiles(_ directory: String) async throws -> FileCheck {
        let result = try await runScript("check_trace_files.py", [directory])
        guard let check = try? JSONDecoder().decode(FileCheck.self, from: Data(result.stdout.utf8)) else {
            throw FixtureError("check_trace_files.py failed (\(result.status)):\n\(result.stderr)\n\(result.stdout.prefix(2000))")
        }
        return check
    }
}

/// `run` on a thread outside Swift concurrency's pool, awaited without blocking the pool.
package func runOffPool(
    _ executable: String, _ arguments: [String], input: Data? = nil, environment: [String: String]? = nil
) async throws -> (status: Int32, stdout: String, stderr: String) {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try run(executable, arguments, input: input, environment: environment) })
        }
    }
}

extension TestCA {
    /// `make()` on a thread of its own (openssl runs five times).
    package static func makeOffPool() async throws -> TestCA {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try TestCA.make() }) }
        }
    }
}
