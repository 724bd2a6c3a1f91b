import ArgumentParser
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime

/// `check` of one target: scrapes every interval for the duration, then one evaluation.
enum CheckTarget {
    static func run(
        target: TargetOptions, interval: Duration, duration: Duration, windows: FindingsWindows, history: Duration,
        record: (path: String, options: RecordingLimitOptions)? = nil
    ) async throws -> CheckResult {
        let source: SourceResolver.Source
        do { source = try target.resolve(headless: true) } catch { throw CheckCommand.unknown(message: error.description) }
        var embedded: EmbeddedTeleport?
        let diagTarget: DiagTarget
        var label: String
        switch source {
        case .target(let t):
            diagTarget = t
            label = (t.description.hasPrefix("/") ? "debug-socket " : "diag-addr ") + t.description
        case .embedded:
            do {
                let started = try await EmbeddedTeleport.start(address: try target.embeddedAddress(), logSink: LogSink(handle: .nullDevice))
                embedded = started
                diagTarget = started.target
            } catch { throw CheckCommand.unknown(message: "cannot start the embedded engine: \(error)") }
            label = "embedded (\(diagTarget))"
        }
        let client: DiagClient
        do { client = try DiagClient(target: diagTarget, options: target.clientOptions) } catch {
            await embedded?.stop()
            throw CheckCommand.unknown(message: error.description)
        }
        let store = MetricStore(target: label, interval: interval, history: history)
        var recorder: Recorder?
        if let record {
            do {
                recorder = try record.options.recorder(path: record.path, sources: RecordedSources(target: label), interval: interval, history: history) {
                    FileHandleOutput.standardError("teleport-top check: \($0)\n")
                }
            } catch {
                await client.shutdown()
                await embedded?.stop()
                throw CheckCommand.unknown
            }
        }
        let answered = await watch(client: client, store: store, interval: interval, duration: duration, recorder: recorder)
        recorder?.close()
        await client.shutdown()
        await embedded?.stop()
        guard answered else { throw CheckCommand.unknown(message: "\(diagTarget): no answer in \(duration.seconds) s") }
        let report = await FindingsEngine(options: .init(windows: windows)).evaluate(store, id: 0, instance: nil)
        label += " (\(await store.scrapeCount) scrapes)"
        return CheckResult(source: label, reports: [report], windows: windows, store: store)
    }

    /// Scrapes every `interval` (on a fixed schedule from the first) until `duration` has
    /// passed, recording each (a fleet's instance as `name`); returns whether any scrape succeeded.
    static func watch(
        client: DiagClient, store: MetricStore, interval: Duration, duration: Duration, recorder: Recorder? = nil, recordAs name: String = ""
    ) async -> Bool {
        let clock = ContinuousClock()
        let start = clock.now
        var answered = false
        var tick = 0
        while true {
            let (result, readyz) = await client.poll()
            if case .success = result { answered = true }
            let outcome = result.mapError { ScrapeFailure(time: Date(), error: $0, retryAt: nil, readyz: readyz) }
            await ScrapeSeam.fold(outcome, into: store)
            recorder?.scrape(outcome, target: name, interval: interval)
            tick += 1
            let next = start + interval * tick
            guard next - start <= duration else { break }
            try? await Task.sleep(until: next, clock: clock)
            if Task.isCancelled { break }
        }
        return answered
    }
}
