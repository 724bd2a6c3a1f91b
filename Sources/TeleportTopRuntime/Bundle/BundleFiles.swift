import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopUI

/// The files of a diagnostics bundle, each made by the code that prints it elsewhere:
/// `snapshot` (text and JSON), `check` (findings text and JSON), the recording format,
/// the log stream's NDJSON, OTLP JSON for spans, the redacted teleport.yaml and versions.txt.
/// The headless `bundle` command and the dashboard's `B` both add their parts with these.
public enum BundleFiles {
    /// The snapshot as `snapshot` and `snapshot --json` print it, and the findings as
    /// `check` and `check --json` print them; `prefix` puts them in an instance's folder.
    /// Returns the snapshot (its build names the target's version).
    @discardableResult
    public static func addSnapshotAndFindings(
        _ manifest: inout BundleManifest, store: MetricStore, sourceName: String, label: String, now: Date, recorded: Bool = false,
        windows: FindingsWindows = FindingsWindows()
    ) async -> MetricsSnapshot {
        let snapshot = await store.snapshot()
        manifest.add(
            "snapshot.txt", text: SnapshotText.render(snapshot, now: now, recorded: recorded),
            about: "the target's state and every metric, as `teleport-top snapshot` prints it")
        if let json = try? SnapshotDocument.encoder().encode(SnapshotDocument(snapshot, source: sourceName, now: now)) {
            manifest.add(
                "snapshot.json", Array(json) + [0x0A],
                about: "the same as `teleport-top snapshot --json` (docs/snapshot-json.md); `python3 -m json.tool snapshot.json`")
        }
        let report = await FindingsEngine(options: .init(windows: windows)).evaluate(store, id: 0, instance: nil)
        let scrapes = await store.scrapeCount
        let document = FindingsDocument(source: "\(label) (\(scrapes) scrapes)", reports: [report], neededSeconds: windows.total)
        manifest.add(
            "findings.txt", text: FindingsText.render(document, reports: [report]), about: "what is wrong and what changed, as `teleport-top check` prints it")
        if let json = try? SnapshotDocument.encoder().encode(document) {
            manifest.add("findings.json", Array(json) + [0x0A], about: "the same as `teleport-top check --json` (docs/findings.md)")
        }
        return snapshot
    }

    /// The log lines held, as NDJSON (`/log-stream`'s form); `why` says why there are none.
    public static func addLogs(_ manifest: inout BundleManifest, lines: [LogLine]?, why: String) {
        guard let lines, !lines.isEmpty else {
            manifest.leaveOut("logs.ndjson", lines == nil ? why : "no log line arrived while collecting")
            return
        }
        let text = lines.map { $0.ndjson() }.joined(separator: "\n") + "\n"
        manifest.add(
            "logs.ndjson", text: text,
            about: "\(lines.count) log lines held, one JSON object a line as the debug socket's /log-stream sends them; `jq . logs.ndjson`")
    }

    /// The spans held as one OTLP/HTTP JSON request (hex IDs, enum numbers).
    public static func addSpans(_ manifest: inout BundleManifest, spans: [SpanRecord]?, why: String) {
        manifest.addSpans(spans, why: why)
    }

    /// The recording from `start` on, as a recording directory of one segment.
    public static func addRecording(_ manifest: inout BundleManifest, reader: RecordingReader, from start: Date, window: Duration) {
        do {
            let cut = try RecordingCut.segment(reader, from: start)
            guard cut.frames > 0 else {
                manifest.leaveOut("recording/", "nothing was recorded in the last \(DurationText.format(window))")
                return
            }
            manifest.add(
                "recording/000001.ttrec", cut.bytes,
                about: "the history (\(cut.scrapes) scrapes, \(DurationText.format(window)) at most) as a recording: "
                    + "`teleport-top replay recording`, `teleport-top snapshot --from recording`")
        } catch {
            manifest.fail("recording/", "cannot be cut: \(error)")
        }
    }

    /// teleport.yaml, redacted by the allowlist; the gap says why not when it is not there.
    public static func addConfig(_ manifest: inout BundleManifest, path: String?) {
        guard let path else {
            manifest.leaveOut("teleport.yaml", "not known: name it with -c FILE")
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            manifest.fail("teleport.yaml", "\(path) cannot be read")
            return
        }
        do {
            let redacted = try ConfigRedaction.redact(String(decoding: data, as: UTF8.self))
            manifest.add(
                "teleport.yaml",
                text: "# \(path), redacted by teleport-top: values outside its allowlist are \(ConfigRedaction.placeholder); comments dropped\n" + redacted,
                about: "the config file, redacted: addresses, switches and file paths kept, every other value <redacted>")
        } catch {
            manifest.leaveOut("teleport.yaml", "\(path) is \(error) (left out rather than risk a secret)")
        }
    }

    /// versions.txt: teleport-top's version, the target's (from teleport_build_info), the OS
    /// and the Swift runtime.
    public static func addVersions(_ manifest: inout BundleManifest, builds: [(String, BuildInfo?)]) {
        var text = "teleport-top   \(TeleportTopVersion.current)\n"
        for (name, build) in builds {
            let version = build.map { "\($0.version) (gitref \($0.gitref), \($0.goversion))" }
            let title = Sanitized.quote(name.isEmpty ? "target" : name)
            text += title.padding(toLength: max(15, title.count + 1), withPad: " ", startingAt: 0)
            text += Sanitized.quote(version ?? "unknown (no teleport_build_info)") + "\n"
        }
        text += "os             \(osText())\n"
        text += "swift          \(TeleportTopVersion.swift)\n"
        manifest.add("versions.txt", text: text, about: "teleport-top's version, the target's, the OS and the Swift runtime")
    }

    /// `Linux 6.8.0 #1 SMP ... x86_64`.
    static func osText() -> String {
        var name = utsname()
        guard uname(&name) == 0 else { return ProcessInfo.processInfo.operatingSystemVersionString }
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return [field(name.sysname), field(name.release), field(name.version), field(name.machine)].joined(separator: " ")
    }
}
