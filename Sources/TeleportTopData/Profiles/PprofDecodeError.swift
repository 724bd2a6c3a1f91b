import TeleportCore

/// Why bytes are not a usable pprof profile. Every case reads as one line for the user.
public enum PprofDecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 0 bytes.
    case empty
    /// An HTML page (an error page from a proxy or a web UI) instead of a profile.
    case htmlPage
    /// Readable text (a `?debug=1` dump, an error message) instead of a profile.
    case text(firstLine: String)
    /// The input, or what it decompresses to, passed the limit.
    case tooLarge(limitBytes: Int)
    /// The gzip stream ends early or is corrupt.
    case badGzip(detail: String)
    /// The bytes are not a protobuf message of the profile.proto shape.
    case malformedProtobuf(detail: String)
    /// The message decoded but breaks profile.proto's rules (indices, ids, string table).
    case invalid(String)
    /// The file cannot be read.
    case unreadable(path: String, detail: String)

    public var description: String {
        switch self {
        case .empty: return "not a pprof profile: the body is empty (0 bytes)"
        case .htmlPage: return "not a pprof profile: the body is an HTML page"
        case .text(let line): return "not a pprof profile: the body is text (\"\(Sanitized.quote(line))\")"
        case .tooLarge(let limit): return "the profile is larger than the \(limit.byteCountText) limit"
        case .badGzip(let detail): return "the gzip stream is truncated or corrupt (\(detail))"
        case .malformedProtobuf(let detail): return "not a pprof profile: malformed protobuf (\(detail))"
        case .invalid(let reason): return "invalid pprof profile: \(reason)"
        case .unreadable(let path, let detail): return "\(Sanitized.quote(path)): cannot be read: \(detail)"
        }
    }
}
