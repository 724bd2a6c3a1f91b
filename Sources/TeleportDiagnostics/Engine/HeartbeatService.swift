import Foundation
import Logging
import ServiceLifecycle
import TeleportCore
import Tracing

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

    /// Sends one heartbeat inside a span, as Teleport's heartbeat does: `heartbeat/announce`
    /// with the component, the result, and an error status when it failed.
    static func traced(_ engine: DiagnosticsEngine, _ result: HeartbeatResult, component: String) {
        let span = engine.startSpan("heartbeat/announce", kind: .client)
        span.attributes["teleport.component"] = component
        span.attributes["heartbeat.result"] = result == .ok ? "ok" : "failed"
        let transitions = engine.heartbeat(result, component: component)
        for transition in transitions {
            span.addEvent(
                Tracing.SpanEvent(
                    name: "state changed",
                    attributes: [
                        "component": .string(transition.component ?? "process"), "from": .string(transition.from.name), "to": .string(transition.to.name),
                    ]))
        }
        var metadata: Logger.Metadata = ["component": "\(component)"]
        if let context = span.context.recordedSpanContext {
            metadata["trace_id"] = "\(context.traceID)"
            metadata["span_id"] = "\(context.spanID)"
        }
        if result == .failed {
            span.setStatus(Tracing.SpanStatus(code: .error, message: "heartbeat of \(component) failed: auth server unreachable (simulated)"))
            metadata["error"] = "auth server unreachable (simulated)"
            engine.logger.warning("Heartbeat failed.", metadata: metadata)
        } else {
            engine.logger.debug("Heartbeat sent.", metadata: metadata)
        }
        span.end()
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
                            Self.traced(engine, result, component: component)
                            await engine.sleepBeforeHeartbeat(component, for: Self.delay(after: result, configuration: configuration))
                        }
                    }
                }
            }
        }
    }
}
