import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TeleportCore
import TeleportDiagnostics
import TeleportOTLP
import TeleportTopData
import TeleportTopTestSupport

/// A DiagServer run in-process for a test, on 127.0.0.1:0 or a unix socket.
package struct RunningServer {
    package let address: ListenAddress
    package let group: ServiceGroup
    package let task: Task<Void, any Error>

    package static func start(engine: DiagnosticsEngine, address: ListenAddress, exposure: DiagExposure) async throws -> RunningServer {
        let (stream, continuation) = AsyncStream<ListenAddress>.makeStream()
        let logger = Logger.diagnostics("test-http", control: LogLevelControl(.error), sink: quietSink)
        let server = DiagServer(engine: engine, address: address, exposure: exposure, logger: logger) { bound in
            continuation.yield(bound)
        }
        // Stopped by a graceful shutdown, as serve stops on SIGTERM: cancelling the server
        // task instead can drop a connection NIO is still setting up.
        let group = ServiceGroup(services: [server], logger: logger)
        let task = Task { try await group.run() }
        guard let bound = await stream.first(where: { _ in true }) else { throw FixtureError("server did not start") }
        return RunningServer(address: bound, group: group, task: task)
    }

    package var baseURL: String {
        switch address {
        case .tcp(let host, let port): return "http://\(host):\(port)"
        case .unix(let path): return "unix:\(path)"
        }
    }

    package func url(_ path: String) -> String {
        switch address {
        case .tcp: return baseURL + path
        case .unix(let socket): return HTTP.unixURL(socket, path)
        }
    }

    package func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

package let quietSink = LogSink(handle: FileHandle(forWritingAtPath: "/dev/null") ?? .standardError)

/// An engine with one component, a manual clock and quiet logs.
package func makeEngine(debug: Bool = false, clock: TestClock = TestClock(Date(timeIntervalSince1970: 1_700_000_000))) -> (DiagnosticsEngine, TestClock) {
    let engine = DiagnosticsEngine(
        configuration: EngineConfiguration(components: ["auth"], debug: debug),
        logSink: quietSink, now: { clock.now })
    return (engine, clock)
}

/// Drives the engine into a state with real heartbeats.
package func drive(_ engine: DiagnosticsEngine, _ clock: TestClock, to state: ProcessState) throws {
    switch state {
    case .starting: return
    case .ok: engine.heartbeat(.ok, component: "auth")
    case .degraded: engine.heartbeat(.failed, component: "auth")
    case .recovering:
        engine.heartbeat(.failed, component: "auth")
        engine.heartbeat(.ok, component: "auth")
    }
    guard engine.state == state else { throw FixtureError("the engine is \(engine.state), not \(state)") }
}
