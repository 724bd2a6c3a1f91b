import AsyncHTTPClient
import CompressNIO
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import TeleportCore

/// Talks HTTP to one diag endpoint (TCP, TLS, mTLS, or the debug socket): `/healthz`,
/// `/readyz` and `/metrics`, with timeouts, streamed bodies cut at a size limit, gzip, and
/// every failure classified as a `ScrapeError`.
public final class DiagClient: Sendable {
    /// Limits and timeouts.
    public struct Options: Sendable {
        /// The whole exchange, headers and body, must finish within this.
        public var timeout: Duration
        /// Bodies larger than this (after decompression too) are refused.
        public var maxBodyBytes: Int
        public var parserLimits: ExpositionLimits
        public var tls: ClientTLS?

        public init(timeout: Duration = .seconds(10), maxBodyBytes: Int = 64 << 20, parserLimits: ExpositionLimits = .default, tls: ClientTLS? = nil) {
            self.timeout = timeout
            self.maxBodyBytes = maxBodyBytes
            self.parserLimits = parserLimits
            self.tls = tls
        }
    }

    /// A raw answer.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]
        /// Bytes as they came over the wire.
        public var wireBytes: Int
    }

    public let target: DiagTarget
    public let options: Options
    private let client: HTTPClient

    public init(target: DiagTarget, options: Options = Options()) throws(TargetError) {
        self.target = target
        self.options = options
        var configuration = HTTPClient.Configuration()
        configuration.decompression = .disabled
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(min(5, Int64(options.timeout.seconds.rounded(.up)))))
        // A refused connection is an answer: fail at once. (The pool's default retries the
        // connection with backoff until the request's deadline, so a dead target looked
        // alive for the whole timeout.)
        configuration.connectionPool.retryConnectionEstablishment = false
        if let tls = options.tls {
            configuration.tlsConfiguration = try tls.configuration()
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit {
        try? client.syncShutdown()
    }

    /// Closes the connections; the client cannot be used afterwards.
    public func shutdown() async {
        try? await client.shutdown()
    }

    /// GETs a path; throws only `ScrapeError`. `timeout` and `maxBodyBytes` override the
    /// client's options for this request (a 30 s CPU profile needs more than 10 s).
    public func get(
        _ path: String, acceptGzip: Bool = false, accept: String? = nil, timeout: Duration? = nil,
        maxBodyBytes: Int? = nil
    ) async throws(ScrapeError) -> Answer {
        try await send(path, method: .GET, body: nil, acceptGzip: acceptGzip, accept: accept, timeout: timeout, maxBodyBytes: maxBodyBytes)
    }

    /// Sends a request with an optional body; throws only `ScrapeError`. Task cancellation
    /// cancels the request (it then throws `.other` and the task is cancelled).
    public func send(
        _ path: String, method: HTTPMethod, body: String?, acceptGzip: Bool = false, accept: String? = nil,
        timeout: Duration? = nil, maxBodyBytes: Int? = nil
    ) async throws(ScrapeError) -> Answer {
        let timeout = timeout ?? options.timeout
        var request = HTTPClientRequest(url: target.url(path))
        request.method = method
        if case .socket = target { request.headers.replaceOrAdd(name: "Host", value: "debug") }
        if acceptGzip { request.headers.add(name: "Accept-Encoding", value: "gzip") }
        if let accept { request.headers.add(name: "Accept", value: accept) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        request.headers.add(name: "User-Agent", value: "teleport-top/\(TeleportTopVersion.current)")
        let limit = maxBodyBytes ?? options.maxBodyBytes
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(timeout.seconds * 1e9)))
            var buffer = ByteBuffer()
            for try await chunk in response.body {
                if buffer.readableBytes + chunk.readableBytes > limit { throw ScrapeError.tooLarge(limitBytes: limit) }
                var chunk = chunk
                buffer.writeBuffer(&chunk)
            }
            let wireBytes = buffer.readableBytes
            if response.headers["Content-Encoding"].contains(where: { $0.lowercased() == "gzip" }) {
                do {
                    buffer = try buffer.decompress(with: .gzip(), maxSize: limit)
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    throw ScrapeError.tooLarge(limitBytes: limit)
                } catch {
                    throw ScrapeError.other(detail: "gzip body cannot be decompressed: \(error)")
                }
            }
            return Answer(
                status: Int(response.status.code), headers: response.headers,
                body: Array(buffer.readableBytesView), wireBytes: wireBytes)
        } catch let error as ScrapeError {
            throw error
        } catch {
            throw Self.classify(error, path: path, target: target, timeout: timeout)
        }
    }

    /// Maps transport errors to their class by their types (AsyncHTTPClient's, NIO's socket
    /// and connection errors, NIOSSL's, the HTTP parser's); only what none of them is keeps
    /// its text, as `.other`.
    static func classify(_ error: any Error, path: String, target: DiagTarget, timeout: Duration) -> ScrapeError {
        let timedOut = ScrapeError.timeout(path: path, seconds: timeout.seconds)
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .tlsHandshakeTimeout: return timedOut
            case .remoteConnectionClosed: return .notHTTP(detail: "the connection was closed without an HTTP answer")
            default: return .other(detail: String(describing: error))
            }
        case let error as NIOConnectionError:
            if let dns = error.dnsAError ?? error.dnsAAAAError { return .unreachable(detail: "cannot resolve \(error.host): \(dns)") }
            // Every address tried failed: the first failure says why.
            if let first = error.connectionErrors.first { return classify(first.error, path: path, target: target, timeout: timeout) }
            return .unreachable(detail: String(describing: error))
        case let error as IOError:
            switch error.errnoCode {
            case ENOENT: return .noSuchSocket(path: target.description)
            case ECONNREFUSED: return .refused(target: target.description)
            case ETIMEDOUT: return timedOut
            case ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL: return .unreachable(detail: String(describing: error))
            case ECONNRESET, EPIPE: return .notHTTP(detail: "the connection was reset without an HTTP answer")
            default: return .other(detail: String(describing: error))
            }
        case ChannelError.connectTimeout: return timedOut
        case let error as SocketAddressError: return .unreachable(detail: String(describing: error))
        case let error as NIOSSLError: return .tls(detail: TLSErrorText.describe(String(describing: error)))
        case let error as NIOSSLExtraError: return .tls(detail: TLSErrorText.describe(String(describing: error)))
        case let error as BoringSSLError: return .tls(detail: TLSErrorText.describe(String(describing: error)))
        case let error as HTTPParserError: return .notHTTP(detail: String(describing: error))
        default: return .other(detail: String(describing: error))
        }
    }

    /// GETs a path whose answer streams (the log stream): `onStatus` hears the status first;
    /// on 200 every body chunk goes to `onChunk` until the stream ends (returns) or fails
    /// (throws). No timeout beyond the connection's; cancel the task to stop.
    public func stream(_ path: String, onStatus: (Int) -> Bool, onChunk: ([UInt8]) async -> Void) async throws(ScrapeError) {
        var request = HTTPClientRequest(url: target.url(path))
        if case .socket = target { request.headers.replaceOrAdd(name: "Host", value: "debug") }
        request.headers.add(name: "User-Agent", value: "teleport-top/\(TeleportTopVersion.current)")
        do {
            let response = try await client.execute(request, timeout: .hours(24 * 365))
            guard onStatus(Int(response.status.code)) else { return }
            for try await chunk in response.body {
                await onChunk(Array(chunk.readableBytesView))
            }
        } catch let error as ScrapeError {
            throw error
        } catch {
            throw Self.classify(error, path: path, target: target, timeout: options.timeout)
        }
    }

    // MARK: The three routes

    /// `/healthz`: true on 200, false on another status, nil when the route does not exist.
    public func healthz() async throws(ScrapeError) -> Bool? {
        let answer = try await get("/healthz")
        if answer.status == 404 { return nil }
        return answer.status == 200
    }

    /// `/readyz`: the status and body (old and new forms); nil when the route does not exist.
    public func readyz() async throws(ScrapeError) -> ReadyzAnswer? {
        let answer = try await get("/readyz")
        if answer.status == 404 { return nil }
        let body = try? JSONDecoder().decode(ReadyzBody.self, from: Data(answer.body))
        return ReadyzAnswer(statusCode: answer.status, status: body?.status, pid: body?.pid)
    }

    /// `/metrics`, gzip-compressed on the wire, parsed; the raw answer is returned too.
    public func metrics() async throws(ScrapeError) -> (families: [MetricFamily], answer: Answer) {
        // Text 0.0.4 first: client_golang's OpenMetrics output turns Teleport's counters
        // without `_total` (backend_requests) into `unknown`. OpenMetrics is still read when
        // a target sends nothing else.
        let answer = try await get("/metrics", acceptGzip: true, accept: "text/plain;version=0.0.4;q=1.0,*/*;q=0.1")
        guard answer.status == 200 else { throw ScrapeError.httpStatus(code: answer.status, path: "/metrics") }
        let format = ExpositionFormat.from(contentType: answer.headers["Content-Type"].first)
        do {
            return (try ExpositionParser(limits: options.parserLimits).parse(answer.body, format: format), answer)
        } catch {
            throw ScrapeError.notMetrics(error)
        }
    }

    /// One scrape: `/metrics` (required) and `/readyz` at the same time; `/healthz` only when
    /// `/metrics` answered and `/readyz` did not (an older or partial target), since a live process answers
    /// it with 200 whatever its state and it would cost a request per interval for nothing.
    public func scrape() async -> Result<ScrapeResult, ScrapeError> {
        await poll().result
    }

    /// One scrape as the poller takes it: the outcome, and the `/readyz` answer also when
    /// `/metrics` failed (a partial answer: the process is up, its metrics are not).
    public func poll() async -> (result: Result<ScrapeResult, ScrapeError>, readyz: ReadyzAnswer?) {
        let start = ContinuousClock.now
        let started = Date()
        async let readyzAnswer: ReadyzAnswer?? = try? await readyz()
        let metricsResult: Result<([MetricFamily], Answer), ScrapeError>
        do {
            metricsResult = .success(try await metrics())
        } catch {
            metricsResult = .failure(error)
        }
        let readyz = await readyzAnswer ?? nil
        // /healthz only for a process whose metrics answered: after a failed /metrics (a
        // hung process times out on both) it would only hold the failure back a timeout more.
        var healthy: Bool?
        if readyz == nil, case .success = metricsResult { healthy = (try? await healthz()) ?? nil }
        let duration = ContinuousClock.now - start
        switch metricsResult {
        case .success(let (families, answer)):
            return (
                .success(
                    ScrapeResult(
                        time: Date(), duration: duration, bytes: answer.wireBytes, families: families,
                        readyz: readyz, healthy: healthy, started: started, body: answer.body, contentType: answer.headers["Content-Type"].first)), readyz
            )
        case .failure(let error):
            return (.failure(error), readyz)
        }
    }
}
