import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import GRPCProtobuf
import Logging
import ServiceLifecycle
import TeleportCore
import TeleportOTLP

/// OTLP/gRPC: `opentelemetry.proto.collector.trace.v1.TraceService/Export`, registered by
/// hand (one unary method does not need generated service code). gzip and deflate
/// requests are accepted (exporters compress); spans with bad IDs come back as a partial
/// success. A ServiceLifecycle service; `onListening` gets the bound address.
public struct OTLPGRPCReceiver: Service {
    /// Largest request accepted (the collector's default is 4 MiB; exporters batch 512
    /// spans, so this leaves room).
    public static let maxRequest = 16 << 20

    let server: GRPCServer<HTTP2ServerTransport.Posix>
    let transport: HTTP2ServerTransport.Posix
    let onListening: @Sendable (ListenAddress) async -> Void
    let host: String

    public init(
        host: String, port: Int, tls: ReceiverTLS? = nil, sink: @escaping @Sendable (OTLPSpans.Decoded) async -> Void,
        onListening: @escaping @Sendable (ListenAddress) async -> Void = { _ in }
    ) throws {
        var config = HTTP2ServerTransport.Posix.Config.defaults
        config.compression.enabledAlgorithms = .all
        config.rpc.maxRequestPayloadSize = Self.maxRequest
        let security: HTTP2ServerTransport.Posix.TransportSecurity
        if let tls {
            for (what, path) in [("certificate", tls.certPath), ("key", tls.keyPath)] + (tls.clientCAPath.map { [("client CA", $0)] } ?? []) {
                guard FileManager.default.isReadableFile(atPath: path) else {
                    throw ReceiverError("OTLP receiver TLS \(what): \(UnreadableFile.message(path))")
                }
            }
            let chain: [TLSConfig.CertificateSource] = [.file(path: tls.certPath, format: .pem)]
            let key: TLSConfig.PrivateKeySource = .file(path: tls.keyPath, format: .pem)
            if let ca = tls.clientCAPath {
                security = .mTLS(certificateChain: chain, privateKey: key) { config in
                    config.trustRoots = .certificates([.file(path: ca, format: .pem)])
                }
            } else {
                security = .tls(certificateChain: chain, privateKey: key)
            }
        } else {
            security = .plaintext
        }
        let transport = HTTP2ServerTransport.Posix(address: .ipv4(host: host, port: port), transportSecurity: security, config: config)
        self.transport = transport
        server = GRPCServer(transport: transport, services: [TraceService(sink: sink)])
        self.onListening = onListening
        self.host = host
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.serve() }
                group.addTask {
                    // When binding fails this throws "no listening address"; the reason (a
                    // port in use) is serve()'s error, so that one must be the one reported.
                    if let ipv4 = try? await transport.listeningAddress.ipv4 {
                        await onListening(.tcp(host: host, port: ipv4.port))
                    }
                }
                try await group.waitForAll()
            }
        } onGracefulShutdown: {
            server.beginGracefulShutdown()
        }
    }

    struct TraceService: RegistrableRPCService {
        let sink: @Sendable (OTLPSpans.Decoded) async -> Void

        func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
            let sink = self.sink
            router.registerHandler(
                forMethod: MethodDescriptor(fullyQualifiedService: "opentelemetry.proto.collector.trace.v1.TraceService", method: "Export"),
                deserializer: ProtobufDeserializer<OTLPSpans.Request>(),
                serializer: ProtobufSerializer<OTLPSpans.Response>()
            ) { request, _ in
                var answer = OTLPSpans.Response()
                for try await message in request.messages {
                    let decoded = OTLPSpans.records(message.resourceSpans)
                    await sink(decoded)
                    if decoded.rejected > 0 {
                        answer.partialSuccess.rejectedSpans += Int64(decoded.rejected)
                        if answer.partialSuccess.errorMessage.isEmpty { answer.partialSuccess.errorMessage = decoded.reason ?? "" }
                    }
                }
                return StreamingServerResponse(single: ServerResponse(message: answer))
            }
        }
    }
}
