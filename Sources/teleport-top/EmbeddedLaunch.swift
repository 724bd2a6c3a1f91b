import ArgumentParser
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime

/// Starts the embedded engine for a command, its stop added to the command's teardown at
/// once (so an error after the start still stops it and removes its socket file).
enum EmbeddedLaunch {
    /// The simulated Teleport, with its debug socket (`<data dir>/<socketName>-<pid>.sock`)
    /// unless `socketName` is nil; its spans into `spans`.
    static func engine(target: TargetOptions, spans: SpanStore?, socketName: String?, teardown: Teardown) async throws -> EmbeddedTeleport {
        let socket = socketName.map { DebugSocketPath.defaultDataDir() + "/\($0)-\(getpid()).sock" }
        let started: EmbeddedTeleport
        do {
            started = try await EmbeddedTeleport.start(
                address: try target.embeddedAddress(), logLevel: LogLevelControl(.info), logSink: LogSink(handle: .nullDevice), spans: spans,
                socketPath: socket)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw fail("cannot start the embedded engine: \(error)")
        }
        teardown.add { await started.stop() }
        return started
    }

    /// The target a resolved source names, starting the embedded engine when it is the
    /// one; the engine when started.
    static func target(
        _ resolved: SourceResolver.Source, options: TargetOptions, spans: SpanStore?, socketName: String, teardown: Teardown
    ) async throws -> (DiagTarget, EmbeddedTeleport?) {
        switch resolved {
        case .target(let target): return (target, nil)
        case .embedded:
            // Its debug service too, so the Logs screen and the log level work on the simulation.
            let started = try await engine(target: options, spans: spans, socketName: socketName, teardown: teardown)
            return (started.target, started)
        }
    }

    /// The debug socket of a target, when known (it serves the log stream and the log
    /// level): the target itself, `--debug-socket`, the embedded engine's, or `-c`'s.
    static func debugSocket(of diagTarget: DiagTarget, options: TargetOptions, embedded: EmbeddedTeleport?) -> String? {
        if case .socket(let path) = diagTarget { return path }
        if let path = options.debugSocket ?? embedded?.socketPath { return path }
        guard let config = options.config, let parsed = try? TeleportConfig(contentsOf: config) else { return nil }
        return parsed.debugSocketPath
    }
}
