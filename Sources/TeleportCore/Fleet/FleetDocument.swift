import Foundation

/// `snapshot --json` of a fleet: the source and one object per instance (worst state
/// first), each with a `state`; figures an instance does not expose are absent, never zero.
public struct FleetDocument: Codable, Sendable {
    public var source: String
    public var time: Date
    public var instances: [Instance]

    /// One instance.
    public struct Instance: Codable, Sendable {
        public var name: String
        public var source: String
        public var state: String
        /// When the state began; nil when only a lower bound is known (`stateSinceAtLeast`).
        public var stateSince: Date?
        /// The state was already there at this time (the watching began then).
        public var stateSinceAtLeast: Date?
        public var changes: Int
        public var roles: [String]
        public var version: String?
        public var versionBehind: Bool
        public var processStart: Date?
        public var restartedAt: Date?
        public var cpuCores: Double?
        public var residentMemoryBytes: Double?
        public var goroutines: Double?
        public var grpcRequestsPerSecond: Double?
        public var grpcErrorShare: Double?
        public var backendReadP99Seconds: Double?
        public var heartbeatsMissed: Double?
        public var lastScrape: Date?
        public var scrapeError: String?
        public var hostName: String?
        public var gone: Bool

        enum CodingKeys: String, CodingKey {
            case name, source, state, changes, roles, version, goroutines, gone
            case stateSince = "state_since"
            case stateSinceAtLeast = "state_since_at_least"
            case versionBehind = "version_behind"
            case processStart = "process_start"
            case restartedAt = "restarted_at"
            case cpuCores = "cpu_cores"
            case residentMemoryBytes = "resident_memory_bytes"
            case grpcRequestsPerSecond = "grpc_requests_per_second"
            case grpcErrorShare = "grpc_error_share"
            case backendReadP99Seconds = "backend_read_p99_seconds"
            case heartbeatsMissed = "heartbeats_missed"
            case lastScrape = "last_scrape"
            case scrapeError = "scrape_error"
            case hostName = "host_name"
        }
    }

    /// The document of rows, in the order given.
    public init(source: String, time: Date, rows: [FleetRow], newestVersion: String?, isOlder: (String, String) -> Bool) {
        self.source = source
        self.time = time
        func finite(_ value: Double?) -> Double? { value.flatMap { $0.isFinite ? $0 : nil } }
        instances = rows.map { row in
            Instance(
                name: row.name, source: row.source.rawValue, state: row.gone ? "gone" : row.state.rawValue,
                stateSince: row.stateSinceIsLowerBound == true ? nil : row.stateSince,
                stateSinceAtLeast: row.stateSinceIsLowerBound == true ? row.stateSince : nil,
                changes: row.changes, roles: row.roles, version: row.version,
                versionBehind: row.version.flatMap { v in newestVersion.map { isOlder(v, $0) } } ?? false,
                processStart: row.processStart, restartedAt: row.restartedAt, cpuCores: finite(row.cpu), residentMemoryBytes: finite(row.memory),
                goroutines: finite(row.goroutines), grpcRequestsPerSecond: finite(row.grpcRate), grpcErrorShare: finite(row.grpcErrorShare),
                backendReadP99Seconds: finite(row.backendP99), heartbeatsMissed: finite(row.heartbeatsMissed), lastScrape: row.lastScrape,
                scrapeError: row.scrapeError, hostName: row.hostName, gone: row.gone)
        }
    }
}
