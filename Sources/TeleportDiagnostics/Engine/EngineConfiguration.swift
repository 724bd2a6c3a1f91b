import TeleportCore

/// How the diagnostics engine behaves: its components, heartbeat timing and faults.
public struct EngineConfiguration: Sendable {
    /// The simulated components, each with its own heartbeat and state machine.
    public var components: [String]
    /// The heartbeat interval while healthy (Teleport: about 60 s).
    public var heartbeatPeriod: Duration
    /// The retry interval after a failed heartbeat (Teleport: about 5 s).
    public var retryPeriod: Duration
    /// Teleport's HeartbeatCheckPeriod: recovering -> ok needs more than twice this.
    public var checkPeriod: Duration
    /// A repeating pattern of heartbeat results, or nil for always OK.
    public var faultSchedule: FaultSchedule?
    /// Whether `/debug/pprof/*` answers on the diag listener (the debug socket always serves it).
    public var debug: Bool
    /// What the engine reports in `teleport_build_info`.
    public var buildInfo: BuildInfo

    public init(
        components: [String] = ["auth", "proxy", "node"],
        heartbeatPeriod: Duration = .seconds(60),
        retryPeriod: Duration = .seconds(5),
        checkPeriod: Duration = ProcessHealth.defaultCheckPeriod,
        faultSchedule: FaultSchedule? = nil,
        debug: Bool = false,
        buildInfo: BuildInfo = .simulated
    ) {
        self.components = components
        self.heartbeatPeriod = heartbeatPeriod
        self.retryPeriod = retryPeriod
        self.checkPeriod = checkPeriod
        self.faultSchedule = faultSchedule
        self.debug = debug
        self.buildInfo = buildInfo
    }
}

extension BuildInfo {
    /// What the simulated Teleport reports: the tool's own version, marked as simulated.
    public static let simulated = BuildInfo(
        version: TeleportTopVersion.current, gitref: "simulated", goversion: "swift-\(TeleportTopVersion.swift)")
}
