import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

extension TracingPeers {
    /// `teleport-top serve` with tracing, as a user runs it: the built binary exporting to the
    /// Python receiver and to Teleport's trace files.
    @Suite("teleport-top serve exports its spans", .serialized)
    struct ServeTracingTests {
        let binary = Paths.teleportTopBinary.path

        func serve(_ arguments: [String], dataDir: URL = Paths.temporaryDirectory("stt")) throws -> ChildProcess {
            try ChildProcess(
                binary, ["serve", "--diag-addr", "127.0.0.1:0", "--data-dir", dataDir.path] + arguments,
                environment: PythonOTel.cleanEnvironment)
        }

        @Test(
            "tracing_service of -c: heartbeat and simulated-request spans reach the Python receiver over gRPC",
            .enabled(if: PythonOTel.enabled))
        func grpcFromConfig() async throws {
            let receiver = try await PythonOTel.startReceiver(http: false)
            let dir = Paths.temporaryDirectory("sttc")
            let config = dir.appendingPathComponent("teleport.yaml")
            try """
            version: v3
            teleport:
              data_dir: \(dir.path)
            tracing_service:
              enabled: yes
              exporter_url: grpc://\(receiver.grpcAddress!)
              sampling_rate_per_million: 1000000
            """.write(to: config, atomically: true, encoding: .utf8)
            try "host-uuid-from-data-dir\n".write(to: dir.appendingPathComponent("host_uuid"), atomically: true, encoding: .utf8)
            let process = try serve(["-c", config.path, "--tracing-batch-delay", "100ms", "--heartbeat", "200ms", "--request-interval", "50ms"], dataDir: dir)
            _ = try await process.waitForLine(inStderr: true) { $0.contains("tracing started") }
            let spans = await receiver.waitFor(40, timeout: .seconds(60))
            let heartbeats = spans.filter { $0.name == "heartbeat/announce" }
            let backend = spans.filter { $0.name.hasPrefix("backend/") }
            #expect(Set(heartbeats.compactMap { $0.attributes["teleport.component"]?.description }) == ["auth", "proxy", "node"])
            #expect(!backend.isEmpty)
            // Nesting survives the trip: a backend span's parent chain reaches a root of the same trace.
            let byID = Dictionary(spans.map { ($0.span, $0) }, uniquingKeysWith: { a, _ in a })
            var chain = 0
            var current = backend.first { byID[$0.parent] != nil }
            while let span = current, !span.parent.isEmpty, let parent = byID[span.parent] {
                #expect(parent.trace == span.trace)
                chain += 1
                current = parent
            }
            #expect(chain >= 2)
            let resource = try #require(spans.first?.resource)
            #expect(resource["service.name"]?.description == "teleport")
            #expect(resource["teleport.host.uuid"]?.description == "host-uuid-from-data-dir")
            #expect(resource["teleport.process.id"] != nil && resource["teleport.host.name"] != nil && resource["teleport.version"] != nil)
            #expect(await process.stop(signal: SIGTERM) == 0)
            await receiver.stop()
        }

        @Test("OTEL_* variables win over the config for OTLP exporters, and serve warns about them", .enabled(if: PythonOTel.enabled))
        func otelEnvironmentWins() async throws {
            let receiver = try await PythonOTel.startReceiver(http: false)
            var environment = PythonOTel.cleanEnvironment
            environment["OTEL_SERVICE_NAME"] = "from-environment"
            let process = try ChildProcess(
                binary,
                [
                    "serve", "--diag-addr", "127.0.0.1:0", "--data-dir", Paths.temporaryDirectory("stto").path,
                    "--tracing-exporter-url", receiver.grpcAddress!, "--tracing-sampling-rate-per-million", "1000000", "--tracing-batch-delay", "100ms",
                ], environment: environment)
            let warning = try await process.waitForLine(inStderr: true) { $0.contains("OTEL_* environment variables override the tracing config") }
            #expect(warning.contains("OTEL_SERVICE_NAME"))
            let spans = await receiver.waitFor(1, timeout: .seconds(30))
            #expect(spans.first?.resource["service.name"]?.description == "from-environment")
            #expect(await process.stop(signal: SIGTERM) == 0)
            await receiver.stop()
        }

        @Test(
            "file:// with an hour's batch delay: SIGTERM and SIGINT write the queued spans before exit, as Teleport's files",
            .enabled(if: PythonOTel.enabled), arguments: [SIGTERM, SIGINT])
        func fileFlushOnSignal(signal: Int32) async throws {
            let traces = Paths.temporaryDirectory("sttf").appendingPathComponent("traces").path
            let process = try serve([
                "--tracing-exporter-url", "file://\(traces)?limit=20000", "--tracing-sampling-rate-per-million", "1000000",
                "--tracing-batch-delay", "1h", "--request-interval", "1s",
            ])
            // The first heartbeats and the first request have been traced (their spans are queued).
            _ = try await process.waitForLine(inStderr: true) { $0.contains("process state changed") && $0.contains("to=ok") }
            _ = try await process.waitForLine(inStderr: true) { $0.contains("simulated requests started") }
            #expect(try traceFiles(traces).isEmpty, "nothing is written before the delay or a full batch")
            #expect(await process.stop(signal: signal) == 0)
            let check = try await PythonOTel.checkTraceFiles(traces)
            #expect(check.errors.isEmpty)
            #expect(check.spans.contains { $0.name == "heartbeat/announce" })
            #expect(check.spans.contains { $0.name.hasPrefix("proxy/") })
            #expect(check.files.allSatisfy { $0.mode == "0o600" && $0.endsWithNewline })
            #expect(check.dirMode == "0o700")
        }

        @Test(
            "Flags override -c: --tracing-exporter-url and --tracing-sampling-rate-per-million win over the config's gRPC URL and rate 0",
            .enabled(if: PythonOTel.enabled))
        func flagsOverrideConfig() async throws {
            let dir = Paths.temporaryDirectory("stto")
            let config = dir.appendingPathComponent("teleport.yaml")
            // Nothing listens on port 1: spans sent there would be lost, and rate 0 records none.
            try "tracing_service:\n  enabled: yes\n  exporter_url: grpc://127.0.0.1:1\n  sampling_rate_per_million: 0\n"
                .write(to: config, atomically: true, encoding: .utf8)
            let traces = dir.appendingPathComponent("traces").path
            let process = try serve(
                [
                    "-c", config.path, "--tracing-exporter-url", "file://\(traces)", "--tracing-sampling-rate-per-million", "1000000",
                    "--tracing-batch-delay", "1h",
                ], dataDir: dir)
            _ = try await process.waitForLine(inStderr: true) { $0.contains("process state changed") && $0.contains("to=ok") }
            #expect(await process.stop(signal: SIGTERM) == 0)
            let check = try await PythonOTel.checkTraceFiles(traces)
            #expect(check.errors.isEmpty)
            #expect(check.spans.contains { $0.name == "heartbeat/announce" }, "the flag's file exporter and rate were used")
        }

        @Test(
            "Tracing config errors stop serve with Teleport's texts",
            arguments: [
                (["--tracing-exporter-url", "ftp://collector:21"], "unsupported exporter scheme: \"ftp\""),
                (["--tracing-exporter-url", ""], "exporter URL cannot be empty"),
                (
                    ["--tracing-exporter-url", "c:4317", "--tracing-ca-cert", "/nonexistent/ca.pem"],
                    "tracing_service ca cert does not exist: /nonexistent/ca.pem"
                ),
                (
                    ["--tracing-exporter-url", "c:4317", "--tracing-cert", "/nonexistent/c.pem", "--tracing-key", "/nonexistent/k.pem"],
                    "tracing_service private key does not exist: /nonexistent/k.pem"
                ),
                (["--tracing-exporter-url", "c:4317", "--tracing-cert", "/nonexistent/c.pem"], "--tracing-cert and --tracing-key go together"),
            ])
        func configErrors(arguments: [String], message: String) async throws {
            let data = Paths.temporaryDirectory("stte")
            let result = try await runOffPool(binary, ["serve", "--diag-addr", "127.0.0.1:0", "--data-dir", data.path] + arguments)
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }

        @Test("tracing_service enabled without exporter_url in -c is refused")
        func enabledWithoutURL() async throws {
            let dir = Paths.temporaryDirectory("stty")
            let config = dir.appendingPathComponent("teleport.yaml")
            try "tracing_service:\n  enabled: yes\n".write(to: config, atomically: true, encoding: .utf8)
            let result = try await runOffPool(binary, ["serve", "--diag-addr", "127.0.0.1:0", "--data-dir", dir.path, "-c", config.path])
            #expect(result.status != 0)
            #expect(result.stderr.contains("tracing_service is enabled but no exporter_url is specified"), "\(result.stderr)")
        }
    }
}
