import ArgumentParser
import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopRuntime
import TeleportTopUI

/// `teleport-top replay PATH`: the dashboard over a recording, with a time cursor.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "The dashboard over a recording (`record`, `--record`): every tab as it was, with a time cursor.",
        discussion: """
            Keys (they come before the screen's): Space play/pause, , and . one scrape back/forward, [ and ] a minute, \
            { and } start and end (} follows a recording still being written), n and N the next/previous state \
            change or restart, ) and ( the next/previous moment a finding opened, : jump to a time (05:32 = that time UTC on the recording's last day, -5m from the \
            end, or 2026-12-02T05:32:40Z), < and > speed (×1 to ×60). Every other key is the dashboard's.
            """
    )

    @Argument(help: "The recording: its directory, or one segment file.")
    var path: String

    @Option(help: "Start at this time (as the : key reads it; write --at=-5m for a time before the end); default the first scrape.")
    var at: String?

    @Option(help: "Speed: 1, 2, 5, 10, 30 or 60.")
    var speed: Int = 1

    @Flag(help: "Start playing (default: paused at the start).")
    var play = false

    @OptionGroup var display: DisplayOptions

    @OptionGroup(title: "Findings") var findings: FindingsOptions

    func run() async throws {
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            throw fail("replay needs a terminal; for text or JSON use `teleport-top snapshot --from \(path) --at TIME`")
        }
        guard ReplayDriver.speeds.contains(speed) else { throw fail("--speed is one of 1, 2, 5, 10, 30, 60") }
        let findingsOptions: FindingsEngine.Options
        do { findingsOptions = try findings.engine() } catch { throw fail(String(describing: error)) }
        let playback: RecordingPlayback
        do { playback = try RecordingPlayback(path: path) } catch { throw fail("\(path): \(error)") }
        guard let end = playback.end else { throw fail("\(path): the recording has no frames yet") }
        var start: Date?
        if let at {
            let time: Date
            do { time = try ReplayJump.read(at, end: end) } catch { throw fail("--at: \(error)") }
            start = time
        }
        let header = playback.header
        let label = Self.label(header)
        let interval = Duration.seconds(header.intervalSeconds)
        let store = MetricStore(target: label, interval: interval, history: .seconds(header.historySeconds))
        let spans = SpanStore(capacity: 20_000)
        let teardown = Teardown()
        // Recorded profiles are written here for the Profiles tab's viewer; removed at exit.
        let profiles = NSTemporaryDirectory() + "teleport-top-replay-\(getpid())"
        try? FileManager.default.createDirectory(atPath: profiles, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        teardown.add { try? FileManager.default.removeItem(atPath: profiles) }
        let session = DashboardSession(
            options: DashboardSession.Options(
                label: label, isEmbedded: label.hasPrefix("embedded"), interval: interval, settings: display.settings(), profileDirectory: profiles,
                findings: header.sources.prometheus == nil ? findingsOptions : nil),
            spans: spans, teardown: teardown)
        let queue = session.queue
        for source in header.sources.spans { await spans.addSource("recorded " + source) }
        // A fleet's recording: a playback and a store per instance, the fleet screen first.
        let instances = playback.instances
        let driver: ReplayDriver
        let source: any FleetSource
        var showsFleet = true
        if let prometheus = header.sources.prometheus {
            // A fleet read from Prometheus: the same fleet code over the recorded answers.
            let selector: PrometheusSelector
            do { selector = try PrometheusSelector(parsing: prometheus.selector) } catch { throw fail("\(path): the recorded selector: \(error)") }
            driver = ReplayDriver(playback: playback, store: store, spans: spans, queue: queue, profileDirectory: profiles)
            let options = PrometheusFleet.Options(
                selector: selector, instanceLabel: prometheus.instanceLabel,
                interval: interval, window: .seconds(header.historySeconds))
            let replay = PrometheusReplay(reader: playback.reader, options: options, queue: queue, now: { driver.now })
            await driver.setOnMove { cursor, reset in await replay.move(to: cursor, reset: reset) }
            source = replay
            start = start ?? replay.firstRefresh
        } else if instances.isEmpty {
            // One target's recording: a fleet of one.
            driver = ReplayDriver(playback: playback, store: store, spans: spans, queue: queue, profileDirectory: profiles)
            source = ReplayFleet(driver: driver)
            showsFleet = false
        } else {
            let members = instances.enumerated().map { id, name in
                ReplayDriver.Member(
                    id: id, name: name, playback: RecordingPlayback(reader: playback.reader, target: name),
                    store: MetricStore(target: name + " (recorded)", interval: interval, history: .seconds(header.historySeconds)))
            }
            driver = ReplayDriver(first: members[0], others: Array(members.dropFirst()), spans: spans, queue: queue, profileDirectory: profiles)
            source = ReplayFleet(driver: driver)
        }
        teardown.add { await driver.stop() }
        let hasLogs = header.sources.logs != nil
        let skipped = playback.reader.skipped
        let (from, speed, play) = (start, self.speed, self.play)
        // Findings at the cursor, and the moments they opened (read in the background); a
        // fleet read from Prometheus holds rows, not scrapes: none.
        var replayFindings: ReplayFindings?
        if header.sources.prometheus == nil {
            let made = ReplayFindings(
                members: await driver.members.map { ReplayFindings.Member(id: $0.id, instance: instances.isEmpty ? nil : $0.name, store: $0.store) },
                options: findingsOptions, queue: queue)
            await driver.setFindings(onCursor: { await made.moved(to: $0) }, moments: { await made.openings() })
            await made.index(path: path, interval: interval, history: .seconds(header.historySeconds), instances: instances)
            teardown.add { await made.stop() }
            replayFindings = made
        }
        let findingsPart = replayFindings
        var feed = DashboardSession.Feed(
            source: source, showsFleet: showsFleet,
            parts: { parts, queue, _ in
                parts.profiles = ProfileRunner(client: nil, directory: nil, queue: queue)
                parts.replay = driver
                if let findingsPart { parts.setFindingsBaseline = { await findingsPart.setBaseline($0) } }
                // Once the seam reaches the queue: the first picture is the cursor's.
                await driver.start(at: from, speed: speed, play: play)
            },
            configure: { state in
                state.logs.hasSocket = hasLogs
                state.logs.opened = true
                state.logs.status = .streaming(source: "the recording")
                if skipped > 0 { state.message = "\(skipped) corrupt frames skipped" }
            },
            clock: { driver.now })
        feed.keepsHistory = false  // the recording is the history
        let ending: DashboardSession.Ending
        do {
            ending = try await session.run(feed) { Terminal(theme: $0, logPath: display.logFile) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(String(describing: error))
        }
        if let failure = ending.failure { throw fail(String(describing: failure)) }
    }

    /// The header's target, e.g. `127.0.0.1:3000 (recorded)`.
    static func label(_ header: RecordingFormat.Header) -> String {
        header.sources.name + " (recorded)"
    }
}
