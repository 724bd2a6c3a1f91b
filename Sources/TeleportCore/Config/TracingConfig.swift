import Foundation

/// `tracing_service` of a teleport.yaml, as Teleport reads it:
///
/// ```yaml
/// tracing_service:
///   enabled: yes
///   exporter_url: grpc://collector.example.com:4317
///   sampling_rate_per_million: 1000000
///   ca_certs: [/var/lib/teleport/exporter_ca.pem]
///   keypairs:                  # the docs say https_keypairs; both are read
///     - key_file: /var/lib/teleport/exporter_key.pem
///       cert_file: /var/lib/teleport/exporter_cert.pem
/// ```
public struct TracingConfig: Sendable, Hashable {
    public var enabled: Bool
    public var exporterURL: String
    /// Root spans sampled per million (Teleport's default is 0: only spans whose incoming
    /// parent was sampled are recorded).
    public var samplingRatePerMillion: Double
    public var caCerts: [String]
    public var keypairs: [TracingKeypair]

    public init(
        enabled: Bool = false, exporterURL: String = "", samplingRatePerMillion: Double = 0, caCerts: [String] = [],
        keypairs: [TracingKeypair] = []
    ) {
        self.enabled = enabled
        self.exporterURL = exporterURL
        self.samplingRatePerMillion = samplingRatePerMillion
        self.caCerts = caCerts
        self.keypairs = keypairs
    }

    /// The sampling ratio, 0...1.
    public var samplingRatio: Double { min(max(samplingRatePerMillion / 1_000_000, 0), 1) }

    /// Checks the config as Teleport does before it starts tracing, with Teleport's error
    /// texts, and resolves the exporter URL. nil when tracing is disabled.
    public func validated(fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) throws(TracingConfigError)
        -> TracingEndpoint?
    {
        guard enabled else { return nil }
        guard !exporterURL.isEmpty else { throw TracingConfigError("tracing_service is enabled but no exporter_url is specified") }
        for path in caCerts where !fileExists(path) {
            throw TracingConfigError("tracing_service ca cert does not exist: \(path)")
        }
        for pair in keypairs {
            if !fileExists(pair.keyFile) { throw TracingConfigError("tracing_service private key does not exist: \(pair.keyFile)") }
            if !fileExists(pair.certFile) { throw TracingConfigError("tracing_service cert does not exist: \(pair.certFile)") }
        }
        guard samplingRatePerMillion.isFinite, samplingRatePerMillion >= 0 else {
            throw TracingConfigError("sampling_rate_per_million must be a number from 0 to 1000000")
        }
        return try TracingEndpoint(parsing: exporterURL)
    }

    /// Whether TLS material was given (Teleport uses TLS for grpc and http(s) only then).
    public var hasTLSMaterial: Bool { !caCerts.isEmpty || !keypairs.isEmpty }
}

/// A client certificate and its key, for mutual TLS with the collector.
public struct TracingKeypair: Sendable, Hashable {
    public var keyFile: String
    public var certFile: String

    public init(keyFile: String, certFile: String) {
        self.keyFile = keyFile
        self.certFile = certFile
    }
}

/// Where spans go, from `exporter_url` by Teleport's rules: a bare `host:port` means
/// `grpc://host:port`; the schemes are grpc, http, https and file; `file://DIR?limit=BYTES`
/// writes Teleport's trace files (limit default 100 MiB).
public enum TracingEndpoint: Sendable, Hashable, CustomStringConvertible {
    case grpc(host: String, port: Int)
    /// An OTLP/HTTP URL with its path (`/v1/traces` when the URL had none).
    case http(url: String)
    case https(url: String)
    case file(directory: String, limit: Int)

    /// Teleport's default file limit: 100 MiB.
    public static let defaultFileLimit = 104_857_600

    public init(parsing text: String) throws(TracingConfigError) {
        guard !text.isEmpty else { throw TracingConfigError("exporter URL cannot be empty") }
        // Teleport first tries host:port (net.SplitHostPort) and only then a URL.
        if !text.contains("://"), let (host, port) = Self.hostPort(text), host != "file" {
            self = .grpc(host: host, port: port)
            return
        }
        guard let components = URLComponents(string: text) else {
            throw TracingConfigError("failed to parse exporter URL: \(Sanitized.quote(text))")
        }
        let scheme = components.scheme ?? ""
        switch scheme.lowercased() {
        case "grpc":
            guard let host = components.host, !host.isEmpty else { throw TracingConfigError("exporter URL has no host: \(Sanitized.quote(text))") }
            self = .grpc(host: host, port: components.port ?? 4317)
        case "http", "https":
            guard components.host?.isEmpty == false else { throw TracingConfigError("exporter URL has no host: \(Sanitized.quote(text))") }
            var url = components
            if url.path.isEmpty || url.path == "/" { url.path = "/v1/traces" }
            let full = url.string ?? text
            self = scheme.lowercased() == "http" ? .http(url: full) : .https(url: full)
        case "file":
            let directory = components.path
            guard !directory.isEmpty else { throw TracingConfigError("file exporter URL has no directory: \(Sanitized.quote(text))") }
            var limit = Self.defaultFileLimit
            if let raw = components.queryItems?.first(where: { $0.name == "limit" })?.value, !raw.isEmpty {
                guard let value = Int(raw), value > 0 else {
                    throw TracingConfigError("invalid file exporter limit: \(Sanitized.quote(raw))")
                }
                limit = value
            }
            self = .file(directory: directory, limit: limit)
        default:
            throw TracingConfigError("unsupported exporter scheme: \"\(Sanitized.quote(scheme))\"")
        }
    }

    /// `host:port` as Go's net.SplitHostPort accepts it (IPv6 in brackets), with a numeric port.
    static func hostPort(_ text: String) -> (String, Int)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { return nil }
        }
        guard let port = Int(portText), (0...65535).contains(port) else { return nil }
        // A host name has no control characters or spaces.
        guard !host.isEmpty, !host.unicodeScalars.contains(where: { Sanitized.isUnsafe($0) || $0 == " " }) else { return nil }
        return (String(host), port)
    }

    public var description: String {
        switch self {
        case .grpc(let host, let port): return "grpc://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        case .http(let url), .https(let url): return url
        case .file(let directory, let limit): return "file://\(directory)?limit=\(limit)"
        }
    }
}

/// A tracing config Teleport would refuse, with Teleport's words.
public struct TracingConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
