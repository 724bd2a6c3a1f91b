import Foundation
import Yams

/// The part of a `teleport.yaml` teleport-top reads: `teleport.diag_addr`,
/// `teleport.data_dir`, `teleport.log.severity` and `tracing_service`.
public struct TeleportConfig: Sendable, Hashable {
    public var diagAddr: String?
    public var dataDir: String?
    public var logSeverity: String?
    /// `tracing_service`, when the file has one.
    public var tracing: TracingConfig?

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
            throw ConfigError(path: UnreadableFile.absolute(path), reason: "cannot be read: \(UnreadableFile.reason(path))")
        }
        try self.init(yaml: text, path: path)
    }

    /// Parses config text; `path` is only used in errors.
    public init(yaml text: String, path: String = "teleport.yaml") throws(ConfigError) {
        let root: Any?
        do {
            // Yams's constructor traps on a key that is not a scalar (`? [a]: b`): such a
            // document is refused from its node tree before anything is constructed.
            if let node = try Yams.compose(yaml: text) { try Self.checkKeys(node, path: path) }
            root = try Yams.load(yaml: text)
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            throw ConfigError(path: path, reason: "not valid YAML: \(YAMLErrorText.oneLine(error))")
        } catch {
            throw ConfigError(path: path, reason: "not valid YAML: \(Sanitized.quote(String(describing: error)))")
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
        if let tracing = document["tracing_service"] {
            config.tracing = try Self.tracing(tracing, path: path)
        }
        self = config
    }

    /// Every mapping key in the tree is a scalar (walked without recursion: nesting is the
    /// input's to choose).
    static func checkKeys(_ root: Node, path: String) throws(ConfigError) {
        var stack = [root]
        while let node = stack.popLast() {
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    guard case .scalar = key else {
                        throw ConfigError(path: path, reason: "line \(key.mark?.line ?? 0): a key must be a plain word")
                    }
                    stack.append(value)
                }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence)
            default:
                break
            }
        }
    }

    /// `tracing_service`: enabled, exporter_url, sampling_rate_per_million, ca_certs, and
    /// keypairs (the docs' https_keypairs is read too).
    static func tracing(_ value: Any, path: String) throws(ConfigError) -> TracingConfig? {
        if value is NSNull { return nil }
        guard let section = value as? [String: Any] else { throw ConfigError(path: path, reason: "tracing_service is not a mapping") }
        var tracing = TracingConfig()
        if let enabled = section["enabled"], !(enabled is NSNull) {
            guard let flag = bool(enabled) else { throw ConfigError(path: path, reason: "tracing_service.enabled must be yes or no") }
            tracing.enabled = flag
        }
        tracing.exporterURL = try string(section["exporter_url"], key: "tracing_service.exporter_url", path: path) ?? ""
        if let rate = section["sampling_rate_per_million"], !(rate is NSNull) {
            if let number = rate as? Int {
                tracing.samplingRatePerMillion = Double(number)
            } else if let number = rate as? Double {
                tracing.samplingRatePerMillion = number
            } else if let text = rate as? String, let number = Double(text) {
                tracing.samplingRatePerMillion = number
            } else {
                throw ConfigError(path: path, reason: "tracing_service.sampling_rate_per_million must be a number")
            }
        }
        if let certs = section["ca_certs"], !(certs is NSNull) {
            if let one = certs as? String {
                tracing.caCerts = [one]
            } else if let list = certs as? [Any] {
                for item in list {
                    guard let text = try string(item, key: "tracing_service.ca_certs", path: path) else { continue }
                    tracing.caCerts.append(text)
                }
            } else {
                throw ConfigError(path: path, reason: "tracing_service.ca_certs must be a list of files")
            }
        }
        for key in ["keypairs", "https_keypairs"] {
            guard let pairs = section[key], !(pairs is NSNull) else { continue }
            guard let list = pairs as? [Any] else { throw ConfigError(path: path, reason: "tracing_service.\(key) must be a list") }
            for item in list {
                guard let pair = item as? [String: Any] else {
                    throw ConfigError(path: path, reason: "tracing_service.\(key) entries need key_file and cert_file")
                }
                let keyFile = try string(pair["key_file"], key: "tracing_service.\(key).key_file", path: path) ?? ""
                let certFile = try string(pair["cert_file"], key: "tracing_service.\(key).cert_file", path: path) ?? ""
                tracing.keypairs.append(TracingKeypair(keyFile: keyFile, certFile: certFile))
            }
        }
        return tracing
    }

    /// YAML's booleans as Teleport accepts them (yes/no, true/false, on/off).
    static func bool(_ value: Any) -> Bool? {
        if let flag = value as? Bool { return flag }
        if let text = value as? String {
            switch text.lowercased() {
            case "yes", "true", "on", "y": return true
            case "no", "false", "off", "n": return false
            default: return nil
            }
        }
        if let number = value as? Int { return number != 0 }
        return nil
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
