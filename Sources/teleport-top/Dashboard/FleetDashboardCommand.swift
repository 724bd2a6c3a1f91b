import ArgumentParser
import Foundation
import Logging
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime
import TeleportTopUI

/// Runs the dashboard over a fleet: the fleet table first, Enter into an instance's full
/// dashboard. The fleet source posts rows (and the open instance's snapshots) into the
/// same event stream as everything else.
enum FleetDashboardCommand {
    static func run(target: TargetOptions, fleet: FleetOptions, options: DashboardOptions, profiling: ProfileOptions) async throws {
        let spanStore = SpanStore(capacity: options.spanCapacity)
        let setup: FleetSetup
        do {
            setup = try await FleetSetup.make(
                target: target, fleet: fleet, interval: options.interval, history: options.history, headless: false,
                spans: spanStore)
        } catch let error as ValidationError { throw fail(error.message) }
        let source = setup.source
        let tap = RecordingTap()
        let queue = EventQueue(tap: { tap.see($0) })
        await spanStore.setOnChange { count in queue.post(.spansArrived(count)) }
        if let path = options.record {
            // The fleet's scrapes or Prometheus answers; the open instance's logs and the spans through the taps.
            let recorder = try options.recording.fleetRecorder(
                path: path, source: source, label: setup.label, interval: options.interval,
                history: options.history
            ) { notice in queue.post(.notice(notice)) }
            tap.attach(recorder)
            await spanStore.setOnAdd { recorder.spans($0) }
        }
        let intakeOptions: SpanIntake.Options
        do { intakeOptions = try options.intake() } catch {
            await setup.embedded?.stop()
            throw fail(String(describing: error))
        }
        var logger = Logger(label: "teleport-top")
        // The receivers report failures to the span store (a header warning); their own shutdown
        // chatter (a cancelled child channel) must not print over the restored terminal.
        logger.logLevel = .critical
        let intake = SpanIntake(options: intakeOptions, store: spanStore, logger: logger)
        if setup.embedded != nil { await spanStore.addSource("simulated fleet") }
        queue.post(.spansArrived(0))
        let profiler = ProfileRunner(client: nil, directory: profiling.directory, queue: queue)
        (source as? PrometheusFleet)?.setEngineSink { queue.post(.fleetEngine($0)) }
        let task = Task {
            await source.run(
                onRow: { queue.post(.fleetRow($0)) },
                onFocused: { update in queue.post(.scrape(ScrapeEvent(outcome: update.outcome, snapshot: update.snapshot, instance: update.id))) },
                onStatus: { queue.post(.fleetStatus($0)) })
        }
        var inject: (@Sendable (Int) -> Void)?
        if let list = setup.embedded?.instances {
            inject = { id in
                guard list.indices.contains(id) else { return }
                let engine = list[id].engine
                engine.injectFailure(component: engine.configuration.components[0])
            }
        }
        let fleetLogs = FleetLogs(queue: queue)
        let runner = EffectRunner(
            queue: queue,
            parts: .init(
                spans: spanStore, profiles: profiler, fleet: source, injectFailureInstance: inject,
                logDirectory: profiling.profileDir, fleetLogs: fleetLogs, recorder: tap.current))
        let schedule = PollSchedule(interval: options.interval)
        var initial = DashboardState(snapshot: .empty(target: setup.label, interval: schedule.interval), isEmbedded: setup.embedded != nil, now: Date())
        initial.fleet = FleetState(source: setup.label, rows: source.initialRows)
        initial.profiles = ProfilesTabState(seconds: profiling.profileSeconds, directory: profiling.profileDir)
        initial.logs = LogsState(maxLines: options.logLines, hasSocket: false)
        initial.logs.restorePolicy = options.restoreLogLevel
        let loop = DashboardLoop(
            initial: initial, queue: queue,
            settings: options.display.settings(bell: options.bell),
            effects: { runner.run($0) },
            makeTerminal: { Terminal(theme: $0, logPath: options.display.logFile) })
        let outcome = await loop.runOnOwnThread()
        task.cancel()
        await runner.finish()
        fleetLogs.current?.stop()
        if let command = fleetLogs.current?.restoreCommand {
            FileHandleOutput.standardError("teleport-top: the log level teleport-top changed is still in force; restore it with: \(command)\n")
        }
        await intake.stop()
        await source.shutdown()
        await setup.embedded?.stop()
        tap.current?.close()
        if case .failure(let error) = outcome { throw fail(String(describing: error)) }
    }
}
