import Foundation
import Logging
import ServiceLifecycle
import TeleportCore
import Tracing

/// The diagnostics engine run in-process as a simulated Teleport process (the "embedded"
/// mode): auth, proxy, node, kube and db components heartbeat through the real state
/// machine, with an occasional degraded -> recovering -> ok episode, a moving workload, and
/// a real diag listener on 127.0.0.1:0 (unless pinned) that curl or another teleport-top can
/// poll. The dashboard polls it over HTTP like any target. Its heartbeats and simulated
/// requests are traced; with `spans:` the finished spans are delivered in-process (for
/// example into the dashboard's `SpanStore`), batched every `spanDelay`.
public final class EmbeddedTeleport: Sendable {
    public let engine: DiagnosticsEngine
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    /// Where its diag listener listens.
    public let address: ListenAddress

    /// The engine configuration of the simulation: five components, faster heartbeats than
    /// Teleport's so state changes are seen within a minute.
    public static func configuration(debug: Bool = true) -> EngineConfiguration {
        EngineConfiguration(
            components: ["auth", "proxy", "node", "kube", "db"],
            heartbeatPeriod: .seconds(10), retryPeriod: .seconds(2), checkPeriod: .seconds(5),
            faultSchedule: nil, debug: debug, buildInfo: .simulated)
    }

    /// Starts the simulation and its diag listener; returns once the listener is bound.
    public static func start(
        address: ListenAddress = .tcp(host: "127.0.0.1", port: 0),
        configuration: EngineConfiguration = EmbeddedTeleport.configuration(),
        logLevel: LogLevelControl = LogLevelControl(.warn),
        logSink: LogSink = .standardError,
        episodes: Bool = true,
        spans: (any SpanSink)? = nil,
        spanDelay: Duration = .milliseconds(500),
        requestInterval: Duration = .milliseconds(500),
        identity: Identity = Identity(),
        socketPath: String? = nil
    ) async throws -> EmbeddedTeleport {
        let logStream = LogBroadcast()
        let logger = Logger.diagnostics("embedded", control: logLevel, sink: logSink, stream: logStream)
        let tracing = spans.map { sink in
            EngineTracing.recording(
                sinks: [sink], sampler: TraceSampler(ratio: 1),
                resource: EngineTracing.Resource(
                    version: configuration.buildInfo.version, hostName: identity.hostName ?? ProcessInfo.processInfo.hostName,
                    hostUUID: identity.hostUUID ?? UUID().uuidString.lowercased()),
                batch: SpanBatchProcessor.Settings(delay: spanDelay), logger: logger)
        }
        let engine = DiagnosticsEngine(
            configuration: configuration, logLevel: logLevel, logSink: logSink, tracer: tracing?.tracer ?? NoOpTracer(),
            logStream: logStream)
        let (bound, continuation) = AsyncStream<ListenAddress>.makeStream()
        let server = DiagServer(engine: engine, address: address, exposure: .diagListener(debug: true), logger: logger) { address in
            continuation.yield(address)
            continuation.finish()
        }
        // The span processor comes first so it stops last and exports the others' last spans.
        var services: [any Service] = tracing.map { [$0.service] } ?? []
        services += [
            HeartbeatService(engine: engine), SimulatedTeleport(engine: engine, tick: identity.tick, seed: identity.seed, services: identity.services), server,
        ]
        if let socketPath {
            // The debug service too (log level, log stream, profiles), as Teleport serves it.
            try DebugSocketFile.prepare(socketPath: socketPath)
            services.append(DiagServer(engine: engine, address: .unix(path: socketPath), exposure: .debugSocket, logger: logger) { _ in })
        }
        services.append(SimulatedRequests(engine: engine, interval: requestInterval))  // traced when tracing is on; logged always
        if episodes { services.append(EpisodeService(engine: engine, seed: identity.seed ^ 0xE915_0DE5, firstDelay: identity.firstEpisode)) }
        let group = ServiceGroup(services: services, logger: logger)
        let task = Task { try await group.run() }
        guard let listening = await bound.first(where: { _ in true }) else {
            await group.triggerGracefulShutdown()
            let result = await task.result
            if case .failure(let error) = result { throw error }
            throw TargetError("the embedded diag listener did not start")
        }
        logger.info("embedded simulation listening", metadata: ["addr": "\(listening)"])
        return EmbeddedTeleport(engine: engine, group: group, task: task, address: listening, socketPath: socketPath)
    }

    /// Who the simulated process is: its workload's seed, the services it reports, the host
    /// its spans name, and when its first fault episode comes (nil: 150-300 s in).
    public struct Identity: Sendable, Hashable {
        public var seed: UInt64
        public var services: [String]?
        public var hostName: String?
        public var hostUUID: String?
        public var firstEpisode: Duration?
        /// How often the simulated workload moves (a fleet moves many, less often).
        public var tick: Duration = .milliseconds(250)

        public init(
            seed: UInt64 = 0x7e1e_9047_5111_0001, services: [String]? = nil, hostName: String? = nil, hostUUID: String? = nil,
            firstEpisode: Duration? = nil, tick: Duration = .milliseconds(250)
        ) {
            self.tick = tick
            self.seed = seed
            self.services = services
            self.hostName = hostName
            self.hostUUID = hostUUID
            self.firstEpisode = firstEpisode
        }
    }

    private init(engine: DiagnosticsEngine, group: ServiceGroup, task: Task<Void, any Error>, address: ListenAddress, socketPath: String?) {
        self.engine = engine
        self.group = group
        self.task = task
        self.address = address
        self.socketPath = socketPath
    }

    /// Its debug socket, when it serves one.
    public let socketPath: String?

    /// The target to poll it as.
    public var target: DiagTarget {
        switch address {
        case .tcp(let host, let port): return .http(baseURL: "http://\(host.contains(":") ? "[\(host)]" : host):\(port)")
        case .unix(let path): return .socket(path: path)
        }
    }

    /// Stops the simulation and its listener.
    public func stop() async {
        engine.logStream.close()
        await group.triggerGracefulShutdown()
        _ = await task.result
        if let socketPath { unlink(socketPath) }
    }
}

/// Now and then, a component's heartbeat fails, so the state timeline has something to
/// show: degraded, then recovering, then ok again.
struct EpisodeService: Service {
    let engine: DiagnosticsEngine
    var seed: UInt64 = 0xE915_0DE5
    /// The wait before the first episode (nil: like the later ones).
    var firstDelay: Duration?

    func run() async throws {
        let engine = self.engine
        let seed = self.seed
        let firstDelay = self.firstDelay
        await cancelWhenGracefulShutdown {
            var random = SplitMix64(seed: seed)
            var first = true
            while !Task.isCancelled {
                let delay: Duration = first ? (firstDelay ?? .seconds(150 + random.next(below: 150))) : .seconds(150 + random.next(below: 150))
                first = false
                try? await Task.sleep(for: delay)
                guard !Task.isCancelled else { break }
                let components = engine.configuration.components
                engine.injectFailure(component: components[random.next(below: components.count)])
            }
        }
    }
}
