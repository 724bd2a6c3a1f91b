import ArgumentParser
import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopRuntime

/// `check` of a fleet: every instance polled directly for the duration and checked, then
/// the fleet's version skew and outliers; a fleet read from Prometheus gives its rows only
/// (the fleet checks).
enum CheckFleet {
    static func run(
        target: TargetOptions, fleet: FleetOptions, interval: Duration, duration: Duration, windows: FindingsWindows, history: Duration
    ) async throws -> CheckResult {
        let setup: FleetLaunch
        do {
            setup = try await FleetLaunch.start(target: target, fleet: fleet, interval: interval, history: history, headless: true)
        } catch let error as ValidationError { throw CheckCommand.unknown(message: error.message) }
        defer { Task { [setup] in await setup.embedded?.stop() } }
        var rows: [FleetRow] = []
        var reports: [FindingsReport] = []
        if let prometheus = setup.source as? PrometheusFleet {
            let refresh = await prometheus.refresh()
            rows = refresh.rows
            if rows.isEmpty {
                await setup.source.shutdown()
                await setup.embedded?.stop()
                throw CheckCommand.unknown(message: refresh.failure ?? "the Prometheus server named no instance")
            }
        } else if let direct = setup.source as? DirectFleet {
            for member in direct.members { await member.store.retain(nil) }
            let engine = FindingsEngine(options: .init(windows: windows))
            let answered = await withTaskGroup(of: Bool.self) { group in
                for member in direct.members {
                    group.addTask { await CheckTarget.watch(client: member.client, store: member.store, interval: interval, duration: duration) }
                }
                return await group.reduce(false) { $0 || $1 }
            }
            guard answered else {
                await setup.source.shutdown()
                await setup.embedded?.stop()
                throw CheckCommand.unknown(message: "no instance answered in \(duration.seconds) s")
            }
            for member in direct.members {
                reports.append(await engine.evaluate(member.store, id: member.id, instance: member.name))
            }
            rows = await direct.rows()
        }
        await setup.source.shutdown()
        await setup.embedded?.stop()
        return CheckResult(source: setup.label, reports: reports, extra: FleetSignatures.versionSkew(rows) + FleetSignatures.outliers(rows), windows: windows)
    }
}
