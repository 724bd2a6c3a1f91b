import Foundation
import Logging
import OTel
import ServiceLifecycle
import TeleportCore
import Tracing

/// The engine's tracer and the service that exports its spans, chosen from the tracing
/// config. Nothing global: the tracer is handed to the engine (`DiagnosticsEngine(tracer:)`)
/// and the service is run in the caller's ServiceGroup (its graceful shutdown exports what
/// is still queued), so several engines with their own tracers live in one process.
///
/// - grpc://, http://, https://: swift-otel's OTLP exporters (its tracer, batch processor
///   and sampler), configured from code and kept quiet: diagnostics go to our log sink at
///   error level, metrics and logs are disabled, nothing is bootstrapped globally.
/// - file://: our `RecordingTracer` with the same sampler, feeding a `SpanBatchProcessor`
///   whose sink is the `TraceFileWriter` (Teleport's trace files).
/// - in-process (the embedded dashboard): the same recording tracer, with the span store as
///   its sink.
public struct EngineTracing: Sendable {
    public let tracer: any Tracer
    public let service: any Service
    /// What the spans are sent to, for logs and the header.
    public let destination: String
    /// The batch processor of the recording tracer (nil for swift-otel's exporters).
    public let processor: SpanBatchProcessor?

    /// Resource attributes as Teleport sets them.
    public struct Resource: Sendable, Hashable {
        public var serviceName: String
        public var version: String
        public var processID: String
        public var hostName: String
        public var hostUUID: String

        public init(
            serviceName: String = "teleport", version: String = TeleportTopVersion.current, processID: String = UUID().uuidString.lowercased(),
            hostName: String = ProcessInfo.processInfo.hostName, hostUUID: String = UUID().uuidString.lowercased()
        ) {
            self.serviceName = serviceName
            self.version = version
            self.processID = processID
            self.hostName = hostName
            self.hostUUID = hostUUID
        }

        /// The host UUID Teleport keeps in `<data_dir>/host_uuid`, when that file exists.
        public static func hostUUID(dataDir: String?) -> String? {
            guard let dataDir, let text = try? String(contentsOfFile: dataDir + "/host_uuid", encoding: .utf8) else { return nil }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }

        public var attributes: [String: String] {
            [
                "service.name": serviceName, "teleport.version": version, "teleport.process.id": processID,
                "teleport.host.name": hostName, "teleport.host.uuid": hostUUID,
            ]
        }

        public var spanResource: SpanResource {
            SpanResource(attributes: attributes.sorted { $0.key < $1.key }.map { SpanAttribute($0.key, .string($0.value)) })
        }
    }

    /// The OTEL_* variables of an environment that swift-otel applies over our configuration
    /// (it always lets them win).
    public static func otelOverrides(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        environment.keys.filter { $0.hasPrefix("OTEL_") }.sorted()
    }

    /// The tracer and exporter for a validated endpoint of `tracing_service`.
    public static func exporting(
        to endpoint: TracingEndpoint, config: TracingConfig, resource: Resource = Resource(), batch: SpanBatchProcessor.Settings = .teleport,
        logSink: LogSink = .standardError
    ) throws -> EngineTracing {
        let sampler = TraceSampler(ratio: config.samplingRatio)
        let logger = Logger.diagnostics("tracing", control: LogLevelControl(.warn), sink: logSink)
        switch endpoint {
        case .file(let directory, let limit):
            let writer = try TraceFileWriter(directory: directory, limit: limit)
            return recording(sinks: [writer], sampler: sampler, resource: resource, batch: batch, logger: logger, destination: endpoint.description)
        case .grpc, .http, .https:
            return try otlp(endpoint: endpoint, config: config, sampler: sampler, resource: resource, batch: batch, logSink: logSink)
        }
    }

    /// Our recording tracer: finished, sampled spans go to the sinks in batches.
    public static func recording(
        sinks: [any SpanSink], sampler: TraceSampler = TraceSampler(ratio: 1), resource: Resource = Resource(),
        batch: SpanBatchProcessor.Settings = .teleport, logger: Logger = Logger(label: "teleport-top.tracing"), destination: String = "in-process"
    ) -> EngineTracing {
        let processor = SpanBatchProcessor(sinks: sinks, settings: batch, logger: logger)
        let tracer = RecordingTracer(sampler: sampler, resource: resource.spanResource, processor: processor)
        return EngineTracing(tracer: tracer, service: processor, destination: destination, processor: processor)
    }

    /// swift-otel's OTLP exporter (gRPC or HTTP protobuf), set up from code.
    static func otlp(
        endpoint: TracingEndpoint, config: TracingConfig, sampler: TraceSampler, resource: Resource, batch: SpanBatchProcessor.Settings,
        logSink: LogSink
    ) throws -> EngineTracing {
        var otel = OTel.Configuration.default
        otel.serviceName = resource.serviceName
        otel.resourceAttributes = resource.attributes.filter { $0.key != "service.name" }
        // Its diagnostics would print on the terminal: they go to our sink, errors only, with
        // a level of their own (swift-otel sets the logger's level).
        otel.diagnosticLogger = .custom(Logger.diagnostics("swift-otel", control: LogLevelControl(.error), sink: logSink))
        otel.diagnosticLogLevel = .error
        otel.metrics.enabled = false
        otel.logs.enabled = false
        otel.propagators = [.traceContext]
        otel.traces.enabled = true
        otel.traces.exporter = .otlp
        otel.traces.sampler = .parentBasedTraceIDRatio(ratio: sampler.ratio) ?? .parentBasedAlwaysOff
        otel.traces.batchSpanProcessor.scheduleDelay = batch.delay
        otel.traces.batchSpanProcessor.maxQueueSize = batch.maxQueue
        otel.traces.batchSpanProcessor.maxExportBatchSize = batch.maxBatch
        otel.traces.batchSpanProcessor.exportTimeout = batch.exportTimeout
        otel.traces.otlpExporter.timeout = batch.exportTimeout
        otel.traces.otlpExporter.compression = .none
        let tls = config.hasTLSMaterial
        switch endpoint {
        case .grpc(let host, let port):
            // Teleport: TLS only with ca_certs or keypairs, else plaintext.
            let hostText = host.contains(":") ? "[\(host)]" : host
            otel.traces.otlpExporter.protocol = .grpc
            otel.traces.otlpExporter.endpoint = "\(tls ? "https" : "http")://\(hostText):\(port)"
        case .http(let url), .https(let url):
            // https:// always means TLS (the system's roots without ca_certs; Teleport would
            // send such spans in the clear); http:// with TLS material becomes TLS as in Teleport.
            var components = URLComponents(string: url)
            if case .https = endpoint { components?.scheme = "https" } else { components?.scheme = tls ? "https" : "http" }
            otel.traces.otlpExporter.protocol = .httpProtobuf
            otel.traces.otlpExporter.endpoint = components?.string ?? url
        case .file:
            throw TracingConfigError("file:// is not an OTLP endpoint")
        }
        if let roots = try caBundle(config.caCerts) { otel.traces.otlpExporter.certificateFilePath = roots }
        if let pair = config.keypairs.first {
            otel.traces.otlpExporter.clientCertificateFilePath = pair.certFile
            otel.traces.otlpExporter.clientKeyFilePath = pair.keyFile
        }
        let backend = try OTel.makeTracingBackend(configuration: otel)
        // A gRPC endpoint is named as configured (grpc://host:port), never as the http(s)://
        // form the exporter is given; an HTTP one as the exporter sends to it.
        var destination = otel.traces.otlpExporter.endpoint
        if case .grpc = endpoint { destination = endpoint.description + (tls ? " (TLS)" : "") }
        return EngineTracing(tracer: backend.factory, service: backend.service, destination: destination, processor: nil)
    }

    /// swift-otel takes one CA file: several ca_certs are joined into one private bundle.
    static func caBundle(_ paths: [String]) throws -> String? {
        guard paths.count > 1 else { return paths.first }
        var bundle = Data()
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TracingConfigError("tracing_service ca cert does not exist: \(path)")
            }
            bundle.append(data)
            if data.last != UInt8(ascii: "\n") { bundle.append(UInt8(ascii: "\n")) }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("teleport-top-ca-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = directory.appendingPathComponent("ca-bundle.pem")
        guard FileManager.default.createFile(atPath: file.path, contents: bundle, attributes: [.posixPermissions: 0o600]) else {
            throw TracingConfigError("cannot write the CA bundle for tracing")
        }
        return file.path
    }
}

/// A service that does nothing until shutdown (tracing disabled).
struct IdleService: Service {
    func run() async throws { try? await gracefulShutdown() }
}

extension EngineTracing {
    /// No tracing: a tracer that records nothing.
    public static let disabled = EngineTracing(tracer: NoOpTracer(), service: IdleService(), destination: "off", processor: nil)
}
