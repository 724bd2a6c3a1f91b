import ArgumentParser
import Foundation
import Logging
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime
import TeleportTopUI

/// Runs the dashboard over a fleet: the fleet table first, Enter into an instance's full
/// dashboard. The fleet's source goes to a `DashboardSession` like any other.
enum FleetDashboardCommand {
    static func run(target: TargetOptions, fleet: FleetOptions, options: DashboardOptions, profiling: ProfileOptions) async throws {
        let intakeOptions: SpanIntake.Options
        do { intakeOptions = try options.intake() } catch { throw fail(String(describing: error)) }
        let spanStore = SpanStore(capacity: options.spanCapacity)
        let teardown = Teardown()
        let setup: FleetLaunch
        do {
            setup = try await FleetLaunch.start(
                target: target, fleet: fleet, interval: options.interval, history: options.history, headless: false,
                spans: spanStore)
        } catch let error as ValidationError { throw fail(error.message) }
        if let embedded = setup.embedded { teardown.add { await embedded.stop() } }
        let session = DashboardSession(
            options: options.session(
                label: setup.label, isEmbedded: setup.embedded != nil, profiling: profiling, intake: intakeOptions,
                spanSource: setup.embedded.map { _ in "simulated fleet" }),
            spans: spanStore, teardown: teardown)
        let instances = setup.embedded?.instances
        let fleetLogs = FleetLogs(queue: session.queue)
        let feed = DashboardSession.Feed(
            source: setup.source, showsFleet: true, recorded: RecordedSources(fleet: setup.label),
            parts: { parts, queue, teardown in
                parts.profiles = ProfileRunner(client: nil, directory: profiling.directory, queue: queue)
                parts.fleetLogs = fleetLogs
                teardown.add { fleetLogs.current?.stop() }
                if let instances {
                    parts.injectFailureInstance = { id in
                        guard instances.indices.contains(id) else { return }
                        let engine = instances[id].engine
                        engine.injectFailure(component: engine.configuration.components[0])
                    }
                }
            },
            farewell: { fleetLogs.current?.restoreCommand })
        let ending: DashboardSession.Ending
        do {
            ending = try await session.run(feed) { Terminal(theme: $0, logPath: options.display.logFile) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(String(describing: error))
        }
        if let command = ending.farewell {
            FileHandleOutput.standardError("teleport-top: the log level teleport-top changed is still in force; restore it with: \(command)\n")
        }
        if let failure = ending.failure { throw fail(String(describing: failure)) }
    }
}
