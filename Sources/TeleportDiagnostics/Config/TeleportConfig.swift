import Foundation
import Yams

/// The part of a `teleport.yaml` teleport-top reads: `teleport.diag_addr`,
/// `teleport.data_dir` and `teleport.log.severity`.
public struct TeleportConfig: Sendable, Hashable {
    public var diagAddr: String?
    public var dataDir: String?
    public var logSeverity: String?

    /// Teleport's default config file.
    public static let defaultPath = "/etc/teleport.yaml"
    /// Teleport's default data directory.
    public static let defaultDataDir = "/var/lib/teleport"

    public init(diagAddr: String? = nil, dataDir: String? = nil, logSeverity: String? = nil) {
        self.diagAddr = diagAddr
        self.dataDir = dataDir
        self.logSeverity = logSeverity
    }

    /// Reads and parses a config file.
    public init(contentsOf path: String) throws(ConfigError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        try self.init(yaml: text, path: path)
    }

    /// Parses config text; `path` is only used in errors.
    public init(yaml text: String, path: String = "teleport.yaml") throws(ConfigError) {
        let root: Any?
        do {
            root = try Yams.load(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(path: path, reason: "not valid YAML: \(error)")
        } catch {
            throw ConfigError(path: path, reason: "not valid YAML: \(error)")
        }
        guard let root else {
            self.init()
            return
        }
        guard let document = root as? [String: Any] else {
            throw ConfigError(path: path, reason: "the top level is not a mapping")
        }
        var config = TeleportConfig()
        if let teleport = document["teleport"] {
            guard let section = teleport as? [String: Any] else {
                throw ConfigError(path: path, reason: "teleport: is not a mapping")
            }
            config.diagAddr = try Self.string(section["diag_addr"], key: "teleport.diag_addr", path: path)
            config.dataDir = try Self.string(section["data_dir"], key: "teleport.data_dir", path: path)
            if let log = section["log"] {
                guard let logSection = log as? [String: Any] else {
                    throw ConfigError(path: path, reason: "teleport.log is not a mapping")
                }
                config.logSeverity = try Self.string(logSection["severity"], key: "teleport.log.severity", path: path)
            }
        }
        self = config
    }

    static func string(_ value: Any?, key: String, path: String) throws(ConfigError) -> String? {
        guard let value else { return nil }
        if value is NSNull { return nil }
        if let string = value as? String { return string.isEmpty ? nil : string }
        if let int = value as? Int { return String(int) }
        throw ConfigError(path: path, reason: "\(key) must be a string")
    }

    /// The debug socket of this config: `<data_dir>/debug.sock`, data_dir defaulting to
    /// Teleport's `/var/lib/teleport`.
    public var debugSocketPath: String {
        DebugSocketPath.socketPath(dataDir: dataDir ?? Self.defaultDataDir)
    }

    /// The log level `teleport.log.severity` names (Teleport accepts trace, debug, info,
    /// warn/warning, error), nil when unset.
    public func logLevel() throws(ConfigError) -> TeleportLogLevel? {
        guard let severity = logSeverity else { return nil }
        let normalized = severity.lowercased() == "warning" ? "warn" : severity
        guard let level = TeleportLogLevel(text: normalized) else {
            throw ConfigError(path: "teleport.log.severity", reason: "unknown severity \"\(Sanitized.quote(severity))\"")
        }
        return level
    }
}

/// A config file that cannot be used, with the reason.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}
