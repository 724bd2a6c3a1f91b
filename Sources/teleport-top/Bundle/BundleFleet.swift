import ArgumentParser
import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopRuntime
import TeleportTopUI

/// `bundle` of a fleet: every instance polled directly for `--for` (recorded as `record`
/// records a fleet), then a folder per instance (its snapshot, findings and, a few instances
/// at a time, its profiles), the fleet table and the fleet's findings. A fleet read from
/// Prometheus gives its table and findings only: its instances are not reached directly.
enum BundleFleet {
    /// Instances profiled at once.
    static let profileConcurrency = 4

    static func collect(command: BundleCommand, created: Date) async throws -> BundleManifest {
        let spans = SpanStore(capacity: 20_000)
        let history = Duration.seconds(max(600, command.window.seconds))
        let setup: FleetLaunch
        do {
            setup = try await FleetLaunch.start(
                target: command.target, fleet: command.fleet, interval: command.interval, history: history, headless: true, spans: spans)
        } catch let error as ValidationError { throw fail(error.message) }
        var manifest = BundleManifest(created: created, command: BundleCommand.commandLine, source: setup.label)
        defer { Task { [setup] in await setup.embedded?.stop() } }
        let windows = FindingsWindows()
        if let prometheus = setup.source as? PrometheusFleet {
            BundleCommand.say("reading the fleet from \(setup.label)…")
            let refresh = await prometheus.refresh()
            await setup.source.shutdown()
            await setup.embedded?.stop()
            guard !refresh.rows.isEmpty else { throw fail(refresh.failure ?? "the Prometheus server named no instance") }
            addFleetTable(&manifest, rows: refresh.rows, source: setup.label + (refresh.via.map { " \($0)" } ?? ""), at: Date())
            let extra = FleetSignatures.versionSkew(refresh.rows) + FleetSignatures.outliers(refresh.rows)
            addFleetFindings(&manifest, source: setup.label, reports: [], extra: extra, windows: windows)
            manifest.leaveOut("instances/", "a fleet read from Prometheus: its instances are not reached directly (bundle one with --diag-addr)")
            manifest.leaveOut("recording/", "a fleet read from Prometheus: `teleport-top record --prometheus URL` records its answers")
            manifest.leaveOut("profiles/", "only instances reached directly are profiled")
            BundleFiles.addLogs(&manifest, lines: nil, why: "a fleet's log streams are not bundled: bundle one instance with -c or --debug-socket")
            BundleFiles.addSpans(&manifest, spans: nil, why: "a headless bundle of a fleet receives no spans")
            BundleFiles.addVersions(&manifest, builds: refresh.rows.map { ($0.name, $0.version.map { BuildInfo(version: $0, gitref: "?", goversion: "?") }) })
            return manifest
        }
        guard let direct = setup.source as? DirectFleet else { throw fail("this fleet cannot be bundled") }
        for member in direct.members { await member.store.retain(nil) }
        let scratch = try BundleTarget.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let recorder: Recorder
        do {
            let sources = RecordedSources(fleet: setup.label).merging(setup.source.recordedSources)
            recorder = try BundleTarget.historyRecorder(scratch: scratch, sources: sources, interval: command.interval, history: history)
        } catch {
            await setup.source.shutdown()
            throw fail("cannot record the history: \(error)")
        }
        await spans.setOnAdd { recorder.spans($0) }
        BundleCommand.say(
            "watching \(direct.members.count) instances of \(setup.label) for \(DurationText.format(command.watch))"
                + (command.noProfiles ? "" : ", profiles \(profileConcurrency) at a time from the last \(command.profileSeconds) s") + "…")
        let profileTask: Task<[Int: [BundleProfiles.Outcome]], Never>? =
            command.noProfiles
            ? nil
            : Task { [members = direct.members, seconds = command.profileSeconds, delay = max(.zero, command.watch - .seconds(command.profileSeconds))] in
                try? await Task.sleep(for: delay)
                return await Self.profiles(members, seconds: seconds)
            }
        let answered = await withTaskGroup(of: Bool.self) { group in
            for member in direct.members {
                group.addTask {
                    await CheckTarget.watch(
                        client: member.client, store: member.store, interval: command.interval, duration: command.watch, recorder: recorder,
                        recordAs: member.name)
                }
            }
            return await group.reduce(false) { $0 || $1 }
        }
        let profiles = await profileTask?.value
        recorder.close()
        let held = setup.embedded != nil ? await spans.held() : nil
        guard answered else {
            await setup.source.shutdown()
            await setup.embedded?.stop()
            throw fail("no instance answered in \(DurationText.format(command.watch))")
        }
        var reports: [FindingsReport] = []
        var builds: [(String, BuildInfo?)] = []
        let engine = FindingsEngine(options: .init(windows: windows))
        for member in direct.members {
            let folder = "instances/\(folderName(member.name))"
            var part = BundleManifest(created: created, command: "", source: member.name)
            let snapshot = await BundleFiles.addSnapshotAndFindings(
                &part, store: member.store, sourceName: "diag-addr", label: member.name, now: Date(), windows: windows)
            if let outcomes = profiles?[member.id] { BundleProfiles.add(outcomes, to: &part) }
            if let failure = snapshot.lastFailure, (snapshot.lastScrape?.time ?? .distantPast) < failure.time {
                part.fail("scrapes", "the instance stopped answering: \(failure.error)")
            }
            manifest.merge(part, under: folder)
            reports.append(await engine.evaluate(member.store, id: member.id, instance: member.name))
            builds.append((member.name, snapshot.build))
        }
        if profiles == nil { manifest.leaveOut("instances/*/profiles/", "--no-profiles") }
        let rows = await direct.rows()
        addFleetTable(&manifest, rows: rows, source: setup.label, at: Date())
        addFleetFindings(
            &manifest, source: setup.label, reports: reports, extra: FleetSignatures.versionSkew(rows) + FleetSignatures.outliers(rows), windows: windows)
        if let reader = try? RecordingReader(path: scratch + "/recording"), let end = reader.frames.last?.time {
            BundleFiles.addRecording(&manifest, reader: reader, from: end.addingTimeInterval(-command.window.seconds), window: command.window)
        } else {
            manifest.fail("recording/", "the history could not be read back")
        }
        BundleFiles.addLogs(&manifest, lines: nil, why: "a fleet's log streams are not bundled: bundle one instance with -c or --debug-socket")
        BundleFiles.addSpans(&manifest, spans: held, why: "a headless bundle of a fleet receives no spans (the simulated fleet's own excepted)")
        BundleFiles.addVersions(&manifest, builds: builds)
        await setup.source.shutdown()
        await setup.embedded?.stop()
        return manifest
    }

    /// Each member's profiles, `profileConcurrency` members at a time.
    static func profiles(_ members: [DirectFleet.Member], seconds: Int) async -> [Int: [BundleProfiles.Outcome]] {
        var out: [Int: [BundleProfiles.Outcome]] = [:]
        var start = 0
        while start < members.count {
            let batch = members[start..<min(members.count, start + profileConcurrency)]
            await withTaskGroup(of: (Int, [BundleProfiles.Outcome]).self) { group in
                for member in batch {
                    group.addTask { (member.id, await BundleProfiles(client: member.client, seconds: seconds).collect()) }
                }
                for await (id, outcomes) in group { out[id] = outcomes }
            }
            start += profileConcurrency
        }
        return out
    }

    /// fleet.txt and fleet.json: the fleet table as `snapshot` prints a fleet.
    static func addFleetTable(_ manifest: inout BundleManifest, rows: [FleetRow], source: String, at time: Date) {
        var state = FleetState(source: source, rows: rows)
        state.sort = .name
        let ordered = FleetRows.visible(state)
        let newest = FleetRows.newestVersion(ordered)
        manifest.add(
            "fleet.txt", text: FleetText.render(ordered, source: source, newest: newest, now: time),
            about: "the fleet table, as `teleport-top snapshot` prints a fleet")
        let document = FleetDocument(source: source, time: time, rows: ordered, newestVersion: newest, isOlder: FleetRows.isOlder)
        if let json = try? SnapshotDocument.encoder().encode(document) {
            manifest.add("fleet.json", Array(json) + [0x0A], about: "the same as `teleport-top snapshot --json` of the fleet (docs/fleet.md)")
        }
    }

    /// findings.txt and findings.json of the whole fleet, as `check` of the fleet prints them.
    static func addFleetFindings(_ manifest: inout BundleManifest, source: String, reports: [FindingsReport], extra: [Finding], windows: FindingsWindows) {
        let document = FindingsDocument(source: source, reports: reports, extra: extra, neededSeconds: windows.total)
        manifest.add(
            "findings.txt", text: FindingsText.render(document, reports: reports),
            about: "the fleet's findings, as `teleport-top check` of the fleet prints them")
        if let json = try? SnapshotDocument.encoder().encode(document) {
            manifest.add("findings.json", Array(json) + [0x0A], about: "the same as `teleport-top check --json` of the fleet (docs/findings.md)")
        }
    }

    /// An instance's name as a folder name (`127.0.0.1:3000` -> `127.0.0.1_3000`).
    static func folderName(_ name: String) -> String {
        ProfileDirectory.safeTargetName(name)
    }
}
