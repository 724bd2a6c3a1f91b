import Foundation

/// One process of a fleet as named by a `--targets` file entry or a repeated `--diag-addr`:
/// its diag address (metrics), its debug socket (what only the socket serves), the
/// teleport.yaml it came from, and its TLS files. At least one of the first three is set.
public struct FleetTargetEntry: Sendable, Hashable, Codable {
    public var name: String
    public var diagAddr: String?
    public var debugSocket: String?
    public var config: String?
    public var caCert: String?
    public var cert: String?
    public var key: String?
    /// The host name its spans carry in `teleport.host.name` (matches spans to the instance).
    public var hostName: String?

    enum CodingKeys: String, CodingKey {
        case name, config, cert, key
        case diagAddr = "diag_addr"
        case debugSocket = "debug_socket"
        case caCert = "ca_cert"
        case hostName = "host_name"
    }

    public init(
        name: String, diagAddr: String? = nil, debugSocket: String? = nil, config: String? = nil, caCert: String? = nil,
        cert: String? = nil, key: String? = nil, hostName: String? = nil
    ) {
        self.name = name
        self.diagAddr = diagAddr
        self.debugSocket = debugSocket
        self.config = config
        self.caCert = caCert
        self.cert = cert
        self.key = key
        self.hostName = hostName
    }

    /// Where its metrics are read: the diag address, else the debug socket, else what the
    /// teleport.yaml names (its diag_addr, else its data_dir's debug.sock).
    public func metricsTarget() throws(TargetError) -> DiagTarget {
        if let diagAddr { return try DiagTarget(diagAddr: diagAddr) }
        if let debugSocket { return .socket(path: debugSocket) }
        guard let config else { throw TargetError("\(name): names no diag_addr, debug_socket or config") }
        let parsed: TeleportConfig
        do { parsed = try TeleportConfig(contentsOf: config) } catch { throw TargetError("\(name): \(error.description)") }
        if let diagAddr = parsed.diagAddr { return try DiagTarget(diagAddr: diagAddr) }
        return .socket(path: parsed.debugSocketPath)
    }

    /// Its debug socket when known: named, or the teleport.yaml's data_dir.
    public var socketPath: String? {
        if let debugSocket { return debugSocket }
        if let config, let parsed = try? TeleportConfig(contentsOf: config) { return parsed.debugSocketPath }
        return nil
    }
}
