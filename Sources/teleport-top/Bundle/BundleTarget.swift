import ArgumentParser
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime

/// `bundle` of one target: scrapes every interval for `--for`, recording them (and the log
/// stream, and the embedded engine's spans) into a private temporary recording; profiles in
/// the last `--profile-seconds`; then the files. What was collected is kept when the target
/// dies part way; the index says what failed.
enum BundleTarget {
    static func collect(command: BundleCommand, created: Date) async throws -> BundleManifest {
        let options = command.target
        let source: SourceResolver.Source
        do { source = try options.resolve(headless: true) } catch { throw fail(error.description) }
        let teardown = Teardown()
        return try await teardown.guarding {
            let spans = SpanStore(capacity: 20_000)
            let (diagTarget, embedded) = try await EmbeddedLaunch.target(source, options: options, spans: spans, socketName: "bundle", teardown: teardown)
            let socketPath = EmbeddedLaunch.debugSocket(of: diagTarget, options: options, embedded: embedded)
            let sourceName: String
            let label: String
            if embedded != nil {
                sourceName = "embedded"
                label = "embedded (\(diagTarget))"
            } else {
                sourceName = diagTarget.description.hasPrefix("/") ? "debug-socket" : "diag-addr"
                label = "\(sourceName) \(diagTarget)"
            }
            let client: DiagClient
            do { client = try DiagClient(target: diagTarget, options: options.clientOptions) } catch let error as TargetError {
                throw fail(error.description)
            }
            teardown.add { await client.shutdown() }
            // The history, recorded as `record` would (a private folder, removed at the end).
            let scratch = try Self.scratchFolder()
            teardown.add { try? FileManager.default.removeItem(atPath: scratch) }
            var recorded = RecordedSources(target: label)
            recorded.logs = socketPath
            if embedded != nil { recorded.spans = ["embedded engine"] }
            let sources = recorded
            let history = Duration.seconds(max(600, command.window.seconds))
            let recorder: Recorder
            do { recorder = try historyRecorder(scratch: scratch, sources: sources, interval: command.interval, history: history) } catch {
                throw fail("cannot record the history: \(error)")
            }
            teardown.add { recorder.close() }
            await spans.setOnAdd { recorder.spans($0) }
            let store = MetricStore(target: label, interval: command.interval, history: history)
            let logs = LogHold(limit: 50_000)
            var manifest = BundleManifest(created: created, command: BundleCommand.commandLine, source: label)
            BundleCommand.say(
                "watching \(label) for \(DurationText.format(command.watch))"
                    + (command.noProfiles ? "" : ", profiles in the last \(command.profileSeconds) s") + "…")

            // The log stream, while watching.
            var logTask: Task<Void, Never>?
            if let socketPath, let socketClient = try? DiagClient(target: .socket(path: socketPath), options: .init(timeout: .seconds(10))) {
                logTask = Task {
                    await LogStreamClient(client: socketClient).run(
                        level: nil,
                        onLines: { lines in
                            logs.add(lines)
                            recorder.logs(lines)
                        },
                        onStatus: { status in
                            if case .unsupported = status { logs.unsupported() }
                        })
                    await socketClient.shutdown()
                }
            }
            // Profiles in the watch's last seconds, from the debug socket when one is known
            // (it serves /debug/pprof always), else the target.
            var profileTask: Task<[BundleProfiles.Outcome], Never>?
            if !command.noProfiles {
                let profileTarget: DiagTarget = socketPath.map { .socket(path: $0) } ?? diagTarget
                let profileClient =
                    profileTarget == diagTarget
                    ? client : ((try? DiagClient(target: profileTarget, options: .init(timeout: options.timeout, tls: options.tls))) ?? client)
                let delay = max(.zero, command.watch - .seconds(command.profileSeconds))
                let seconds = command.profileSeconds
                profileTask = Task {
                    try? await Task.sleep(for: delay)
                    let outcomes = await BundleProfiles(client: profileClient, seconds: seconds).collect { BundleCommand.say("capturing the \($0)") }
                    if profileClient !== client { await profileClient.shutdown() }
                    return outcomes
                }
            }
            let answered = await CheckTarget.watch(client: client, store: store, interval: command.interval, duration: command.watch, recorder: recorder)
            let profiles = await profileTask?.value
            logTask?.cancel()
            await logTask?.value
            let held = embedded != nil ? await spans.held() : nil
            recorder.close()
            guard answered else {
                await teardown.run()
                throw fail("\(diagTarget): no answer in \(DurationText.format(command.watch))" + (recorder.tally.lastFailure.map { ": \($0)" } ?? ""))
            }

            let snapshot = await BundleFiles.addSnapshotAndFindings(
                &manifest, store: store, sourceName: sourceName, label: label, now: Date())
            let tally = recorder.tally
            if let failure = snapshot.lastFailure, (snapshot.lastScrape?.time ?? .distantPast) < failure.time {
                manifest.fail(
                    "scrapes", "the target stopped answering (\(tally.failed) of \(tally.answered + tally.failed) scrapes failed; the last: \(failure.error))")
            } else if tally.failed > 0 {
                manifest.fail(
                    "scrapes", "\(tally.failed) of \(tally.answered + tally.failed) scrapes failed" + (tally.lastFailure.map { "; the last: \($0)" } ?? ""))
            }
            if let reader = try? RecordingReader(path: scratch + "/recording"), let end = reader.frames.last?.time {
                BundleFiles.addRecording(&manifest, reader: reader, from: end.addingTimeInterval(-command.window.seconds), window: command.window)
            } else {
                manifest.fail("recording/", "the history could not be read back")
            }
            if let profiles {
                BundleProfiles.add(profiles, to: &manifest)
            } else {
                manifest.leaveOut("profiles/", "--no-profiles")
            }
            let logWhy =
                logs.isUnsupported
                ? "\(socketPath ?? "the debug socket") has no /log-stream (an older Teleport)"
                : "no debug socket known: the log stream is served only there (--debug-socket PATH or -c teleport.yaml)"
            BundleFiles.addLogs(&manifest, lines: socketPath == nil || logs.isUnsupported ? nil : logs.lines, why: logWhy)
            BundleFiles.addSpans(
                &manifest, spans: held,
                why: "a headless bundle of a target receives no spans (they reach the dashboard over OTLP: its B bundles the spans it holds)")
            BundleFiles.addVersions(&manifest, builds: [("target", snapshot.build)])
            await teardown.run()
            return manifest
        }
    }

    /// The recorder of the history a bundle holds, in `scratch`'s `recording` folder.
    static func historyRecorder(scratch: String, sources: RecordedSources, interval: Duration, history: Duration) throws -> Recorder {
        let writer = try RecordingWriter(
            directory: scratch + "/recording",
            header: { number in
                RecordingFormat.Header(
                    created: Date(), segment: number, sources: sources, intervalSeconds: interval.seconds, historySeconds: history.seconds,
                    writer: TeleportTopVersion.current)
            })
        return Recorder(writer: writer)
    }

    /// A private folder (0700) for the recording being made.
    static func scratchFolder() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/teleport-top-bundle-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw fail("cannot make a temporary folder: \(String(cString: strerror(errno)))") }
        return String(cString: made)
    }
}
