import ArgumentParser
import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopRuntime

/// `check` of a fleet: every instance polled directly for the duration and checked, then
/// the fleet's version skew and outliers. A fleet read from Prometheus is checked at once
/// from what the engine holds: its rows for the fleet checks, and each instance (up to
/// `instanceLimit`, failing ones first) from its raw samples over the history.
enum CheckFleet {
    /// Instances of a Prometheus-read fleet checked one by one (two queries each).
    static let instanceLimit = 50

    static func run(
        target: TargetOptions, fleet: FleetOptions, interval: Duration, duration: Duration, windows: FindingsWindows, history: Duration,
        record: (path: String, options: RecordingLimitOptions)? = nil
    ) async throws -> CheckResult {
        let setup: FleetLaunch
        do {
            setup = try await FleetLaunch.start(target: target, fleet: fleet, interval: interval, history: history, headless: true)
        } catch let error as ValidationError { throw CheckCommand.unknown(message: error.message) }
        defer { Task { [setup] in await setup.embedded?.stop() } }
        var rows: [FleetRow] = []
        var reports: [FindingsReport] = []
        if let prometheus = setup.source as? PrometheusFleet {
            guard record == nil else {
                await setup.source.shutdown()
                throw CheckCommand.unknown(message: "--record goes with a target or a fleet polled directly (a Prometheus fleet's scrapes are the engine's)")
            }
            let refresh = await prometheus.refresh()
            rows = refresh.rows
            if rows.isEmpty {
                await setup.source.shutdown()
                await setup.embedded?.stop()
                throw CheckCommand.unknown(message: refresh.failure ?? "the Prometheus server named no instance")
            }
            reports = await instanceReports(prometheus, rows: rows, windows: windows)
        } else if let direct = setup.source as? DirectFleet {
            for member in direct.members { await member.store.retain(nil) }
            let engine = FindingsEngine(options: .init(windows: windows))
            var recorder: Recorder?
            if let record {
                do {
                    recorder = try record.options.recorder(
                        path: record.path, sources: RecordedSources(fleet: setup.label).merging(direct.recordedSources), interval: interval,
                        history: history
                    ) { FileHandleOutput.standardError("teleport-top check: \($0)\n") }
                } catch {
                    await setup.source.shutdown()
                    await setup.embedded?.stop()
                    throw CheckCommand.unknown
                }
            }
            let recording = recorder
            let answered = await withTaskGroup(of: Bool.self) { group in
                for member in direct.members {
                    group.addTask {
                        await CheckTarget.watch(
                            client: member.client, store: member.store, interval: interval, duration: duration, recorder: recording, recordAs: member.name)
                    }
                }
                return await group.reduce(false) { $0 || $1 }
            }
            recorder?.close()
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

    /// Each instance's findings from its raw samples in the engine (the dashboard's open
    /// instance, fed the same way), the rows that failed or went stale first; instances past
    /// `instanceLimit` are named on stderr as not checked one by one.
    static func instanceReports(_ prometheus: PrometheusFleet, rows: [FleetRow], windows: FindingsWindows) async -> [FindingsReport] {
        let engine = FindingsEngine(options: .init(windows: windows))
        let ordered = rows.sorted { a, b in
            let (x, y) = (a.scrapeError != nil || a.gone, b.scrapeError != nil || b.gone)
            return x != y ? x : a.id < b.id
        }
        if ordered.count > instanceLimit {
            FileHandleOutput.standardError(
                "teleport-top check: \(ordered.count) instances: the first \(instanceLimit) (failing ones first) checked one by one, "
                    + "the rest by the fleet checks only\n")
        }
        var reports: [FindingsReport] = []
        for row in ordered.prefix(instanceLimit) {
            await prometheus.focus(row.id)
            await prometheus.refreshFocused()
            guard let store = await prometheus.store(for: row.id), await store.scrapeCount > 0 else { continue }
            reports.append(await engine.evaluate(store, id: row.id, instance: row.name))
        }
        await prometheus.focus(nil)
        return reports
    }
}
