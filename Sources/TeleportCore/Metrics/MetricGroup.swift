/// How families are grouped on screen: one group per section tab (2-7) plus "Other",
/// which only the raw browser shows. The catalog's sections map to groups; families not in
/// the catalog go by name prefix.
public enum MetricGroup: String, Sendable, Hashable, Codable, CaseIterable {
    case authBackends = "auth"
    case proxy
    case ssh
    case kubernetes
    case database
    case runtime
    case other

    /// The title the dashboard shows for the group.
    public var title: String {
        switch self {
        case .authBackends: return "Auth & backends"
        case .proxy: return "Proxy"
        case .ssh: return "SSH & sessions"
        case .kubernetes: return "Kubernetes"
        case .database: return "Database"
        case .runtime: return "Runtime"
        case .other: return "Other"
        }
    }

    /// The group a catalog section maps to, nil for a section this table does not know.
    public static func forSection(_ section: String) -> MetricGroup? {
        switch section {
        case "Auth Service and backends": return .authBackends
        case "Proxy Service": return .proxy
        case "Teleport SSH Service", "Enhanced Session Recording / BPF": return .ssh
        case "Kubernetes Access (Client)", "Kubernetes Access (Server)",
            "Teleport Kubernetes Service (Client)", "Teleport Kubernetes Service (Server)":
            return .kubernetes
        case "Database Service": return .database
        case "All Teleport instances", "Go runtime metrics", "Prometheus": return .runtime
        default: return nil
        }
    }

    /// Name prefixes for families the catalog does not list, checked in order.
    static let prefixRules: [(prefix: String, group: MetricGroup)] = [
        ("backend_", .authBackends), ("teleport_backend_", .authBackends), ("auth_", .authBackends),
        ("audit_", .authBackends), ("teleport_audit_", .authBackends), ("teleport_cache_", .authBackends),
        ("watcher_", .authBackends), ("user_login", .authBackends), ("grpc_server_", .authBackends),
        ("teleport_connected_", .authBackends), ("teleport_registered_", .authBackends),
        ("teleport_roles", .authBackends), ("teleport_migrations", .authBackends),
        ("heartbeats_missed", .authBackends), ("server_interactive_sessions", .ssh),
        ("proxy_", .proxy), ("teleport_reverse_tunnels", .proxy), ("remote_clusters", .proxy),
        ("trusted_clusters", .proxy), ("teleport_proxy_", .proxy),
        ("teleport_kubernetes_", .kubernetes),
        ("teleport_db_", .database),
        ("go_", .runtime), ("process_", .runtime), ("promhttp_", .runtime),
        ("teleport_build_info", .runtime), ("teleport_services", .runtime),
    ]

    /// The group for a family name by prefix alone, or `.other`.
    public static func forPrefix(of name: String) -> MetricGroup {
        prefixRules.first { name.hasPrefix($0.prefix) }?.group ?? .other
    }
}
