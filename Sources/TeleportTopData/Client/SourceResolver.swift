import Foundation
import TeleportCore

/// Where data comes from, by one rule everywhere: `--diag-addr` > `--debug-socket` >
/// `-c FILE` (its `teleport.diag_addr`, else `<teleport.data_dir>/debug.sock`) > with no
/// target flag, `/etc/teleport.yaml`'s debug socket if the file exists and the socket
/// answers > the embedded engine. `--embedded` forces the embedded engine. Headless
/// commands never fall back to the embedded engine unless `--embedded` is given.
public enum SourceResolver {
    /// The choice the rule made.
    public enum Source: Sendable, Hashable {
        case target(DiagTarget)
        case embedded
    }

    /// What the user named.
    public struct Request: Sendable {
        public var diagAddr: String?
        public var debugSocket: String?
        public var configPath: String?
        public var embedded: Bool
        /// Teleport's default config, consulted only when no target flag is given.
        public var defaultConfigPath: String

        public init(
            diagAddr: String? = nil, debugSocket: String? = nil, configPath: String? = nil, embedded: Bool = false,
            defaultConfigPath: String = TeleportConfig.defaultPath
        ) {
            self.diagAddr = diagAddr
            self.debugSocket = debugSocket
            self.configPath = configPath
            self.embedded = embedded
            self.defaultConfigPath = defaultConfigPath
        }
    }

    /// The message a headless command prints when nothing was found.
    public static let noTargetMessage =
        "no target found: name one with --diag-addr HOST:PORT, --debug-socket PATH or -c teleport.yaml (or --embedded for the built-in simulation)"

    /// The message of a command that reads a real process only (no `--embedded`).
    public static let noProcessMessage = "no target found: name one with --diag-addr HOST:PORT, --debug-socket PATH or -c teleport.yaml"

    /// The message of a command that needs the debug socket.
    public static func needsSocket(_ command: String, what: String) -> String {
        "\(command) needs the debug socket: name it with --debug-socket PATH or -c teleport.yaml (the diag listener has no \(what))"
    }

    /// The debug socket a request names, for what only the socket serves (the log level, the
    /// log stream, profiles without Teleport's --debug): `--debug-socket`, else `-c`'s
    /// `<teleport.data_dir>/debug.sock` (also when the file names a diag_addr, which serves
    /// the metrics), else, with no target flag, `/etc/teleport.yaml`'s socket if it answers.
    /// Nil when none is named (`--diag-addr` alone names none).
    public static func socket(_ request: Request, socketAnswers: (String) -> Bool) throws(TargetError) -> String? {
        if let socket = request.debugSocket { return socket }
        if let path = request.configPath {
            do { return try TeleportConfig(contentsOf: path).debugSocketPath } catch { throw TargetError(error.description) }
        }
        guard request.diagAddr == nil, !request.embedded else { return nil }
        if FileManager.default.fileExists(atPath: request.defaultConfigPath),
            let config = try? TeleportConfig(contentsOf: request.defaultConfigPath),
            socketAnswers(config.debugSocketPath)
        {
            return config.debugSocketPath
        }
        return nil
    }

    /// Applies the rule. `headless` commands fail instead of falling back to embedded;
    /// `socketAnswers` says whether a process accepts on a socket path (the engine's probe).
    public static func resolve(
        _ request: Request, headless: Bool, socketAnswers: (String) -> Bool
    ) throws(TargetError) -> Source {
        if request.embedded {
            if request.diagAddr != nil || request.debugSocket != nil || request.configPath != nil {
                throw TargetError("--embedded runs the built-in simulation; it does not go with --diag-addr, --debug-socket or -c")
            }
            return .embedded
        }
        if let diagAddr = request.diagAddr { return .target(try DiagTarget(diagAddr: diagAddr)) }
        if let socket = request.debugSocket { return .target(.socket(path: socket)) }
        if let path = request.configPath {
            let config: TeleportConfig
            do { config = try TeleportConfig(contentsOf: path) } catch { throw TargetError(error.description) }
            if let diagAddr = config.diagAddr { return .target(try DiagTarget(diagAddr: diagAddr)) }
            return .target(.socket(path: config.debugSocketPath))
        }
        if FileManager.default.fileExists(atPath: request.defaultConfigPath),
            let config = try? TeleportConfig(contentsOf: request.defaultConfigPath),
            socketAnswers(config.debugSocketPath)
        {
            return .target(.socket(path: config.debugSocketPath))
        }
        if headless { throw TargetError(noTargetMessage) }
        return .embedded
    }
}
