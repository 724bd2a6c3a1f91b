import Foundation

/// Where a diag endpoint is: an HTTP(S) base URL, or Teleport's debug socket.
public enum DiagTarget: Sendable, Hashable, CustomStringConvertible {
    /// `http://host:port` or `https://host:port` (no trailing slash).
    case http(baseURL: String)
    /// `<data_dir>/debug.sock`, spoken to as HTTP with host `debug`.
    case socket(path: String)

    /// Parses `--diag-addr`: `host:port`, `http://host:port` or `https://host:port`.
    public init(diagAddr text: String) throws(TargetError) {
        var text = text.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        let lower = text.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard let url = URL(string: text), let host = url.host, !host.isEmpty else {
                throw TargetError("\"\(Sanitized.quote(text))\" is not a URL with a host")
            }
            guard url.path.isEmpty || url.path == "/" else {
                throw TargetError("--diag-addr takes a host and port, not a path (\(Sanitized.quote(url.path)))")
            }
            self = .http(baseURL: text)
            return
        }
        if text.contains("://") { throw TargetError("unsupported scheme in \"\(Sanitized.quote(text))\" (use http:// or https://)") }
        guard let address = try? ListenAddress(parsing: text), case .tcp(let host, let port) = address, port > 0 else {
            throw TargetError("\"\(Sanitized.quote(text))\" is not host:port")
        }
        self = .http(baseURL: "http://\(host.contains(":") ? "[\(host)]" : host):\(port)")
    }

    /// The full URL for a path (`/metrics`).
    public func url(_ path: String) -> String {
        switch self {
        case .http(let base): return base + path
        case .socket(let socketPath):
            let encoded = socketPath.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? socketPath
            return "http+unix://\(encoded)\(path)"
        }
    }

    /// What the header shows: `127.0.0.1:3000`, `https://host:3000`, or the socket path.
    public var description: String {
        switch self {
        case .http(let base): return base.hasPrefix("http://") ? String(base.dropFirst(7)) : base
        case .socket(let path): return path
        }
    }

    public var isTLS: Bool {
        if case .http(let base) = self { return base.lowercased().hasPrefix("https://") }
        return false
    }
}

/// A target that cannot be used, with the reason.
public struct TargetError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
