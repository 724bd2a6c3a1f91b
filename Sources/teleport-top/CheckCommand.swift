import ArgumentParser
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime

/// `teleport-top check`: watch a target, a fleet or a recording, then print the findings
/// ranked worst first; exit as monitoring plugins do (0 ok, 1 warning, 2 critical, 3 unknown).
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Watch a target for a while, then print what is wrong and what changed, worst first (exit 0/1/2/3).",
        discussion: """
            Scrapes every --interval for --for (default: the baseline and recent windows, 5m), or \
            reads a recording up to --at, then ranks every series' recent window against the \
            baseline before it and runs Teleport's known signatures (docs/findings.md). Exit codes, \
            as Nagios, Icinga and Sensu plugins: 0 no warning, 1 warning, 2 critical, 3 could not \
            tell (target unreachable, bad options). With a fleet each instance is checked, then the \
            fleet's version skew and outliers.
            """
    )

    @OptionGroup var target: TargetOptions
    @OptionGroup(title: "Fleet") var fleet: FleetOptions

    @Flag(help: "Print JSON instead of the text report (docs/findings.md).")
    var json = false

    @Option(name: .customLong("for"), help: "How long to watch, e.g. 5m (default: --baseline plus --recent).", transform: TargetOptions.duration)
    var watch: Duration?

    @Option(help: "Time between scrapes (at least 250ms).", transform: TargetOptions.duration)
    var interval: Duration = .seconds(2)

    @Option(help: "The recent window compared with the baseline, e.g. 1m.", transform: TargetOptions.duration)
    var recent: Duration = .seconds(60)

    @Option(help: "The baseline before the recent window, e.g. 4m (several times the recent window).", transform: TargetOptions.duration)
    var baseline: Duration = .seconds(240)

    @Option(help: "Read a recording (`record`, `--record`) instead of a target.")
    var from: String?

    @Option(help: "A target or a fleet polled directly: record the scrapes checked into this directory (`check --from` reads them back).")
    var record: String?

    @OptionGroup(title: "Recording") var recording: RecordingLimitOptions

    @Option(help: .hidden)
    var scores: Int?

    @Flag(help: "With --from: evaluate as the dashboard does, every few scrapes through the recording, one JSON line per evaluation (its warnings).")
    var sweep = false

    @Option(help: "With --from: the time (05:32 = UTC on the recording's last day, --at=-5m from its end, or ISO 8601); default its end.")
    var at: String?

    /// Exit code 3: could not tell.
    static let unknown = ExitCode(3)

    var windows: FindingsWindows {
        FindingsWindows(recent: recent.seconds, baseline: baseline.seconds, slot: min(10, recent.seconds / 3))
    }

    /// The history a store keeps: what the slow checks read (twice the windows), at least 10 min.
    var history: Duration { .seconds(max(600, 2 * windows.total)) }

    func run() async throws {
        guard interval >= .milliseconds(250) else { throw Self.unknown(message: "--interval must be at least 250ms") }
        guard baseline >= recent else { throw Self.unknown(message: "--baseline must be at least --recent") }
        if sweep {
            guard let from else { throw Self.unknown(message: "--sweep goes with --from RECORDING") }
            let lines = try await CheckRecording.sweep(path: from, windows: windows)
            let encoder = SnapshotDocument.encoder(pretty: false)
            for line in lines { FileHandleOutput.standardOutput(String(decoding: try encoder.encode(line), as: UTF8.self) + "\n") }
            let worst = lines.compactMap(\.worst).max()
            throw worst == .critical ? ExitCode(2) : worst == .warning ? ExitCode(1) : .success
        }
        let result: CheckResult
        if let from {
            result = try await CheckRecording.run(path: from, at: at, windows: windows)
        } else {
            guard at == nil else { throw Self.unknown(message: "--at goes with --from RECORDING") }
            let duration = watch ?? .seconds(windows.total)
            if fleet.isFleet(target) {
                result = try await CheckFleet.run(
                    target: target, fleet: fleet, interval: interval, duration: duration, windows: windows, history: history,
                    record: record.map { (path: $0, options: recording) })
            } else {
                result = try await CheckTarget.run(
                    target: target, interval: interval, duration: duration, windows: windows, history: history,
                    record: record.map { (path: $0, options: recording) })
            }
        }
        try result.print(json: json)
        if let scores, let store = result.store {
            let (history, _) = await store.findingsSource()
            for (series, magnitude, z) in FindingsEvaluator.scores(history: history, windows: windows).prefix(scores) {
                FileHandleOutput.standardError(String(format: "score %.3f z %.1f ", magnitude, z) + Sanitized.quote(series) + "\n")
            }
        }
        throw result.exitCode
    }

    /// Prints `teleport-top: message` on stderr; exit code 3.
    static func unknown(message: String) -> ExitCode {
        FileHandleOutput.standardError("teleport-top: \(Sanitized.quote(message))\n")
        return unknown
    }
}

/// What a check found, ready to print.
struct CheckResult {
    var source: String
    var reports: [FindingsReport]
    var extra: [Finding] = []
    var windows: FindingsWindows
    /// One target's store (the hidden --scores reads it).
    var store: MetricStore? = nil

    var findings: [Finding] { reports.flatMap(\.findings) + extra }

    var document: FindingsDocument {
        FindingsDocument(source: source, reports: reports, extra: extra, neededSeconds: windows.total)
    }

    var exitCode: ExitCode {
        switch findings.map(\.severity).max() {
        case .critical: ExitCode(2)
        case .warning: ExitCode(1)
        default: .success
        }
    }

    func print(json: Bool) throws {
        let document = self.document
        if json {
            let data = try SnapshotDocument.encoder().encode(document)
            FileHandleOutput.standardOutput(String(decoding: data, as: UTF8.self) + "\n")
        } else {
            FileHandleOutput.standardOutput(FindingsText.render(document, reports: reports))
        }
    }
}
