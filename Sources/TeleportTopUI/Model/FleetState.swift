import Foundation
import TeleportCore

/// The fleet screen's state: every instance's latest row, which one is open (its full
/// dashboard on screen), and the table's sort, filters and cursor.
public struct FleetState: Sendable {
    /// Rows by instance id.
    public var rows: [Int: FleetRow] = [:]
    /// The instance whose dashboard is open (nil: the fleet table is on screen).
    public var open: Int?
    /// The column rows are sorted by after their state.
    public var sort: FleetColumn = .name
    /// `/`: a regular expression over name, roles, version and state (a leading `!` inverts).
    public var filter = ""
    /// `f`: matchers over `name`, `role`, `version`, `state`, `source`.
    public var labelFilter = ""
    /// The cursor: the selected instance (it stays on it as rows re-sort), nil: the first row.
    public var selectedID: Int?
    /// What feeds the fleet: `12 targets`, `Prometheus http://...`, `simulated fleet`.
    public var source: String
    /// The source's trouble (a Prometheus that is down or answers an error) or warnings.
    public var status: String?
    /// The engine behind a Prometheus-API source (`via VictoriaMetrics, 30s behind`).
    public var via: String?
    /// Each instance's open findings (muted ones left out), by instance id.
    public var findings: [Int: FindingsSummary] = [:]

    public init(source: String, rows: [FleetRow] = []) {
        self.source = source
        for row in rows { self.rows[row.id] = row }
    }

    /// The cursor's index in `rows` (the visible order).
    public func selectedIndex(in rows: [FleetRow]) -> Int {
        selectedID.flatMap { id in rows.firstIndex { $0.id == id } } ?? 0
    }

    /// Whether any instance answered (or failed) yet.
    public private(set) var answered = false

    /// Takes a row in: a removed row leaves the table.
    public mutating func receive(_ row: FleetRow) {
        if !row.isWaiting { answered = true }
        if row.removed { rows[row.id] = nil } else { rows[row.id] = row }
    }
}

/// A fleet table column (what `s` sorts by, after the state).
public enum FleetColumn: String, Sendable, Hashable, CaseIterable {
    case name, roles, version, state, findings, uptime, cpu, memory, goroutines, grpc, grpcErrors, backendP99, heartbeats, scrape

    /// The columns `s` cycles through.
    public static let sortable: [FleetColumn] = [.name, .findings, .cpu, .memory, .goroutines, .grpc, .grpcErrors, .backendP99, .uptime, .version, .heartbeats]

    public var title: String {
        switch self {
        case .name: return "name"
        case .roles: return "roles"
        case .version: return "version"
        case .state: return "state"
        case .findings: return "findings"
        case .uptime: return "uptime"
        case .cpu: return "CPU"
        case .memory: return "memory"
        case .goroutines: return "gorout"
        case .grpc: return "gRPC/s"
        case .grpcErrors: return "err%"
        case .backendP99: return "bk p99"
        case .heartbeats: return "hb miss"
        case .scrape: return "scrape"
        }
    }
}
