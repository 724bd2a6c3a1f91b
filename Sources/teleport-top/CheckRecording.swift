import ArgumentParser
import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopRuntime
import TeleportTopUI

/// `check --from DIR [--at TIME]`: the stores as the live ones stood at that time (the same
/// parser, store and evaluation as live), checked.
enum CheckRecording {
    static func run(path: String, at: String?, windows: FindingsWindows) async throws -> CheckResult {
        let playback: RecordingPlayback
        do { playback = try RecordingPlayback(path: path) } catch { throw CheckCommand.unknown(message: "\(path): \(error)") }
        guard let end = playback.end, let first = playback.start else { throw CheckCommand.unknown(message: "\(path): the recording has no frames") }
        var time = end
        if let at {
            do { time = try ReplayJump.read(at, end: end) } catch { throw CheckCommand.unknown(message: "--at: \(error)") }
        }
        guard time >= first else { throw CheckCommand.unknown(message: "--at: the recording starts at \(FindingFigure.clock(first))") }
        let header = playback.header
        let history = Duration.seconds(header.historySeconds)
        let engine = FindingsEngine(options: .init(windows: windows))
        if let fleetLabel = header.sources.fleetLabel {
            guard header.sources.prometheus == nil else {
                throw CheckCommand.unknown(message: "\(path): a fleet recorded from Prometheus holds rows, not scrapes: nothing to check")
            }
            var reports: [FindingsReport] = []
            var rows: [FleetRow] = []
            for (id, name) in playback.instances.enumerated() {
                let instance = RecordingPlayback(reader: playback.reader, target: name)
                let store: MetricStore
                do { (store, _) = try await instance.store(at: time, target: name, history: history) } catch {
                    throw CheckCommand.unknown(message: "\(path): \(error)")
                }
                guard await store.scrapeCount > 0 else { continue }
                reports.append(await engine.evaluate(store, id: id, instance: name))
                rows.append(FleetRow(id: id, name: name, snapshot: await store.snapshot(only: FleetRow.families), now: time, window: header.historySeconds))
            }
            guard !reports.isEmpty else { throw CheckCommand.unknown(message: "no scrape at or before \(FindingFigure.clock(time))") }
            return CheckResult(
                source: "recording \(path) (\(fleetLabel))", reports: reports,
                extra: FleetSignatures.versionSkew(rows) + FleetSignatures.outliers(rows), windows: windows)
        }
        let store: MetricStore
        do { (store, _) = try await playback.store(at: time, target: ReplayCommand.label(header), history: history) } catch {
            throw CheckCommand.unknown(message: "\(path): \(error)")
        }
        if playback.reader.skipped > 0 {
            FileHandleOutput.standardError("teleport-top: \(path): \(playback.reader.skipped) corrupt frames skipped\n")
        }
        guard await store.scrapeCount > 0 else { throw CheckCommand.unknown(message: "no scrape at or before \(FindingFigure.clock(time))") }
        let report = await engine.evaluate(store, id: 0, instance: nil)
        return CheckResult(source: "recording \(path) (\(await store.scrapeCount) scrapes)", reports: [report], windows: windows, store: store)
    }

    /// One evaluation of a sweep: when, the worst severity, and the warnings and criticals.
    struct SweepLine: Codable {
        var time: Date?
        var worst: FindingSeverity?
        /// Warnings and criticals, sanitized as `--json` prints them.
        var findings: [FindingsDocument.Item]
    }

    /// `check --from DIR --sweep`: the recording folded in scrape by scrape and evaluated as
    /// the dashboard's engine does (`FindingsCadence`: every 3 scrapes and at most once per
    /// 5 s of polling, at once when the target starts or stops answering; through its
    /// tracker, so hysteresis holds); one line per evaluation with what warned.
    /// One target's recording only.
    static func sweep(path: String, windows: FindingsWindows) async throws -> [SweepLine] {
        let playback: RecordingPlayback
        do { playback = try RecordingPlayback(path: path) } catch { throw CheckCommand.unknown(message: "\(path): \(error)") }
        guard playback.header.sources.fleetLabel == nil else { throw CheckCommand.unknown(message: "--sweep reads a one-target recording") }
        let header = playback.header
        let store = MetricStore(target: ReplayCommand.label(header), interval: .seconds(header.intervalSeconds), history: .seconds(header.historySeconds))
        let engine = FindingsEngine(options: .init(windows: windows))
        var lines: [SweepLine] = []
        var cadence = FindingsCadence(options: engine.options)
        for position in playback.scrapes.indices {
            let outcome: Result<ScrapeResult, ScrapeFailure>?
            do { outcome = try await playback.fold(position..<position + 1, into: store) } catch {
                throw CheckCommand.unknown(message: "\(path): \(error)")
            }
            guard let outcome else { continue }
            let answered = if case .success = outcome { true } else { false }
            guard cadence.observe(answered: answered, interval: await store.interval) else { continue }
            let report = await engine.evaluate(store, id: 0, instance: nil)
            lines.append(
                SweepLine(time: report.time, worst: report.worst, findings: report.findings.filter { $0.severity >= .warning }.map(FindingsDocument.Item.init)))
        }
        return lines
    }
}
