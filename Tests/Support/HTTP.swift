import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A plain HTTP exchange for tests, over TCP or a unix socket, with AsyncHTTPClient.
package struct HTTPResult {
    package var status: Int
    package var headers: HTTPHeaders
    package var body: [UInt8]
    package var text: String { String(decoding: body, as: UTF8.self) }
}

package enum HTTP {
    /// A client that hands bodies over as they came (no automatic decompression), so tests
    /// see exactly what the server sent.
    package static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(decompression: .disabled))

    package static func request(
        _ url: String, method: HTTPMethod = .GET, body: String? = nil, bytes: [UInt8]? = nil, headers: [(String, String)] = []
    ) async throws -> HTTPResult {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        if let bytes { request.body = .bytes(ByteBuffer(bytes: bytes)) }
        // Generous: a loaded CI machine runs every suite at once (a failure here is a hang, not a slow answer).
        let response = try await client.execute(request, timeout: .seconds(120))
        let buffer = try await response.body.collect(upTo: 256 << 20)
        return HTTPResult(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
    }

    /// The URL of a path on a unix socket (host `debug`, as Teleport's debug client uses).
    package static func unixURL(_ socketPath: String, _ path: String) -> String {
        let encoded = socketPath.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? socketPath
        return "http+unix://\(encoded)\(path)"
    }
}
