import TeleportCore

/// The dashboard's tabs, in key order: `1` Overview, `!` Findings, `2` Auth ... `9` Profiles,
/// `0` Raw, `L` Logs.
public enum Tab: Int, Sendable, Hashable, CaseIterable {
    case overview = 1
    case auth, proxy, ssh, kubernetes, database, runtime, spans, profiles
    case raw = 0
    /// The Logs screen, on `L`.
    case logs = 10
    /// The Findings screen, on `!`.
    case findings = 11

    /// Tabs in the order Tab cycles through them.
    public static let ordered: [Tab] = [.overview, .findings, .auth, .proxy, .ssh, .kubernetes, .database, .runtime, .spans, .profiles, .raw, .logs]

    public var title: String {
        switch self {
        case .overview: return "Overview"
        case .auth: return "Auth & backends"
        case .proxy: return "Proxy"
        case .ssh: return "SSH & sessions"
        case .kubernetes: return "Kubernetes"
        case .database: return "Database"
        case .runtime: return "Runtime"
        case .spans: return "Spans"
        case .profiles: return "Profiles"
        case .raw: return "Raw"
        case .logs: return "Logs"
        case .findings: return "Findings"
        }
    }

    /// A short title for narrow terminals.
    public var shortTitle: String {
        switch self {
        case .auth: return "Auth"
        case .ssh: return "SSH"
        case .kubernetes: return "Kube"
        case .database: return "DB"
        case .findings: return "Find"
        default: return title
        }
    }

    /// The shortest title, for 80 columns.
    public var tinyTitle: String {
        switch self {
        case .overview: return "Ovw"
        case .proxy: return "Prx"
        case .runtime: return "Run"
        case .spans: return "Span"
        case .profiles: return "Prof"
        default: return shortTitle
        }
    }

    /// The key that selects the tab.
    public var key: Character {
        switch self {
        case .logs: return "L"
        case .findings: return "!"
        default: return Character(String(rawValue))
        }
    }

    /// The metric group a section tab shows.
    public var group: MetricGroup? {
        switch self {
        case .auth: return .authBackends
        case .proxy: return .proxy
        case .ssh: return .ssh
        case .kubernetes: return .kubernetes
        case .database: return .database
        case .runtime: return .runtime
        default: return nil
        }
    }

    public var next: Tab { Tab.ordered[((Tab.ordered.firstIndex(of: self) ?? 0) + 1) % Tab.ordered.count] }
    public var previous: Tab {
        let i = Tab.ordered.firstIndex(of: self) ?? 0
        return Tab.ordered[(i + Tab.ordered.count - 1) % Tab.ordered.count]
    }
}
