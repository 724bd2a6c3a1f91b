import Foundation
import Logging
import ServiceLifecycle
import TeleportCore
import Tracing

/// Simulated requests through the simulated cluster, traced with the engine's tracer so
/// every mode has spans to show: proxy -> auth -> backend nesting, node, kube and database
/// legs, some failing with a status message, some forwarded from a client (`tsh --trace`)
/// and carrying `teleport.forwarded.for`. Each request's spans are emitted at once with
/// timestamps laid out in the recent past (children inside their parents), so no request
/// takes real time. Deterministic for a seed.
public struct SimulatedRequests: Service {
    let engine: DiagnosticsEngine
    let interval: Duration
    let seed: UInt64

    public init(engine: DiagnosticsEngine, interval: Duration = .milliseconds(500), seed: UInt64 = 0x5EED_0F5A) {
        self.engine = engine
        self.interval = interval
        self.seed = seed
    }

    public func run() async throws {
        let engine = self.engine
        let interval = self.interval
        let seed = self.seed
        await cancelWhenGracefulShutdown {
            var random = SplitMix64(seed: seed)
            var first = true
            while !Task.isCancelled {
                Self.emit(Self.request(&random), engine: engine, endNanos: DefaultTracerClock.now.nanosecondsSinceEpoch)
                if first {
                    engine.logger.info("simulated requests started", metadata: ["interval": "\(interval)"])
                    first = false
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One span of a simulated request and the spans under it.
    struct Step: Sendable, Hashable {
        var name: String
        var kind: Tracing.SpanKind
        var attributes: [String: String]
        var error: String?
        var children: [Step]
    }

    /// Emits a request's spans; the root ends at `endNanos`. Returns the spans emitted.
    @discardableResult
    static func emit(_ root: Step, engine: DiagnosticsEngine, endNanos: UInt64, random seed: UInt64 = 1) -> Int {
        var random = SplitMix64(seed: seed ^ endNanos)
        let duration = UInt64(1_000_000 + random.next(below: 40_000_000))
        return emit(root, engine: engine, context: .topLevel, start: endNanos - duration, end: endNanos, random: &random, depth: 0)
    }

    static func emit(
        _ step: Step, engine: DiagnosticsEngine, context: InstrumentationContext, start: UInt64, end: UInt64, random: inout SplitMix64,
        depth: Int
    ) -> Int {
        let span = engine.startSpan(step.name, context: context, kind: step.kind, at: start)
        for (key, value) in step.attributes.sorted(by: { $0.key < $1.key }) { span.attributes[key] = value }
        var count = 1
        // Children share the parent's time one after another, each inside it.
        let total = end - start
        var cursor = start + total / 20
        let share = step.children.isEmpty ? 0 : (total * 8 / 10) / UInt64(step.children.count)
        for child in step.children {
            let childEnd = cursor + max(1, share * UInt64(50 + random.next(below: 50)) / 100)
            count += emit(child, engine: engine, context: span.context, start: cursor, end: min(childEnd, end), random: &random, depth: depth + 1)
            cursor = childEnd
        }
        if let error = step.error {
            span.setStatus(Tracing.SpanStatus(code: .error, message: error))
        }
        span.end(at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: end))
        log(step, engine: engine, span: span.context.recordedSpanContext, root: depth == 0, nanos: end - start)
        return count
    }

    /// Logs a step as Teleport's components log such work: the request at INFO, its legs at
    /// DEBUG, every span at TRACE, failures at WARN (backend timeouts at ERROR), each line
    /// carrying the span's trace_id and span_id.
    static func log(_ step: Step, engine: DiagnosticsEngine, span: RecordedSpanContext?, root: Bool, nanos: UInt64) {
        var metadata: Logger.Metadata = ["component": "\(step.attributes["teleport.component"] ?? "proxy")"]
        if let span {
            metadata["trace_id"] = "\(span.traceID)"
            metadata["span_id"] = "\(span.spanID)"
        }
        for key in ["teleport.user", "target.host", "backend.key", "rpc.method", "kube.cluster", "db.system"] {
            if let value = step.attributes[key] { metadata[key.split(separator: ".").last.map(String.init) ?? key] = "\(value)" }
        }
        metadata["duration"] = "\(Double(nanos) / 1e6)ms"
        if let error = step.error {
            metadata["error"] = "\(error)"
            engine.logger.log(level: error.contains("timeout") ? .error : .warning, "\(step.name) failed", metadata: metadata)
        } else if root {
            engine.logger.info("\(step.name) handled", metadata: metadata)
        } else if step.name.hasPrefix("backend/") || step.name.hasPrefix("proto.") {
            engine.logger.debug("\(step.name)", metadata: metadata)
        } else {
            engine.logger.trace("span \(step.name) ended", metadata: metadata)
        }
    }

    static let users = ["alice", "bob", "carol", "dave"]
    static let nodes = ["node-1.example.com", "node-2.example.com", "db-1.example.com"]

    /// A random request of one of the simulated kinds.
    static func request(_ random: inout SplitMix64) -> Step {
        let user = users[random.next(below: users.count)]
        let node = nodes[random.next(below: nodes.count)]
        let fail = random.unit()
        func backend(_ op: String, _ key: String, error: String? = nil) -> Step {
            Step(name: "backend/\(op)", kind: .internal, attributes: ["teleport.component": "backend", "backend.key": key], error: error, children: [])
        }
        func auth(_ method: String, _ children: [Step], error: String? = nil) -> Step {
            Step(
                name: "auth/\(method)", kind: .client, attributes: ["teleport.component": "proxy", "rpc.method": method], error: error,
                children: [
                    Step(
                        name: "proto.AuthService/\(method)", kind: .server, attributes: ["teleport.component": "auth", "rpc.system": "grpc"],
                        error: error, children: children)
                ])
        }
        switch random.next(below: 5) {
        case 0:
            // An SSH session: certificates from auth, then the node.
            return Step(
                name: "proxy/ssh.dial", kind: .server, attributes: ["teleport.component": "proxy", "teleport.user": user, "target.host": node],
                error: nil,
                children: [
                    auth("GenerateUserCerts", [backend("Get", "/users/\(user)/params"), backend("Get", "/authorities/user/example.com")]),
                    Step(
                        name: "node/ssh.session.start", kind: .server, attributes: ["teleport.component": "node", "target.host": node], error: nil, children: []
                    ),
                ])
        case 1:
            // A web login, failing now and then.
            let denied = fail < 0.2 ? "access denied: invalid credentials" : nil
            return Step(
                name: "proxy/web.login", kind: .server, attributes: ["teleport.component": "proxy", "teleport.user": user], error: denied,
                children: [
                    auth("AuthenticateWebUser", [backend("Get", "/web/users/\(user)/pwd"), backend("Put", "/web/sessions/\(user)")], error: denied)
                ])
        case 2:
            // A client span forwarded by tsh --trace.
            let forwarded = fail < 0.5 ? user : "ci-bot:Bot"
            return Step(
                name: "tsh/ssh", kind: .client, attributes: ["teleport.forwarded.for": forwarded, "service.client": "tsh"], error: nil,
                children: [
                    Step(
                        name: "proxy/ssh.dial", kind: .server, attributes: ["teleport.component": "proxy", "target.host": node], error: nil,
                        children: [
                            auth("GetClusterCACert", [backend("Get", "/authorities/host/example.com")])
                        ])
                ])
        case 3:
            // Kubernetes exec; the backend times out now and then.
            let timeout = fail < 0.15 ? "backend timeout: context deadline exceeded" : nil
            return Step(
                name: "proxy/kube.forward", kind: .server, attributes: ["teleport.component": "proxy", "kube.cluster": "minikube"], error: timeout,
                children: [
                    auth("GetKubernetesServers", [backend("GetRange", "/kubeServers/", error: timeout)], error: timeout),
                    Step(name: "kube/exec", kind: .server, attributes: ["teleport.component": "kube", "kube.pod": "web-0"], error: nil, children: []),
                ])
        default:
            // A database query.
            return Step(
                name: "proxy/db.connect", kind: .server, attributes: ["teleport.component": "proxy", "db.system": "postgresql"], error: nil,
                children: [
                    auth("GetDatabaseServers", [backend("GetRange", "/databaseServers/")]),
                    Step(name: "db/postgres.query", kind: .client, attributes: ["teleport.component": "db", "db.user": user], error: nil, children: []),
                ])
        }
    }
}
