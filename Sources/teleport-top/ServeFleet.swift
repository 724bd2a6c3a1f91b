import ArgumentParser
import Foundation
import Logging
import TeleportCore
import TeleportDiagnostics

/// `serve --instances N`: a simulated fleet in one process, each instance on its own free
/// port, until SIGINT or SIGTERM; `--targets-out FILE` writes them as a `--targets` file.
enum ServeFleet {
    static func run(count: Int, seed: UInt64, host diagAddr: String?, targetsOut: String?) async throws {
        guard (1...2000).contains(count) else { throw ValidationError("--instances must be from 1 to 2000") }
        var host = "127.0.0.1"
        if let diagAddr {
            guard let address = try? ListenAddress(parsing: diagAddr), case .tcp(let named, _) = address else {
                throw ValidationError("--diag-addr must be host:port (with --instances only its host is used)")
            }
            host = named
        }
        let logger = Logger.diagnostics("serve", control: LogLevelControl(.info))
        let fleet: EmbeddedFleet
        do { fleet = try await EmbeddedFleet.start(count: count, seed: seed, host: host, logSink: LogSink(handle: .nullDevice)) } catch {
            throw ValidationError("cannot start \(count) instances: \(error)")
        }
        let text = TargetsFile.render(fleet.entries)
        if let targetsOut {
            let temporary = targetsOut + ".tmp-\(getpid())"
            guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)), rename(temporary, targetsOut) == 0 else {
                unlink(temporary)
                await fleet.stop()
                throw ValidationError("cannot write \(targetsOut)")
            }
        }
        for entry in fleet.entries { logger.info("instance started", metadata: ["name": "\(entry.name)", "addr": "\(entry.diagAddr ?? "")"]) }
        logger.info("simulated fleet running", metadata: ["instances": "\(count)", "targets": "\(targetsOut ?? "-")", "pid": "\(getpid())"])
        // Until SIGINT or SIGTERM.
        let (signals, continuation) = AsyncStream<Int32>.makeStream()
        var sources: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            sources.append(source)
        }
        _ = await signals.first { _ in true }
        for source in sources { source.cancel() }
        await fleet.stop()
        logger.info("stopped")
    }
}
