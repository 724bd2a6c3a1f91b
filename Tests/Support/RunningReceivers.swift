import Foundation
import Logging
import TeleportCore
import TeleportTopData

/// Our OTLP receivers started on loopback as the dashboard runs them (through `SpanIntake`).
package struct RunningReceivers {
    package let intake: SpanIntake
    package let store: SpanStore
    package let grpc: String?
    package let http: String?

    package func stop() async { await intake.stop() }

    /// Every span held, newest first.
    package func spans() async -> [SpanRecord] {
        await store.snapshot(query: SpanQuery(limit: Int.max)).feed
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "receiver-tests")
        logger.logLevel = .critical
        return logger
    }

    /// Starts the receivers on 127.0.0.1:0 (or `grpcPort`) and waits for their bound addresses.
    package static func start(
        grpc: Bool = true, http: Bool = true, grpcPort: Int = 0, httpPort: Int = 0, tls: ReceiverTLS? = nil
    ) async throws -> RunningReceivers {
        let store = SpanStore(capacity: 100_000)
        let options = SpanIntake.Options(
            grpc: grpc ? .tcp(host: "127.0.0.1", port: grpcPort) : nil, http: http ? .tcp(host: "127.0.0.1", port: httpPort) : nil, tls: tls)
        let intake = SpanIntake(options: options, store: store, logger: quietLogger)
        let deadline = ContinuousClock.now + .seconds(90)  // a loaded CI machine runs every suite at once
        var grpcAddress: String?
        var httpAddress: String?
        while ContinuousClock.now < deadline {
            let snapshot = await store.snapshot()
            grpcAddress = snapshot.sources.first { $0.hasPrefix("OTLP gRPC ") }.flatMap { $0.split(separator: " ").last.map(String.init) }
            httpAddress = snapshot.sources.first { $0.hasPrefix("OTLP HTTP ") }.flatMap { $0.split(separator: " ").last.map(String.init) }
            let grpcDone = !grpc || grpcAddress != nil || snapshot.warnings.contains { $0.hasPrefix("OTLP gRPC") }
            let httpDone = !http || httpAddress != nil || snapshot.warnings.contains { $0.hasPrefix("OTLP HTTP") }
            if grpcDone && httpDone { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        return RunningReceivers(intake: intake, store: store, grpc: grpcAddress, http: httpAddress)
    }
}
