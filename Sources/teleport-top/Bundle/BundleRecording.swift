import ArgumentParser
import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopRuntime
import TeleportTopUI

/// `bundle --from DIR [--window W]`: the recording's last `W` as the bundle's recording, and
/// the snapshot, findings, log lines, spans and profiles read from that cut at its end (so
/// `snapshot --from` the bundled recording prints the bundled snapshot).
enum BundleRecording {
    static func collect(path: String, window: Duration, created: Date) async throws -> BundleManifest {
        let reader: RecordingReader
        do { reader = try RecordingReader(path: path) } catch { throw fail("\(path): \(error)") }
        guard let end = reader.frames.last?.time else { throw fail("\(path): the recording has no frames") }
        let start = end.addingTimeInterval(-window.seconds)
        let cut: RecordingCut.Cut
        do { cut = try RecordingCut.segment(reader, from: start) } catch { throw fail("\(path): \(error)") }
        var manifest = BundleManifest(created: created, command: BundleCommand.commandLine, source: "recording \(path)")
        manifest.add(
            "recording/000001.ttrec", cut.bytes,
            about: "the recording's last \(DurationText.format(window)) (\(cut.scrapes) scrapes): "
                + "`teleport-top replay recording`, `teleport-top snapshot --from recording`")
        // Everything else is read from the cut itself, as `snapshot --from` will read it.
        let scratch = try BundleTarget.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let segment = scratch + "/000001.ttrec"
        guard FileManager.default.createFile(atPath: segment, contents: Data(cut.bytes), attributes: [.posixPermissions: 0o600]) else {
            throw fail("cannot write a temporary file in \(scratch)")
        }
        let playback: RecordingPlayback
        do { playback = try RecordingPlayback(path: segment) } catch { throw fail("\(path): the cut cannot be read back: \(error)") }
        let header = playback.header
        let history = Duration.seconds(header.historySeconds)
        var builds: [(String, BuildInfo?)] = []
        if let fleetLabel = header.sources.fleet {
            guard header.sources.prometheus == nil else {
                manifest.leaveOut("snapshot, findings", "a fleet recorded from Prometheus holds the server's answers, not scrapes: `replay recording` shows it")
                return finish(manifest, playback: playback, start: start, end: end, builds: [])
            }
            var rows: [FleetRow] = []
            for (id, name) in playback.instances.enumerated() {
                let instance = RecordingPlayback(reader: playback.reader, target: name)
                let store: MetricStore
                do { (store, _) = try await instance.store(at: end, target: name, history: history) } catch { throw fail("\(path): \(error)") }
                guard await store.scrapeCount > 0 else {
                    manifest.leaveOut("instances/\(BundleFleet.folderName(name))/", "no scrape in the window")
                    continue
                }
                var part = BundleManifest(created: created, command: "", source: name)
                let snapshot = await BundleFiles.addSnapshotAndFindings(
                    &part, store: store, sourceName: "recording", label: "recording \(path) \(name)", now: end, recorded: true)
                manifest.merge(part, under: "instances/\(BundleFleet.folderName(name))")
                rows.append(FleetRow(id: id, name: name, snapshot: await store.snapshot(only: FleetRow.families), now: end, window: header.historySeconds))
                builds.append((name, snapshot.build))
            }
            BundleFleet.addFleetTable(&manifest, rows: rows, source: fleetLabel + " (recorded)", at: end)
        } else {
            let store: MetricStore
            do { (store, _) = try await playback.store(at: end, target: ReplayCommand.label(header), history: history) } catch {
                throw fail("\(path): \(error)")
            }
            let scrapes = await store.scrapeCount
            let failure = await store.snapshot().lastFailure
            guard scrapes > 0 || failure != nil else {
                throw fail("\(path): no scrape in the last \(DurationText.format(window))")
            }
            let snapshot = await BundleFiles.addSnapshotAndFindings(
                &manifest, store: store, sourceName: "recording", label: "recording \(path)", now: end, recorded: true)
            builds.append(("target", snapshot.build))
        }
        return finish(manifest, playback: playback, start: start, end: end, builds: builds)
    }

    /// The cut's log lines, spans and recorded profiles, and versions.
    static func finish(_ manifest: BundleManifest, playback: RecordingPlayback, start: Date, end: Date, builds: [(String, BuildInfo?)])
        -> BundleManifest
    {
        var manifest = manifest
        let range = start...end
        var lines: [LogLine] = []
        for ref in playback.frames(.logs, in: range) { lines += (try? playback.logLines(ref)) ?? [] }
        BundleFiles.addLogs(&manifest, lines: playback.header.sources.logs == nil ? nil : lines, why: "the recording holds no log stream")
        var spans: [SpanRecord] = []
        for ref in playback.frames(.spans, in: range) { spans += (try? playback.spans(ref)) ?? [] }
        BundleFiles.addSpans(&manifest, spans: playback.header.sources.spans.isEmpty ? nil : spans, why: "the recording holds no spans")
        var profiles = 0
        for ref in playback.frames(.profile, in: range) {
            guard let (name, bytes) = try? playback.profile(ref) else { continue }
            manifest.add("profiles/\(name)", bytes, about: "a profile captured while recording; `go tool pprof -top profiles/\(name)`")
            profiles += 1
        }
        if profiles == 0 { manifest.leaveOut("profiles/", "a recording: only the profiles captured while recording are bundled, and this window has none") }
        BundleFiles.addVersions(&manifest, builds: builds)
        return manifest
    }
}
