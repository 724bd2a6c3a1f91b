import Foundation
import ServiceLifecycle

/// Drives the engine's state machine as Teleport's heartbeats do: each component sends
/// its first heartbeat at start, then one every heartbeat period while healthy and one every
/// retry period after a failure. Results come from the fault schedule (always OK without
/// one); a failure injected with `DiagnosticsEngine.injectFailure` is sent at once.
public struct HeartbeatService: Service {
    let engine: DiagnosticsEngine

    public init(engine: DiagnosticsEngine) {
        self.engine = engine
    }

    /// The delay before the next heartbeat after one with this result.
    public static func delay(after result: HeartbeatResult, configuration: EngineConfiguration) -> Duration {
        result == .ok ? configuration.heartbeatPeriod : configuration.retryPeriod
    }

    public func run() async throws {
        let configuration = engine.configuration
        let engine = self.engine
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for component in configuration.components {
                    group.addTask {
                        var index = 0
                        while !Task.isCancelled {
                            let result: HeartbeatResult
                            if engine.takeInjectedFailure(component) {
                                result = .failed
                            } else {
                                result = configuration.faultSchedule?.result(at: index) ?? .ok
                                index += 1
                            }
                            engine.heartbeat(result, component: component)
                            await engine.sleepBeforeHeartbeat(component, for: Self.delay(after: result, configuration: configuration))
                        }
                    }
                }
            }
        }
    }
}
