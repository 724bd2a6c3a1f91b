import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import TeleportCore

/// A client of Prometheus's HTTP API (or of anything that speaks it): instant and range
/// queries, scrape targets, metadata; bearer token or basic auth; TLS. Each call throws a
/// `PrometheusAnswer.Failure` whose text is what the header shows.
public final class PrometheusClient: PrometheusAPI {
    /// Sees every answer as received (a recording taps here).
    private let answerTap = Mutex<(@Sendable (PrometheusExchange) -> Void)?>(nil)

    /// Sets who sees every answer.
    public func setOnAnswer(_ tap: (@Sendable (PrometheusExchange) -> Void)?) {
        answerTap.withLock { $0 = tap }
    }

    /// How to reach the server.
    public struct Options: Sendable {
        public var baseURL: String
        public var bearerTokenFile: String?
        public var basicUser: String?
        public var basicPasswordFile: String?
        public var tls: ClientTLS?
        public var timeout: Duration

        public init(
            baseURL: String, bearerTokenFile: String? = nil, basicUser: String? = nil, basicPasswordFile: String? = nil,
            tls: ClientTLS? = nil, timeout: Duration = .seconds(10)
        ) {
            self.baseURL = baseURL
            self.bearerTokenFile = bearerTokenFile
            self.basicUser = basicUser
            self.basicPasswordFile = basicPasswordFile
            self.tls = tls
            self.timeout = timeout
        }
    }

    public let options: Options
    private let base: String
    private let authorization: String?
    private let client: HTTPClient

    public init(options: Options) throws(TargetError) {
        self.options = options
        var base = options.baseURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw TargetError("--prometheus: \"\(Sanitized.quote(options.baseURL))\" is not an http:// or https:// URL")
        }
        self.base = base
        func secret(_ path: String, _ flag: String) throws(TargetError) -> String {
            guard let data = FileManager.default.contents(atPath: path) else { throw TargetError("\(flag) \(UnreadableFile.message(path))") }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let file = options.bearerTokenFile {
            authorization = "Bearer " + (try secret(file, "--bearer-token-file"))
        } else if let user = options.basicUser {
            let password = try options.basicPasswordFile.map { path throws(TargetError) in try secret(path, "--basic-auth-password-file") } ?? ""
            authorization = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        } else {
            authorization = nil
        }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(5))
        if let tls = options.tls { configuration.tlsConfiguration = try tls.configuration() }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit { try? client.syncShutdown() }

    public func shutdown() async { try? await client.shutdown() }

    /// An instant query at `time` (now when nil).
    public func query(_ promql: String, at time: Date? = nil) async throws(PrometheusAnswer.Failure) -> (data: PrometheusAnswer.QueryData, warnings: [String]) {
        var form = [("query", promql)]
        if let time { form.append(("time", Self.seconds(time))) }
        return try await call("/api/v1/query", form: form, as: PrometheusAnswer.QueryData.self)
    }

    /// A range query from `start` to `end` every `step` seconds.
    public func queryRange(_ promql: String, start: Date, end: Date, step: Double) async throws(PrometheusAnswer.Failure)
        -> (data: PrometheusAnswer.QueryData, warnings: [String])
    {
        try await call(
            "/api/v1/query_range",
            form: [("query", promql), ("start", Self.seconds(start)), ("end", Self.seconds(end)), ("step", String(format: "%.3f", step))],
            as: PrometheusAnswer.QueryData.self)
    }

    /// The active scrape targets.
    public func targets() async throws(PrometheusAnswer.Failure) -> [PrometheusAnswer.Target] {
        try await call("/api/v1/targets?state=active", form: nil, as: PrometheusAnswer.TargetsData.self).data.activeTargets
    }

    /// Every metric's type and help.
    public func metadata() async throws(PrometheusAnswer.Failure) -> PrometheusAnswer.MetadataData {
        try await call("/api/v1/metadata", form: nil, as: PrometheusAnswer.MetadataData.self).data
    }

    /// A GET of any other API path, as received (401 and 403 are failures).
    public func get(_ path: String) async throws(PrometheusAnswer.Failure) -> (status: Int, body: [UInt8]) {
        try await exchange(path, form: nil)
    }

    static func seconds(_ date: Date) -> String { String(format: "%.3f", date.timeIntervalSince1970) }

    /// POSTs a form (queries) or GETs a path; decodes the envelope.
    func call<T: Decodable>(_ path: String, form: [(String, String)]?, as type: T.Type) async throws(PrometheusAnswer.Failure) -> (data: T, warnings: [String])
    {
        let (status, body) = try await exchange(path, form: form)
        return try PrometheusAnswer.decode(T.self, body: body, status: status)
    }

    /// POSTs a form (queries) or GETs a path; the status and body, seen by the tap.
    func exchange(_ path: String, form: [(String, String)]?) async throws(PrometheusAnswer.Failure) -> (status: Int, body: [UInt8]) {
        var request = HTTPClientRequest(url: base + path)
        request.headers.add(name: "User-Agent", value: "teleport-top/\(TeleportTopVersion.current)")
        request.headers.add(name: "Accept", value: "application/json")
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        if let form {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: Self.encode(form)))
        }
        let body: [UInt8]
        let status: Int
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(options.timeout.seconds * 1e9)))
            status = Int(response.status.code)
            var buffer = ByteBuffer()
            for try await chunk in response.body {
                if buffer.readableBytes + chunk.readableBytes > PrometheusAnswer.maxBytes {
                    throw PrometheusAnswer.Failure("answer larger than \(PrometheusAnswer.maxBytes >> 20) MiB")
                }
                var chunk = chunk
                buffer.writeBuffer(&chunk)
            }
            body = Array(buffer.readableBytesView)
        } catch let failure as PrometheusAnswer.Failure {
            throw failure
        } catch {
            let scrape = DiagClient.classify(error, path: path, target: .http(baseURL: base), timeout: options.timeout)
            throw PrometheusAnswer.Failure("Prometheus \(base): \(scrape)")
        }
        if let tap = answerTap.withLock({ $0 }) {
            tap(PrometheusExchange(path: path, query: form?.first { $0.0 == "query" }?.1 ?? "", status: status, time: Date(), body: body))
        }
        if status == 401 || status == 403 { throw PrometheusAnswer.Failure("Prometheus \(base): HTTP \(status) (check the credentials)") }
        return (status, body)
    }

    static func encode(_ form: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }
}
