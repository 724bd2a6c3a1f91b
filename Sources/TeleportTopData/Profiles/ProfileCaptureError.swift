import TeleportCore

/// Why a capture failed, with the text a user reads.
public enum ProfileCaptureError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 404 on `/debug/pprof/...`: the diag listener serves pprof only with `--debug`.
    case pprofOff
    /// Another HTTP status, with the body's first line.
    case httpStatus(code: Int, body: String)
    /// The target could not be reached or did not answer in time.
    case transport(ScrapeError)
    /// The answer is not what the kind should be (empty, an HTML page, not pprof).
    case badBody(kind: ProfileKind, PprofDecodeError)
    /// The capture was cancelled.
    case cancelled

    /// The exact 404 text.
    public static let pprofOffMessage = "pprof is off: start teleport with --debug, or use the debug socket (--debug-socket / -c)"

    public var description: String {
        switch self {
        case .pprofOff: return Self.pprofOffMessage
        case .httpStatus(let code, let body): return body.isEmpty ? "HTTP \(code)" : "HTTP \(code): \(Sanitized.quote(body))"
        case .transport(let error): return error.description
        case .badBody(let kind, let error): return "\(kind.rawValue): \(error)"
        case .cancelled: return "cancelled"
        }
    }
}
