import CompressNIO
import Foundation
import NIOCore
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

/// The OTLP/HTTP receiver on loopback against bodies no exporter should send: each is refused
/// with a clear status and a readable `google.rpc.Status`, and the spans that did arrive are
/// all still there.
@Suite("OTLP/HTTP receiver: truncated, oversized and hostile bodies")
struct ReceiverHostileInputTests {
    static let protobuf = [("Content-Type", "application/x-protobuf")]
    static let json = [("Content-Type", "application/json")]

    /// The message of a `google.rpc.Status` answer, protobuf or JSON.
    static func statusMessage(_ result: HTTPResult, json: Bool) throws -> String {
        if json {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.body)) as? [String: Any])
            #expect(object["code"] as? Int == 3)
            return try #require(object["message"] as? String)
        }
        // field 1 (code) varint 3, field 2 (message) length-delimited.
        #expect(Array(result.body.prefix(3)) == [0x08, 0x03, 0x12])
        var index = 3
        var length = 0
        var shift = 0
        while index < result.body.count {
            let byte = result.body[index]
            index += 1
            length |= Int(byte & 0x7f) << shift
            shift += 7
            if byte & 0x80 == 0 { break }
        }
        #expect(index + length == result.body.count)
        return String(decoding: result.body[index...], as: UTF8.self)
    }

    @Test("Truncated, garbage, oversized, gzip bombs, bad encodings and types: refused with a reason; good spans kept")
    func hostileBodies() async throws {
        let running = try await RunningReceivers.start(grpc: false)
        let url = "http://\(try #require(running.http))/v1/traces"
        let good = try OTLPSpans.encodeRequest([SpanStoreTests.span(1, 1, name: "kept"), SpanStoreTests.span(1, 2, parent: 1, name: "child")])

        let accepted = try await HTTP.request(url, method: .POST, bytes: good, headers: Self.protobuf)
        #expect(accepted.status == 200)

        // Cut anywhere inside a field: not a message.
        let truncated = try await HTTP.request(url, method: .POST, bytes: Array(good.prefix(good.count - 7)), headers: Self.protobuf)
        #expect(truncated.status == 400)
        #expect(try Self.statusMessage(truncated, json: false).hasPrefix("not an ExportTraceServiceRequest"))

        // Wire type 7 does not exist: whatever follows, this is not protobuf.
        var random = SystemRandomNumberGenerator()
        let garbage = [0x0f] + (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }
        let refused = try await HTTP.request(url, method: .POST, bytes: garbage, headers: Self.protobuf)
        #expect(refused.status == 400)

        let oversized = [UInt8](repeating: 0x0a, count: OTLPHTTPReceiver.maxBody + 1)
        let tooBig = try await HTTP.request(url, method: .POST, bytes: oversized, headers: Self.protobuf)
        #expect(tooBig.status == 413)
        #expect(try Self.statusMessage(tooBig, json: false).contains("over \(OTLPHTTPReceiver.maxBody) bytes"))

        // 64 MiB of zeros gzip to about 64 KiB: the decompressed size limit refuses it.
        var zeros = ByteBuffer(bytes: [UInt8](repeating: 0, count: 64 << 20))
        let bomb = try zeros.compress(with: .gzip())
        #expect(bomb.readableBytes < 1 << 20)
        let bombed = try await HTTP.request(
            url, method: .POST, bytes: Array(bomb.readableBytesView),
            headers: Self.protobuf + [("Content-Encoding", "gzip")])
        #expect(bombed.status == 400)
        #expect(try Self.statusMessage(bombed, json: false).hasPrefix("gzip body could not be read"))

        var goodBuffer = ByteBuffer(bytes: good)
        let gzipped = try goodBuffer.compress(with: .gzip())
        let cut = Array(gzipped.readableBytesView.prefix(gzipped.readableBytes / 2))
        let badGzip = try await HTTP.request(url, method: .POST, bytes: cut, headers: Self.protobuf + [("Content-Encoding", "gzip")])
        #expect(badGzip.status == 400)

        let brotli = try await HTTP.request(url, method: .POST, bytes: good, headers: Self.protobuf + [("Content-Encoding", "br")])
        #expect(brotli.status == 415)
        #expect(try Self.statusMessage(brotli, json: false).contains("\"br\""))
        let text = try await HTTP.request(url, method: .POST, bytes: good, headers: [("Content-Type", "text/plain")])
        #expect(text.status == 415)

        // JSON whose decoder error has quotes in it: the answer is still valid JSON.
        let broken = try await HTTP.request(url, method: .POST, body: "{\"resourceSpans\": [{\"scopeSpans\": \"\\\"\n", headers: Self.json)
        #expect(broken.status == 400)
        #expect(try Self.statusMessage(broken, json: true).hasPrefix("not an ExportTraceServiceRequest"))

        // A span whose name carries escape sequences and whose ID is short: a partial success
        // whose reason has no control character; the good span beside it is kept.
        let hostile = """
            {"resourceSpans":[{"scopeSpans":[{"spans":[
              {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102","name":"\\u001b[2J\\u001b]0;pwned\\u0007","startTimeUnixNano":"1","endTimeUnixNano":"2"},
              {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"json-kept","startTimeUnixNano":"1","endTimeUnixNano":"2"}
            ]}]}]}
            """
        let partial = try await HTTP.request(url, method: .POST, body: hostile, headers: Self.json)
        #expect(partial.status == 200)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(partial.body)) as? [String: Any])
        let success = try #require(answer["partialSuccess"] as? [String: Any])
        #expect("\(success["rejectedSpans"] ?? "")" == "1")
        let reason = try #require(success["errorMessage"] as? String)
        #expect(reason.contains("span ID must be 8 bytes"))
        #expect(!reason.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }, "\(reason.debugDescription)")

        let held = await running.spans()
        let names = Set(held.map(\.name))
        #expect(names.isSuperset(of: ["kept", "child", "json-kept"]))
        #expect(held.filter { $0.name == "kept" }.count == 1)
        #expect(!names.contains { $0.contains("\u{1b}") })
        await running.stop()
    }
}
