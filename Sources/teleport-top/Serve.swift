import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TeleportCore
import TeleportDiagnostics
import TeleportTopData

/// `teleport-top serve`: the diagnostics engine, headless, as a simulated Teleport process.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the diagnostics engine as a simulated Teleport process (like `teleport start --diag-addr`).",
        discussion: """
            Serves /healthz, /readyz, /metrics and (with --debug) /debug/pprof on --diag-addr, and \
            the debug service (the same routes with pprof always on, plus GET/PUT /log-level) on \
            <data-dir>/debug.sock. Components heartbeat as Teleport's do, so the process state moves \
            from starting to ok; --fault-schedule makes heartbeats fail to show degraded -> recovering -> ok. \
            With tracing (tracing_service of -c, or --tracing-exporter-url), heartbeats and simulated \
            requests are traced and exported as Teleport exports its spans: OTLP over gRPC (host:port or \
            grpc://), OTLP/HTTP (http://, https://; /v1/traces when the URL has no path) or Teleport's \
            trace files (file:///dir?limit=BYTES). SIGINT or SIGTERM exports the spans still queued, then stops.
            """
    )

    @Option(name: .customLong("diag-addr"), help: "Address of the diag listener (host:port). Default: teleport.diag_addr of -c, else 127.0.0.1:3000.")
    var diagAddr: String?

    @Option(
        name: [.customShort("c"), .customLong("config")],
        help: "A teleport.yaml to read teleport.diag_addr, teleport.data_dir, teleport.log.severity and tracing_service from.")
    var config: String?

    @Option(
        name: .customLong("data-dir"), help: "Directory of the debug socket (debug.sock). Default: teleport.data_dir of -c, else a per-user runtime directory.")
    var dataDir: String?

    @Flag(help: "Serve /debug/pprof/* on the diag listener (the debug socket always serves it).")
    var debug = false

    @Option(help: "Heartbeat interval while healthy (Teleport: about 60s).", transform: TargetOptions.duration)
    var heartbeat: Duration = .seconds(60)

    @Option(help: "Heartbeat retry interval after a failure (Teleport: about 5s).", transform: TargetOptions.duration)
    var retry: Duration = .seconds(5)

    @Option(
        name: .customLong("check-period"), help: "Teleport's heartbeat check period; recovering -> ok takes more than twice this.",
        transform: TargetOptions.duration)
    var checkPeriod: Duration = .seconds(5)

    @Option(name: .customLong("fault-schedule"), help: "Repeat N good then M failed heartbeats, as ok:N,fail:M (more steps allowed).")
    var faultSchedule: String?

    @Option(help: "Comma-separated simulated components.")
    var components: String = "auth,proxy,node"

    @Option(
        name: .customLong("tracing-exporter-url"),
        help: ArgumentHelp(
            "Export spans here (enables tracing): host:port or grpc://host:port, http(s)://host:port[/path], file:///dir[?limit=BYTES]. Overrides tracing_service.exporter_url of -c.",
            valueName: "url"))
    var tracingExporterURL: String?

    @Option(
        name: .customLong("tracing-sampling-rate-per-million"),
        help: ArgumentHelp(
            "Root spans sampled per million (0 to 1000000; Teleport's default 0 records only spans whose incoming parent was sampled). Overrides sampling_rate_per_million.",
            valueName: "n"))
    var tracingSamplingRate: Double?

    @Option(
        name: .customLong("tracing-ca-cert"),
        help: ArgumentHelp(
            "CA certificate (PEM) to verify the collector with; repeatable. Replaces tracing_service.ca_certs. Turns TLS on for grpc and http.",
            valueName: "file"))
    var tracingCACerts: [String] = []

    @Option(
        name: .customLong("tracing-cert"),
        help: ArgumentHelp(
            "Client certificate (PEM) for mutual TLS with the collector; with --tracing-key. Replaces tracing_service.keypairs.", valueName: "file"))
    var tracingCert: String?

    @Option(name: .customLong("tracing-key"), help: ArgumentHelp("The key (PEM) of --tracing-cert.", valueName: "file"))
    var tracingKey: String?

    @Option(
        name: .customLong("tracing-batch-delay"), help: "Longest wait before queued spans are exported (default 5s, as Teleport).",
        transform: TargetOptions.duration)
    var tracingBatchDelay: Duration = .seconds(5)

    @Option(
        name: .customLong("request-interval"), help: "Time between simulated requests, traced when tracing is on (default 500ms).",
        transform: TargetOptions.duration)
    var requestInterval: Duration = .milliseconds(500)

    @Option(help: "Run N simulated instances in this process, each with its own diag listener on a free port (roles, versions and faults from --seed).")
    var instances: Int?

    @Option(help: "With --instances: the seed of the simulated fleet.")
    var seed: UInt64 = 1

    @Option(name: .customLong("targets-out"), help: "With --instances: write the instances as a --targets file here.")
    var targetsOut: String?

    /// tracing_service of the file with the flags applied over it.
    func tracingConfig(_ fileConfig: TeleportConfig?) throws -> TracingConfig {
        var tracing = fileConfig?.tracing ?? TracingConfig()
        if let tracingExporterURL {
            // Teleport's tracer says so for an empty URL given to it directly.
            guard !tracingExporterURL.isEmpty else { throw ValidationError("exporter URL cannot be empty") }
            tracing.enabled = true
            tracing.exporterURL = tracingExporterURL
        }
        if let tracingSamplingRate { tracing.samplingRatePerMillion = tracingSamplingRate }
        if !tracingCACerts.isEmpty { tracing.caCerts = tracingCACerts }
        switch (tracingCert, tracingKey) {
        case (nil, nil): break
        case (let cert?, let key?): tracing.keypairs = [TracingKeypair(keyFile: key, certFile: cert)]
        default: throw ValidationError("--tracing-cert and --tracing-key go together")
        }
        if let rate = tracingSamplingRate, !(0...1_000_000).contains(rate) {
            throw ValidationError("--tracing-sampling-rate-per-million must be from 0 to 1000000")
        }
        return tracing
    }

    func run() async throws {
        if let instances {
            try await ServeFleet.run(count: instances, seed: seed, host: diagAddr, targetsOut: targetsOut)
            return
        }
        if targetsOut != nil { throw ValidationError("--targets-out goes with --instances") }
        let fileConfig = try config.map { path throws -> TeleportConfig in
            do { return try TeleportConfig(contentsOf: path) } catch { throw ValidationError(String(describing: error)) }
        }
        let levelControl = LogLevelControl((try? fileConfig?.logLevel()) ?? .info)
        if let fileConfig, fileConfig.logSeverity != nil {
            do { _ = try fileConfig.logLevel() } catch { throw ValidationError(String(describing: error)) }
        }
        let logStream = LogBroadcast()
        let logger = Logger.diagnostics("serve", control: levelControl, stream: logStream)

        let listen: ListenAddress
        do {
            listen = try ListenAddress(parsing: diagAddr ?? fileConfig?.diagAddr ?? "127.0.0.1:3000")
        } catch { throw ValidationError(String(describing: error)) }
        guard case .tcp(let host, let port) = listen else { throw ValidationError("--diag-addr must be host:port") }
        // A port in use is said once, before anything starts.
        if let problem = PortCheck.bindProblem(host: host, port: port) { throw fail("the diag listener cannot bind \(listen): \(problem)") }
        if !listen.isLoopback {
            logger.warning("the diag listener is not on a loopback address: anyone who can reach it can read metrics", metadata: ["addr": "\(listen)"])
        }

        var schedule: FaultSchedule?
        if let faultSchedule {
            do { schedule = try FaultSchedule(parsing: faultSchedule) } catch { throw fail("--fault-schedule: \(error)") }
        }
        let componentList = components.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !componentList.isEmpty else { throw ValidationError("--components names no component") }

        let tracingConfig = try tracingConfig(fileConfig)
        let endpoint: TracingEndpoint?
        do { endpoint = try tracingConfig.validated() } catch { throw ValidationError(error.description) }
        let effectiveDataDir = dataDir ?? fileConfig?.dataDir ?? DebugSocketPath.defaultDataDir()
        var tracing = EngineTracing.disabled
        if let endpoint {
            let resource = EngineTracing.Resource(hostUUID: EngineTracing.Resource.hostUUID(dataDir: effectiveDataDir) ?? UUID().uuidString.lowercased())
            do {
                tracing = try EngineTracing.exporting(
                    to: endpoint, config: tracingConfig, resource: resource, batch: SpanBatchProcessor.Settings(delay: tracingBatchDelay))
            } catch {
                throw ValidationError("tracing: \(error)")
            }
            if case .file = endpoint {
            } else if !EngineTracing.otelOverrides().isEmpty {
                logger.warning(
                    "OTEL_* environment variables override the tracing config",
                    metadata: [
                        "variables": "\(EngineTracing.otelOverrides().joined(separator: ","))"
                    ])
            }
            if tracingConfig.samplingRatePerMillion == 0 {
                logger.warning(
                    "sampling_rate_per_million is 0: only spans whose incoming parent was sampled are exported, and serve has no incoming requests; set --tracing-sampling-rate-per-million"
                )
            }
            logger.info(
                "tracing started",
                metadata: [
                    "exporter": "\(tracing.destination)", "sampling_rate_per_million": "\(tracingConfig.samplingRatePerMillion)",
                ])
        }

        let engine = DiagnosticsEngine(
            configuration: EngineConfiguration(
                components: componentList, heartbeatPeriod: heartbeat, retryPeriod: retry,
                checkPeriod: checkPeriod, faultSchedule: schedule, debug: debug),
            logLevel: levelControl, tracer: tracing.tracer, logStream: logStream)

        let socketPath = DebugSocketPath.socketPath(dataDir: effectiveDataDir)
        do { try DebugSocketFile.prepare(socketPath: socketPath) } catch {
            logger.error("\(String(describing: error))")
            throw ExitCode.failure
        }

        let serverLogger = Logger.diagnostics("http", control: levelControl, stream: logStream)
        let listener = DiagServer(engine: engine, address: listen, exposure: .diagListener(debug: debug), logger: serverLogger) { bound in
            logger.info("diag listener started", metadata: ["addr": "\(bound)", "debug": "\(debug)"])
        }
        let socket = DiagServer(engine: engine, address: .unix(path: socketPath), exposure: .debugSocket, logger: serverLogger) { bound in
            logger.info("debug service started", metadata: ["socket": "\(bound)"])
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    // First, so it stops last: the spans of the others' last work are exported.
                    .init(service: tracing.service),
                    .init(service: HeartbeatService(engine: engine)),
                    .init(service: SimulatedRequests(engine: engine, interval: requestInterval)),
                    .init(service: SimulatedTeleport(engine: engine)),
                    .init(service: listener),
                    .init(service: socket),
                    .init(service: LogStreamCloser(stream: logStream)),
                    .init(
                        service: ShutdownNotice(
                            logger: logger,
                            message: endpoint == nil
                                ? nil
                                : "stopping: sending the queued spans to \(tracing.destination) first (a collector that does not answer holds the exit until the export times out)"
                        )),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        logger.info(
            "starting simulated Teleport process",
            metadata: [
                "components": "\(componentList.joined(separator: ","))", "pid": "\(engine.pid)",
            ])
        do {
            try await group.run()
        } catch {
            logger.error("stopped: \(error)")
            unlink(socketPath)
            throw ExitCode.failure
        }
        unlink(socketPath)
        logger.info("stopped")
    }
}
