import Foundation
import Logging
import ServiceLifecycle
import TeleportCore
import TeleportOTLP

/// Where spans come into the dashboard: the OTLP receivers (gRPC and HTTP) and the trace
/// directories it tails. Each source runs on its own; one that cannot start (a port in use)
/// becomes a warning in the span store and the others go on.
public final class SpanIntake: Sendable {
    public struct Options: Sendable {
        /// nil: off.
        public var grpc: ListenAddress?
        public var http: ListenAddress?
        public var tls: ReceiverTLS?
        public var traceDirectories: [String]
        public var pollInterval: Duration

        public init(
            grpc: ListenAddress? = nil, http: ListenAddress? = nil, tls: ReceiverTLS? = nil, traceDirectories: [String] = [],
            pollInterval: Duration = .milliseconds(250)
        ) {
            self.grpc = grpc
            self.http = http
            self.tls = tls
            self.traceDirectories = traceDirectories
            self.pollInterval = pollInterval
        }
    }

    let groups: [ServiceGroup]
    let tasks: [Task<Void, Never>]

    /// Starts every source of `options`; bound addresses and failures are reported to `store`.
    public init(options: Options, store: SpanStore, logger: Logger) {
        let sink: @Sendable (OTLPSpans.Decoded) async -> Void = { decoded in
            await store.add(decoded.spans)
            if decoded.rejected > 0 { await store.reject(decoded.rejected) }
        }
        var groups: [ServiceGroup] = []
        var tasks: [Task<Void, Never>] = []
        let scheme = options.tls == nil ? "" : "tls "
        func launch(_ name: String, _ make: () throws -> any Service) {
            do {
                let group = ServiceGroup(services: [try make()], gracefulShutdownSignals: [], logger: logger)
                groups.append(group)
                tasks.append(
                    Task {
                        do { try await group.run() } catch { await store.warn("\(name): \(Self.describe(error))") }
                    })
            } catch {
                tasks.append(Task { await store.warn("\(name): \(Self.describe(error))") })
            }
        }
        if let address = options.grpc, case .tcp(let host, let port) = address {
            launch("OTLP gRPC \(address)") {
                try OTLPGRPCReceiver(host: host, port: port, tls: options.tls, sink: sink) { bound in await store.addSource("OTLP gRPC \(scheme)\(bound)") }
            }
        }
        if let address = options.http {
            launch("OTLP HTTP \(address)") {
                try OTLPHTTPReceiver(address: address, tls: options.tls, logger: logger, sink: sink) { bound in
                    await store.addSource("OTLP HTTP \(scheme)\(bound)")
                }
            }
        }
        for directory in options.traceDirectories {
            let interval = options.pollInterval
            tasks.append(
                Task {
                    await store.addSource("trace dir \(directory)")
                    var tail = TraceDirectoryTail(directory: directory)
                    var warned: String?
                    while !Task.isCancelled {
                        let pass = tail.poll()
                        await sink(pass.decoded)
                        if pass.badLines > 0 { await store.reject(pass.badLines) }
                        if let problem = pass.problem, problem != warned {
                            await store.warn(problem)
                            warned = problem
                        }
                        try? await Task.sleep(for: interval)
                    }
                })
        }
        self.groups = groups
        self.tasks = tasks
    }

    /// Stops every source (receivers shut down gracefully).
    public func stop() async {
        for group in groups { await group.triggerGracefulShutdown() }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("Address already in use") || text.contains("EADDRINUSE") || text.contains("errno: 98") { return "address in use" }
        return text
    }
}
