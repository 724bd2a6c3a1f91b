import Foundation
import Yams

/// A teleport.yaml made safe to hand over, by an allowlist: every mapping key is kept, and a
/// scalar value is kept only under a key known to hold no secret (addresses, switches,
/// names of kinds, and paths of certificates and keys: the paths stay, the files are never
/// read); every other scalar becomes `<redacted>`. A value that looks like key material (a
/// PEM block, several lines) or a URL with a user and password is redacted under any key.
/// The file is written again from its parsed tree, so comments (which may hold anything)
/// are dropped. Used by the diagnostics bundle.
public enum ConfigRedaction {
    /// What a redacted value is replaced with.
    public static let placeholder = "<redacted>"

    /// Keys whose scalar values (or lists of scalars) are kept.
    public static let keptKeys: Set<String> = [
        // Structure, switches and kinds.
        "version", "enabled", "type", "mode", "method", "format", "severity", "output", "protocol",
        "second_factor", "local_auth", "proxy_listener_mode", "routing_strategy", "session_recording",
        "proxy_checks_host_keys", "disconnect_expired_cert", "keep_alive_interval", "keep_alive_count_max",
        "client_idle_timeout", "max_connections", "max_users", "ttl", "extra_fields", "continuous_backups",
        "auto_scaling", "poll_stream_period", "sampling_rate_per_million", "cluster_name", "kube_cluster_name",
        "nodename", "advertise_ip", "region", "pid_file", "ca_pin", "enhanced_recording", "command_buffer_size",
        "disk_buffer_size", "network_buffer_size", "cgroup_path", "pam", "use_pam_auth", "service_name",
        "max_display", "display_offset", "permit_user_env", "ssh_file_copy", "scrollback_lines", "show_resources",
        // Addresses.
        "diag_addr", "listen_addr", "public_addr", "web_listen_addr", "tunnel_listen_addr", "ssh_public_addr",
        "tunnel_public_addr", "kube_listen_addr", "kube_public_addr", "mysql_listen_addr", "mysql_public_addr",
        "postgres_listen_addr", "postgres_public_addr", "mongo_listen_addr", "mongo_public_addr", "peer_listen_addr",
        "peer_public_addr", "auth_server", "auth_servers", "proxy_server", "exporter_url",
        // Paths (kept as paths; the files are never read).
        "data_dir", "path", "cert_file", "key_file", "ca_certs", "ca_cert", "kubeconfig_file", "license_file",
    ]

    /// Why a file cannot be redacted (it is then left out whole).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The redacted YAML text of `text`.
    public static func redact(_ text: String) throws(Failure) -> String {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw Failure(description: "not readable YAML: \(YAMLErrorText.oneLine(error))")
        } catch {
            throw Failure(description: "not readable YAML")
        }
        guard let node else { return "" }
        let redacted = redact(node, key: nil)
        do { return try Yams.serialize(node: redacted) } catch {
            throw Failure(description: "cannot be written again: \(error)")
        }
    }

    /// The node with every scalar outside the allowlist replaced; `key` is the mapping key
    /// it sits under (a list's items follow their list's key).
    static func redact(_ node: Node, key: String?) -> Node {
        switch node {
        case .scalar(let scalar):
            if let key, isKept(key: key), isPlain(scalar.string) { return node }
            if scalar.string.isEmpty { return node }
            return .scalar(Node.Scalar(placeholder, Tag(.str), .doubleQuoted))
        case .mapping(let mapping):
            var pairs: [(Node, Node)] = []
            for (name, value) in mapping {
                // A key that is not a plain scalar is no config key: its text goes too.
                guard case .scalar(let keyScalar) = name, isPlain(keyScalar.string) else {
                    pairs.append((.scalar(Node.Scalar(placeholder, Tag(.str), .doubleQuoted)), .scalar(Node.Scalar(placeholder, Tag(.str), .doubleQuoted))))
                    continue
                }
                pairs.append((name, redact(value, key: keyScalar.string)))
            }
            return .mapping(Node.Mapping(pairs))
        case .sequence(let sequence):
            return .sequence(Node.Sequence(sequence.map { redact($0, key: key) }))
        case .alias:
            return .scalar(Node.Scalar(placeholder, Tag(.str), .doubleQuoted))
        }
    }

    /// Whether values under `key` are kept: the allowlist, and any `*_file`, `*_path` or
    /// `*_dir` key (a path).
    public static func isKept(key: String) -> Bool {
        let lower = key.lowercased()
        if keptKeys.contains(lower) { return true }
        return lower.hasSuffix("_file") || lower.hasSuffix("_path") || lower.hasSuffix("_dir") || lower.hasSuffix("_files")
    }

    /// `text` with the user and password of every URL in it replaced (`https://u:p@host` ->
    /// `https://<redacted>@host`): for command lines and source names a bundle shows.
    public static func withoutCredentials(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            out += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != " " }
            if let at = authority.lastIndex(of: "@") {
                out += placeholder
                rest = rest[at...]
            }
        }
        return out + rest
    }

    /// A value that can be shown under a kept key: one line, no PEM block, no URL carrying a
    /// user and password, not absurdly long.
    static func isPlain(_ value: String) -> Bool {
        guard value.count <= 512, !value.contains("\n"), !value.contains("\r"), !value.contains("-----BEGIN") else { return false }
        if let scheme = value.range(of: "://") {
            let rest = value[scheme.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            if authority.contains("@") { return false }
        }
        return true
    }
}
