/// Why a scrape failed, classified so the header can say what to do about it.
public enum ScrapeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing listens there (ECONNREFUSED).
    case refused(target: String)
    /// The debug socket's path does not exist.
    case noSuchSocket(path: String)
    /// The target accepted but did not answer in time.
    case timeout(path: String, seconds: Double)
    /// The peer does not speak HTTP.
    case notHTTP(detail: String)
    /// An HTTP status other than 200 (404 on /metrics gets a hint).
    case httpStatus(code: Int, path: String)
    /// The body is not metrics text (an HTML page, garbage, a truncated payload).
    case notMetrics(ExpositionParseError)
    /// The body passed the size limit; the client stopped reading.
    case tooLarge(limitBytes: Int)
    /// The TLS handshake or certificate check failed.
    case tls(detail: String)
    /// The host cannot be reached (name resolution, routing).
    case unreachable(detail: String)
    /// Anything else, with the underlying text.
    case other(detail: String)

    public var description: String {
        switch self {
        case .refused(let target): return "connection refused: nothing listens on \(target)"
        case .noSuchSocket(let path): return "no such file: \(path) (is Teleport running, with this data_dir?)"
        case .timeout(let path, let seconds): return "timed out after \(ExpositionNumber.format(seconds))s waiting for \(path)"
        case .notHTTP(let detail): return "the target does not speak HTTP (\(detail))"
        case .httpStatus(404, "/metrics"): return "HTTP 404 on /metrics: is --diag-addr right?"
        case .httpStatus(let code, let path): return "HTTP \(code) on \(path)"
        case .notMetrics(let error): return "the body is not metrics text: \(error)"
        case .tooLarge(let limit): return "the response passed the \(limit.byteCountText) limit"
        case .tls(let detail): return "TLS failed: \(detail)"
        case .unreachable(let detail): return "unreachable: \(detail)"
        case .other(let detail): return detail
        }
    }

    /// A short class name for compact displays and JSON.
    public var kind: String {
        switch self {
        case .refused: return "refused"
        case .noSuchSocket: return "no_socket"
        case .timeout: return "timeout"
        case .notHTTP: return "not_http"
        case .httpStatus: return "http_status"
        case .notMetrics: return "not_metrics"
        case .tooLarge: return "too_large"
        case .tls: return "tls"
        case .unreachable: return "unreachable"
        case .other: return "other"
        }
    }
}
