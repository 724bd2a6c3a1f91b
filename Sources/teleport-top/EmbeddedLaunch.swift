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
}
