import Foundation
import Logging
import Synchronization
import TeleportCore
import Tracing

/// Teleport's diagnostics contract, in process: the metric registry with `process_state`,
/// `teleport_build_info` and the `process_*` collector, the heartbeat-driven process state,
/// and the log level the debug service controls. The diag listener and the debug socket
/// (`DiagServer`) serve what it holds; `HeartbeatService` drives its state machine.
public final class DiagnosticsEngine: Sendable {
    public let configuration: EngineConfiguration
    public let registry: MetricRegistry
    public let logLevel: LogLevelControl
    /// What `/log-stream` readers receive: every line the engine's loggers write.
    public let logStream: LogBroadcast
    public let logger: Logger
    public let pid: Int32
    /// The wall clock; tests inject their own.
    public let now: @Sendable () -> Date
    /// The tracer the engine's own work (heartbeats, simulated requests) is traced with;
    /// `NoOpTracer` unless tracing is configured (see `EngineTracing`).
    public let tracer: any Tracer

    private let health: Mutex<ProcessHealth>
    private let processStateGauge: GaugeFamily
    private let heartbeatsMissed: GaugeFamily
    private let injected = Mutex<Set<String>>([])
    private let sleepers = Mutex<[String: Task<Void, Never>]>([:])
    let scrapeRequests: CounterFamily
    let scrapesInFlight: GaugeFamily

    public init(
        configuration: EngineConfiguration = EngineConfiguration(),
        logLevel: LogLevelControl = LogLevelControl(),
        logSink: LogSink = .standardError,
        now: @escaping @Sendable () -> Date = { Date() },
        tracer: any Tracer = NoOpTracer(),
        logStream: LogBroadcast = LogBroadcast()
    ) {
        self.tracer = tracer
        self.configuration = configuration
        self.logLevel = logLevel
        self.logStream = logStream
        self.logger = Logger.diagnostics("engine", control: logLevel, sink: logSink, stream: logStream)
        self.now = now
        self.pid = getpid()
        let registry = MetricRegistry()
        self.registry = registry
        var health = ProcessHealth(checkPeriod: configuration.checkPeriod)
        let start = now()
        for component in configuration.components { health.register(component, at: start) }
        self.health = Mutex(health)
        // These names are fixed and valid, so registration cannot fail; a forced try would be
        // the only trap in the engine, hence the fallback registry.
        processStateGauge = Self.gauge(
            registry, "process_state",
            "State of the teleport process: 0 - ok, 1 - recovering, 2 - degraded, 3 - starting")
        heartbeatsMissed = Self.gauge(registry, "heartbeats_missed_total", "Number of heartbeats missed by auth server")
        let buildInfo = Self.gauge(
            registry, "teleport_build_info",
            "Provides build information of Teleport including gitref (git describe --long --tags), Go version, and Teleport version. The value of this gauge will always be 1.",
            labels: ["version", "gitref", "goversion"])
        scrapeRequests =
            (try? registry.counter(
                "promhttp_metric_handler_requests_total",
                help: "Total number of scrapes by HTTP status code.", labels: ["code"])) ?? CounterFamily(store: ScalarStore(labelCount: 1))
        scrapesInFlight = Self.gauge(
            registry, "promhttp_metric_handler_requests_in_flight",
            "Current number of scrapes being served.")
        processStateGauge.set(ProcessState.starting.gaugeValue)
        heartbeatsMissed.set(0)
        let info = configuration.buildInfo
        buildInfo.set(1, info.version, info.gitref, info.goversion)
        registry.register { ProcessMetrics.families() }
    }

    static func gauge(_ registry: MetricRegistry, _ name: String, _ help: String, labels: [String] = []) -> GaugeFamily {
        (try? registry.gauge(name, help: help, labels: labels)) ?? GaugeFamily(store: ScalarStore(labelCount: labels.count))
    }

    /// The process state now.
    public var state: ProcessState { health.withLock { $0.state } }

    /// Every component's state and the transition history.
    public var healthSnapshot: ProcessHealth { health.withLock { $0 } }

    /// Applies one heartbeat result of one component, updates `process_state`, and logs
    /// each transition as Teleport does.
    @discardableResult
    public func heartbeat(_ result: HeartbeatResult, component: String) -> [StateTransition] {
        let time = now()
        let (transitions, state) = health.withLock { health in
            (health.apply(result, component: component, at: time), health.state)
        }
        processStateGauge.set(state.gaugeValue)
        if result == .failed { heartbeatsMissed.add(1) }
        for transition in transitions {
            let who = transition.component.map { "component \($0)" } ?? "process"
            let level: Logger.Level = transition.to == .degraded ? .warning : .info
            logger.log(
                level: level, "\(who) state changed",
                metadata: [
                    "from": "\(transition.from.name)", "to": "\(transition.to.name)",
                ])
        }
        return transitions
    }

    /// Makes the next heartbeat of a component (every component when nil) fail, and
    /// sends it now: degraded at once, then recovering and ok as retries succeed.
    public func injectFailure(component: String? = nil) {
        let targets = component.map { [$0] } ?? configuration.components
        injected.withLock { $0.formUnion(targets) }
        sleepers.withLock { sleepers in
            for target in targets { sleepers[target]?.cancel() }
        }
    }

    /// Whether a failure was injected for the component (and clears it).
    func takeInjectedFailure(_ component: String) -> Bool {
        injected.withLock { $0.remove(component) != nil }
    }

    /// Sleeps before a component's next heartbeat; an injected failure cuts the sleep short.
    func sleepBeforeHeartbeat(_ component: String, for delay: Duration) async {
        let sleep = Task<Void, Never> { _ = try? await Task.sleep(for: delay) }
        sleepers.withLock { $0[component] = sleep }
        if injected.withLock({ $0.contains(component) }) { sleep.cancel() }
        await withTaskCancellationHandler {
            await sleep.value
        } onCancel: {
            sleep.cancel()
        }
    }

    /// The `/readyz` answer: HTTP status and JSON body `{"status": "...", "pid": N}`.
    public func readyz() -> (status: Int, body: String) {
        let state = self.state
        return (state.readyzStatusCode, ReadyzBody(status: state.readyzStatusText, pid: Int(pid)).json)
    }

    /// The registry in text format 0.0.4.
    public func exposition() -> [UInt8] {
        ExpositionWriter.write(registry.gather())
    }
}
