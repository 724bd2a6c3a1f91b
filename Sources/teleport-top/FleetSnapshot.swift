import ArgumentParser
import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopRuntime
import TeleportTopUI

/// `snapshot` of a fleet: every target polled twice an interval apart (or one refresh of a
/// Prometheus server), printed as the fleet table or as JSON. Exits 1 when no instance answered.
enum FleetSnapshot {
    static func run(target: TargetOptions, fleet: FleetOptions, interval: Duration, json: Bool) async throws {
        let setup: FleetLaunch
        do {
            setup = try await FleetLaunch.start(target: target, fleet: fleet, interval: interval, history: .seconds(600), headless: true)
        } catch let error as ValidationError { throw fail(error.message) }
        var rows: [FleetRow] = []
        var trouble: String?
        var label = setup.label
        if let prometheus = setup.source as? PrometheusFleet {
            let refresh = await prometheus.refresh()
            rows = refresh.rows
            if let via = refresh.via { label += " \(via)" }
            trouble = refresh.failure
            if !refresh.warnings.isEmpty { FileHandleOutput.standardError("teleport-top: Prometheus warnings: \(refresh.warnings.joined(separator: "; "))\n") }
        } else if let direct = setup.source as? DirectFleet {
            // Two rounds an interval apart: counters get rates, histograms windowed quantiles.
            for round in 0..<2 {
                if round > 0 { try await Task.sleep(for: interval) }
                await withTaskGroup(of: Void.self) { group in
                    for member in direct.members {
                        group.addTask {
                            let (result, readyz) = await member.client.poll()
                            await ScrapeSeam.fold(
                                result.mapError { ScrapeFailure(time: Date(), error: $0, retryAt: nil, readyz: readyz) }, into: member.store)
                        }
                    }
                }
            }
            rows = await direct.rows()
        }
        await setup.source.shutdown()
        await setup.embedded?.stop()
        try print(rows, source: label, at: Date(), json: json)
        if let trouble, rows.isEmpty { throw fail(trouble) }
        if rows.isEmpty || rows.allSatisfy({ $0.state == .unreachable || $0.state == .notMetrics }) { throw ExitCode.failure }
    }

    /// Prints a fleet's rows as the table or as JSON (docs/fleet.md).
    static func print(_ rows: [FleetRow], source: String, at time: Date, json: Bool) throws {
        var state = FleetState(source: source, rows: rows)
        state.sort = .name
        let ordered = FleetRows.visible(state)
        let newest = FleetRows.newestVersion(ordered)
        if json {
            let document = FleetDocument(source: source, time: time, rows: ordered, newestVersion: newest, isOlder: FleetRows.isOlder)
            let data = try SnapshotDocument.encoder().encode(document)
            FileHandleOutput.standardOutput(String(decoding: data, as: UTF8.self) + "\n")
        } else {
            FileHandleOutput.standardOutput(FleetText.render(ordered, source: source, newest: newest, now: time))
        }
    }
}
