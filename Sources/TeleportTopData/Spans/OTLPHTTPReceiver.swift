import CompressNIO
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import OTLPProto
import ServiceLifecycle
import SwiftProtobuf
import TeleportCore
import TeleportOTLP

/// OTLP/HTTP: `POST /v1/traces` with a protobuf or JSON `ExportTraceServiceRequest`,
/// optionally gzip-compressed; the answer is an `ExportTraceServiceResponse` in the same
/// encoding (with `partial_success` when spans were refused), or a `google.rpc.Status` with
/// 400 / 413 / 415. A ServiceLifecycle service.
public struct OTLPHTTPReceiver: Service {
    /// Largest body accepted, compressed or not (the collector's default is 20 MiB too).
    public static let maxBody = 20 << 20

    let application: Application<RouterResponder<BasicRequestContext>>

    public init(
        address: ListenAddress, tls: ReceiverTLS? = nil, logger: Logger, sink: @escaping @Sendable (OTLPSpans.Decoded) async -> Void,
        onListening: @escaping @Sendable (ListenAddress) async -> Void = { _ in }
    ) throws {
        let router = Router(context: BasicRequestContext.self)
        router.post("/v1/traces") { request, _ -> Response in
            await Self.handle(request, sink: sink)
        }
        let bind: BindAddress
        switch address {
        case .tcp(let host, let port): bind = .hostname(host, port: port)
        case .unix(let path): bind = .unixDomainSocket(path: path)
        }
        let server: HTTPServerBuilder = try tls.map { try .tls(.http1(), tlsConfiguration: $0.configuration(alpn: ["http/1.1"])) } ?? .http1()
        application = Application(
            router: router, server: server,
            configuration: ApplicationConfiguration(address: bind, serverName: nil),
            onServerRunning: { channel in
                if case .tcp(let host, _) = address {
                    await onListening(.tcp(host: host, port: channel.localAddress?.port ?? 0))
                } else {
                    await onListening(address)
                }
            },
            logger: logger)
    }

    public func run() async throws { try await application.run() }

    static func handle(_ request: Request, sink: @Sendable (OTLPSpans.Decoded) async -> Void) async -> Response {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let json = type == "application/json"
        guard json || type == "application/x-protobuf" || type == "application/protobuf" else {
            return status(415, "content type must be application/x-protobuf or application/json, not \"\(type)\"", json: false)
        }
        var body: ByteBuffer
        do { body = try await request.body.collect(upTo: maxBody) } catch {
            return status(413, "body over \(maxBody) bytes", json: json)
        }
        if let encoding = request.headers[.contentEncoding]?.lowercased(), encoding != "identity" {
            guard encoding == "gzip" else { return status(415, "content encoding \"\(encoding)\" is not supported (gzip is)", json: json) }
            do { body = try body.decompress(with: .gzip(), maxSize: maxBody) } catch {
                return status(400, "gzip body could not be read: \(error)", json: json)
            }
        }
        let message: OTLPSpans.Request
        do {
            if json {
                var options = JSONDecodingOptions()
                options.ignoreUnknownFields = true
                message = try OTLPSpans.Request(jsonUTF8Bytes: Array(body.readableBytesView), options: options)
            } else {
                message = try OTLPSpans.Request(serializedBytes: Array(body.readableBytesView))
            }
        } catch {
            return status(400, "not an ExportTraceServiceRequest: \(error)", json: json)
        }
        let decoded = OTLPSpans.records(message.resourceSpans, fromJSON: json)
        await sink(decoded)
        var answer = OTLPSpans.Response()
        if decoded.rejected > 0 {
            answer.partialSuccess.rejectedSpans = Int64(decoded.rejected)
            answer.partialSuccess.errorMessage = decoded.reason ?? ""
        }
        let bytes: [UInt8] = json ? Array(((try? answer.jsonString()) ?? "{}").utf8) : ((try? answer.serializedBytes()) ?? [])
        return Response(
            status: .ok, headers: [.contentType: json ? "application/json" : "application/x-protobuf"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A `google.rpc.Status` (code 3, INVALID_ARGUMENT, and the message), hand-encoded: two
    /// fields do not justify generating the googleapis protos.
    static func status(_ code: Int, _ text: String, json: Bool) -> Response {
        var bytes: [UInt8]
        if json {
            // JSONSerialization escapes what a decoder's error text may hold (quotes, newlines).
            let body: [String: Any] = ["code": 3, "message": text]
            bytes = Array((try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{\"code\":3}".utf8))
        } else {
            let message = Array(text.utf8)
            bytes = [0x08, 0x03, 0x12]
            var length = message.count
            repeat {
                bytes.append(UInt8(length & 0x7f) | (length > 0x7f ? 0x80 : 0))
                length >>= 7
            } while length > 0
            bytes += message
        }
        return Response(
            status: HTTPResponse.Status(code: code), headers: [.contentType: json ? "application/json" : "application/x-protobuf"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
