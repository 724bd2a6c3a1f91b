import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopUI

/// Runs the reducers' effects, one at a time in the order they were given, and answers
/// with events in the queue. Queries carry everything they ask for (the stores hold no UI
/// state) and their answers carry the request's id, so the reducers drop stale ones. Long
/// work (captures, decoding a profile) is started in order and runs on its own.
public final class EffectRunner: Sendable {
    /// What the runner acts on; each part is optional (`pprof FILE` has no target).
    public struct Parts: Sendable {
        public var metrics: MetricStore?
        public var spans: SpanStore?
        public var poller: Poller?
        public var profiles: ProfileRunner?
        public var injectFailure: (@Sendable () -> Void)?
        /// A fleet's source: the open instance's store answers heatmaps, its client takes captures.
        public var fleet: (any FleetSource)?
        /// Fails a heartbeat of an embedded fleet instance.
        public var injectFailureInstance: (@Sendable (Int) -> Void)?
        /// The target's log stream and log level (through its debug socket).
        public var logs: LogControl?
        /// Where `w` writes the Logs screen's lines.
        public var logDirectory: String?
        /// A fleet's logs: the open instance's stream and level.
        public var fleetLogs: FleetLogs?
        /// A replay's driver (its keys' effects go there).
        public var replay: ReplayDriver?
        /// The recording, when there is one: pace changes and injected failures become notes.
        public var recorder: Recorder?
        /// Sets the findings' baseline (nil: the rolling one).
        public var setFindingsBaseline: (@Sendable (DateInterval?) async -> Void)?
        /// The time span queries are answered at (a replay's cursor).
        public var clock: @Sendable () -> Date = { Date() }
        /// Writes the diagnostics bundle (`B`).
        public var bundler: DashboardBundler?

        public init(
            metrics: MetricStore? = nil, spans: SpanStore? = nil, poller: Poller? = nil, profiles: ProfileRunner? = nil,
            injectFailure: (@Sendable () -> Void)? = nil, fleet: (any FleetSource)? = nil, injectFailureInstance: (@Sendable (Int) -> Void)? = nil,
            logs: LogControl? = nil, logDirectory: String? = nil, fleetLogs: FleetLogs? = nil, recorder: Recorder? = nil
        ) {
            self.recorder = recorder
            self.fleetLogs = fleetLogs
            self.logs = logs
            self.logDirectory = logDirectory
            self.metrics = metrics
            self.spans = spans
            self.poller = poller
            self.profiles = profiles
            self.injectFailure = injectFailure
            self.fleet = fleet
            self.injectFailureInstance = injectFailureInstance
        }
    }

    let queue: EventQueue
    let parts: Parts
    private let input: AsyncStream<[Effect]>.Continuation
    private let worker: Task<Void, Never>

    public init(queue: EventQueue, parts: Parts) {
        self.queue = queue
        self.parts = parts
        let (stream, continuation) = AsyncStream<[Effect]>.makeStream()
        input = continuation
        worker = Task { [queue, parts] in
            for await batch in stream {
                for effect in batch { await Self.execute(effect, queue: queue, parts: parts) }
            }
        }
    }

    /// Hands effects over; they run after every effect handed over before them.
    public func run(_ effects: [Effect]) {
        input.yield(effects)
    }

    /// Stops taking effects and waits for those handed over to finish.
    public func finish() async {
        input.finish()
        await worker.value
        parts.profiles?.cancel()
    }

    static func execute(_ effect: Effect, queue: EventQueue, parts: Parts) async {
        switch effect {
        case .setInterval(let interval):
            parts.recorder?.note(RecordedNote(kind: "interval", text: "polling every \(DurationText.format(interval))"))
            if let poller = parts.poller { await poller.setInterval(interval) } else { await parts.fleet?.setInterval(interval) }
        case .focusInstance(let id):
            guard let fleet = parts.fleet else { return }
            parts.profiles?.setClient(id.flatMap { fleet.client(for: $0) })
            await parts.fleetLogs?.focus(id.flatMap { fleet.socketClient(for: $0) })
            await fleet.focus(id)
        case .retryInstance(let id):
            parts.fleet?.retry(id)
        case .toggleDirect(let id):
            guard let fleet = parts.fleet else { return }
            let said = await fleet.toggleDirect(id)
            if await fleet.focusedID() == id { parts.profiles?.setClient(fleet.client(for: id)) }
            queue.post(.notice(said))
        case .injectFailureInstance(let id):
            parts.injectFailureInstance?(id)
        case .injectFailure:
            parts.recorder?.note(RecordedNote(kind: "inject", text: "heartbeat failure injected"))
            parts.injectFailure?()
        case .retryNow:
            // One target: its poller, or the fleet of one's only instance.
            if let poller = parts.poller {
                poller.retryNow()
            } else if let fleet = parts.fleet, let id = await fleet.focusedID() {
                fleet.retry(id)
            }
        case .loadTheme(let name):
            queue.post(.theme(name: name, ThemeLoader.builtin(name)))
        case .queryHeatmap(let request, let selection):
            var store = parts.metrics
            if let fleet = parts.fleet, let open = await fleet.focusedID() { store = await fleet.store(for: open) }
            let heatmap = await store?.heatmap(family: selection.family, labels: selection.labels)
            queue.post(.heatmap(request: request, heatmap))
        case .querySpans(let request, let query, let trace):
            guard let spans = parts.spans else { return }
            queue.post(.spans(request: request, await spans.snapshot(query: query, trace: trace, now: parts.clock())))
        case .captureProfiles(let requests):
            parts.profiles?.capture(requests)
        case .cancelCaptures:
            parts.profiles?.cancel()
        case .loadProfile(let request, let path, let options, let diff):
            parts.profiles?.load(request: request, path: path, options: options, diff: diff)
        case .loadFlame(let request, let path, let options, let diff):
            parts.profiles?.loadFlame(request: request, path: path, options: options, diff: diff)
        case .peekProfile(let request, let path, let options, let symbol, let diff):
            parts.profiles?.peek(request: request, path: path, options: options, symbol: symbol, diff: diff)
        case .openLogs(let level):
            (parts.logs ?? parts.fleetLogs?.current)?.open(level: level)
        case .setLogLevel(let level, let restoring):
            guard let logs = parts.logs ?? parts.fleetLogs?.current else { return }
            await logs.set(level, restoring: restoring)
        case .keepLogLevel:
            (parts.logs ?? parts.fleetLogs?.current)?.keep()
        case .writeLogs(let lines):
            queue.post(.notice(Self.write(lines, directory: parts.logDirectory ?? FileManager.default.currentDirectoryPath)))
        case .replay(let command):
            await parts.replay?.handle(command)
        case .setFindingsBaseline(let interval):
            if let set = parts.setFindingsBaseline {
                await set(interval)
            } else {
                queue.post(.notice("no findings are evaluated here"))
            }
        case .writeBundle(let request):
            guard let bundler = parts.bundler else {
                queue.post(.bundle(.failed("this dashboard has nothing to bundle", at: Date())))
                return
            }
            // It takes the CPU profile's seconds: on its own, as captures do.
            Task { await bundler.write(request, post: { queue.post($0) }) }
        case .quit:
            break
        }
    }

    /// Writes lines as NDJSON to a new 0600 file in `directory`; says where (or why not).
    static func write(_ lines: [LogLine], directory: String) -> String {
        let stamp = LogLine.rfc3339(Date()).prefix(19).replacingOccurrences(of: ":", with: "")
        let path = (directory as NSString).appendingPathComponent("teleport-top-logs-\(stamp).ndjson")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch { return "cannot create \(directory): \(error.localizedDescription)" }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { return "cannot write \(path): \(String(cString: strerror(errno)))" }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var text = ""
        for line in lines { text += line.ndjson() + "\n" }
        do { try handle.write(contentsOf: Data(text.utf8)) } catch { return "cannot write \(path): \(error.localizedDescription)" }
        return "wrote \(lines.count) lines to \(path)"
    }
}
