import Foundation
import Synchronization
import TeleportCore
import TeleportTopData
import TeleportTopUI

/// Plays a recording into the one event stream as the live sources would: scrapes folded
/// into the metric store (the same parser and store as live), spans into the span store, log
/// lines and notes as events, and the time cursor as the dashboard's clock. Seeking back (or
/// far forward) starts the stores over from the history before the new time. A fleet's
/// recording has a store per instance; their rows go to the fleet screen and the open
/// instance's snapshots to its dashboard.
public actor ReplayDriver {
    /// One target's scrapes and its store (a fleet has one per instance, ids in order).
    public struct Member: Sendable {
        public var id: Int
        public var name: String
        public var playback: RecordingPlayback
        public var store: MetricStore

        public init(id: Int, name: String, playback: RecordingPlayback, store: MetricStore) {
            self.id = id
            self.name = name
            self.playback = playback
            self.store = store
        }
    }

    /// The first member's playback (the reader is shared).
    public let playback: RecordingPlayback
    public let members: [Member]
    /// Whether the recording is of a fleet (rows and an open instance) or of one target.
    public let isFleet: Bool
    /// What the stores' pictures are published through (a fleet's rows and open instance, or
    /// the one target's snapshots).
    public let seam: ScrapeSeam
    let spans: SpanStore
    let queue: EventQueue
    let maxLogLines: Int
    /// Where recorded profiles are written for the Profiles tab to open (nil: not shown).
    let profileDirectory: String?
    private let clockTime: Mutex<Date>
    private var cursor: Date
    private var speed = 1
    private var playing = false
    private var following = false
    /// The reader's frames in time order (a frame can be written after one of a later time: a
    /// scrape's time is when its answer came, its frame is written once it is parsed), and
    /// the position in it of the next frame to apply.
    private var order: [Int] = []
    private var nextFrame = 0
    /// Each scrape frame's member and position in that member's scrapes.
    private var owners: [Int: (member: Int, position: Int)] = [:]
    private var changes: [Date] = []
    private var ticker: Task<Void, Never>?
    /// Told of every move of the cursor (`true`: a seek that started the stores over); a
    /// fleet read from Prometheus refreshes there.
    private var onMove: (@Sendable (Date, Bool) async -> Void)?

    public func setOnMove(_ onMove: (@Sendable (Date, Bool) async -> Void)?) {
        self.onMove = onMove
    }

    /// Told of every move of the cursor after `onMove` (the findings at the cursor).
    private var onCursor: (@Sendable (Date) async -> Void)?
    /// The moments findings opened, as far as read (`note`: why the list may be short).
    private var findingMoments: (@Sendable () async -> (moments: [Date], note: String?))?

    /// Sets what hears the cursor's moves and what `)`/`(` read (the replay's findings).
    public func setFindings(onCursor: (@Sendable (Date) async -> Void)?, moments: (@Sendable () async -> (moments: [Date], note: String?))?) {
        self.onCursor = onCursor
        findingMoments = moments
    }
    /// The speeds `<` and `>` step through.
    public static let speeds = [1, 2, 5, 10, 30, 60]
    /// How often a playing replay moves its cursor.
    static let step: Duration = .milliseconds(100)

    public init(
        playback: RecordingPlayback, store: MetricStore, spans: SpanStore, queue: EventQueue, maxLogLines: Int = 50_000,
        profileDirectory: String? = nil
    ) {
        self.init(
            first: Member(id: 0, name: "", playback: playback, store: store), others: [], fleet: false, spans: spans, queue: queue,
            maxLogLines: maxLogLines, profileDirectory: profileDirectory)
    }

    /// A fleet's replay: one member per instance (sharing one reader).
    public init(
        first: Member, others: [Member], fleet: Bool = true, spans: SpanStore, queue: EventQueue, maxLogLines: Int = 50_000,
        profileDirectory: String? = nil
    ) {
        let members = [first] + others
        let playback = first.playback
        self.members = members
        self.isFleet = fleet
        seam = ScrapeSeam(shape: fleet ? .fleet : .single, window: first.store.historySeconds)
        self.profileDirectory = profileDirectory
        self.playback = playback
        self.spans = spans
        self.queue = queue
        self.maxLogLines = maxLogLines
        let start = playback.start ?? Date()
        cursor = start
        clockTime = Mutex(start)
        changes = Self.changes(members)
        let (order, owners) = Self.index(members)
        self.order = order
        self.owners = owners
    }

    /// The frames in time order, and each scrape frame's member and position.
    static func index(_ members: [Member]) -> ([Int], [Int: (member: Int, position: Int)]) {
        let frames = members[0].playback.reader.frames
        let order = frames.indices.sorted { (frames[$0].nanoseconds, $0) < (frames[$1].nanoseconds, $1) }
        var owners: [Int: (member: Int, position: Int)] = [:]
        for member in members {
            for (position, index) in member.playback.scrapes.enumerated() { owners[index] = (member.id, position) }
        }
        return (order, owners)
    }

    /// State changes and restarts of every member, in time order.
    static func changes(_ members: [Member]) -> [Date] {
        members.flatMap { $0.playback.changes() }.sorted()
    }

    /// Every member's scrape times, in order.
    func scrapeTimes() -> [Date] {
        members.flatMap { member in member.playback.scrapes.map { playback.reader.frames[$0].time } }.sorted()
    }

    /// Reads what was appended (a recording still being written); whether there was any.
    func refresh() -> Bool {
        var grew = false
        for member in members where member.playback.refresh() { grew = true }
        if grew {
            changes = Self.changes(members)
            (order, owners) = Self.index(members)
            let frames = playback.reader.frames
            let ns = Int64((cursor.timeIntervalSince1970 * 1e9).rounded())
            nextFrame = order.firstIndex { frames[$0].nanoseconds > ns } ?? order.count
        }
        return grew
    }

    /// The history every member's store keeps.
    var historySeconds: Double { members[0].store.historySeconds }

    /// Opens an instance's dashboard (nil: back to the fleet): its snapshot at once.
    public func focus(_ id: Int?) async {
        seam.focus(id)
        guard let id, members.indices.contains(id) else { return }
        await seam.publish(nil, of: seamMember(members[id]), row: .none)
    }

    public func focusedID() -> Int? { seam.focusedID }

    func seamMember(_ member: Member) -> ScrapeSeam.Member {
        ScrapeSeam.Member(id: member.id, name: member.name, store: member.store)
    }

    /// The replay's clock (the dashboard loop's and the span queries' `now`).
    public nonisolated var now: Date { clockTime.withLock { $0 } }

    /// Opens at `time` (default: the first scrape), playing at `speed` when `play`.
    public func start(at time: Date?, speed: Int, play: Bool) async {
        self.speed = Self.speeds.contains(speed) ? speed : 1
        playing = play
        let first = scrapeTimes().first ?? playback.start ?? Date()
        await rebuild(at: min(max(time ?? first, playback.start ?? first), playback.end ?? first))
        ticker = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.step)
                await self?.tick()
            }
        }
    }

    public func stop() {
        ticker?.cancel()
    }

    /// Carries out a replay key.
    public func handle(_ command: ReplayCommand) async {
        let start = playback.start ?? cursor
        let end = playback.end ?? cursor
        // A move of the cursor stops following the end (the speed and play/pause do not).
        switch command {
        case .playPause, .speed: break
        default: following = false
        }
        switch command {
        case .playPause:
            if !playing, cursor >= end { await seek(to: start) }  // at the end, play again from the start
            playing.toggle()
            report()
        case .step(let delta):
            playing = false
            // The scrape just before (or after) the cursor, the one at it left out.
            let times = scrapeTimes()
            let found = delta < 0 ? times.last { $0 < cursor.addingTimeInterval(-0.0005) } : times.first { $0 > cursor.addingTimeInterval(0.0005) }
            guard let found else { return report() }
            await seek(to: found)
        case .minutes(let delta):
            await seek(to: cursor.addingTimeInterval(Double(delta) * 60))
        case .toStart:
            await seek(to: start)
        case .toEnd:
            _ = refresh()
            await seek(to: playback.end ?? end)
            following = true
            playing = true
            report()
        case .change(let delta):
            let found = delta > 0 ? changes.first { $0 > cursor.addingTimeInterval(0.0005) } : changes.last { $0 < cursor.addingTimeInterval(-0.0005) }
            // Landing on a change is for looking at it: playing (after `}`) stops there.
            playing = false
            guard let found else {
                queue.post(.notice(delta > 0 ? "no state change or restart after this" : "no state change or restart before this"))
                return report()
            }
            await seek(to: found)
        case .finding(let delta):
            playing = false
            guard let findingMoments else {
                queue.post(.notice("no findings are evaluated in this replay"))
                return report()
            }
            let (moments, note) = await findingMoments()
            let found = delta > 0 ? moments.first { $0 > cursor.addingTimeInterval(0.0005) } : moments.last { $0 < cursor.addingTimeInterval(-0.0005) }
            guard let found else {
                queue.post(.notice((delta > 0 ? "no finding opened after this" : "no finding opened before this") + (note.map { " (\($0))" } ?? "")))
                return report()
            }
            await seek(to: found)
        case .speed(let delta):
            let index = Self.speeds.firstIndex(of: speed) ?? 0
            speed = Self.speeds[max(0, min(Self.speeds.count - 1, index + delta))]
            report()
        case .jump(let text):
            let time: Date
            do { time = try ReplayJump.read(text, end: end) } catch {
                queue.post(.notice("jump: \(error)"))
                return report()
            }
            // Outside the recording is refused, as `snapshot --at` refuses it (never clamped unsaid).
            guard time >= start.addingTimeInterval(-0.0005), time <= end.addingTimeInterval(0.0005) else {
                queue.post(.notice("jump: \(Self.clock(time)) is outside the recording (\(Self.clock(start)) to \(Self.clock(end)))"))
                return report()
            }
            await seek(to: time)
        }
    }

    /// Moves a playing cursor on; at the end, follows a file still being written or stops.
    func tick() async {
        guard playing else { return }
        var target = cursor.addingTimeInterval(Self.step.seconds * Double(speed))
        if let end = playback.end, target >= end {
            _ = refresh()
            let end = playback.end ?? end
            if target >= end {
                target = end
                if !following { playing = false }
            }
        }
        await forward(to: target)
        report()
    }

    /// Moves the cursor to `time` (within the recording).
    func seek(to time: Date) async {
        let clamped = min(max(time, playback.start ?? time), playback.end ?? time)
        if clamped >= cursor, clamped.timeIntervalSince(cursor) <= historySeconds {
            await forward(to: clamped)
            report()
        } else {
            await rebuild(at: clamped)
        }
    }

    /// Applies the frames after the cursor up to `time`.
    func forward(to time: Date) async {
        let frames = playback.reader.frames
        // A time taken from a scrape's own names that scrape (a `Date` holds it to ~0.2 µs).
        let limit = Int64((time.timeIntervalSince1970 * 1e9).rounded()) + 1000
        var scraped: [Int: Result<ScrapeResult, ScrapeFailure>] = [:]
        var lines: [LogLine] = []
        while nextFrame < order.count, frames[order[nextFrame]].nanoseconds <= limit {
            let ref = frames[order[nextFrame]]
            switch FrameKind(rawValue: ref.kind) {
            case .scrape:
                if let (id, position) = owners[order[nextFrame]],
                    let outcome = try? await members[id].playback.fold(position..<(position + 1), into: members[id].store)
                {
                    scraped[id] = outcome
                }
            case .spans:
                if let batch = try? playback.spans(ref) { await spans.add(batch) }
            case .logs:
                if let batch = try? playback.logLines(ref) { lines += batch }
            case .note:
                if let note = try? playback.note(ref) { queue.post(.notice("recorded: \(note.text)")) }
            case .profile:
                replayProfile(ref)
            case .prometheus:
                break  // read by a Prometheus fleet's replay (`onMove`)
            case nil:
                break  // a kind this version does not know
            }
            nextFrame += 1
        }
        cursor = time
        clockTime.withLock { $0 = time }
        if !lines.isEmpty { queue.post(.logLines(lines)) }
        await post(scraped)
        await onMove?(time, false)
        await onCursor?(time)
    }

    /// Hands the stores' pictures over: the one target's snapshot, or a fleet's rows and its
    /// open instance's snapshot.
    func post(_ outcomes: [Int: Result<ScrapeResult, ScrapeFailure>?]) async {
        // Folded already (a stretch of history at a time): published once each.
        for (id, outcome) in outcomes.sorted(by: { $0.key < $1.key }) {
            await seam.publish(outcome, of: seamMember(members[id]), row: .store(now: cursor))
        }
    }

    /// Starts the stores over at `time`: the scrapes and spans of the history before it, the
    /// log lines before it (the newest `maxLogLines`).
    func rebuild(at time: Date) async {
        var outcomes: [Int: Result<ScrapeResult, ScrapeFailure>?] = [:]
        for member in members { outcomes[member.id] = (try? await member.playback.rebuild(member.store, at: time)) ?? nil }
        await spans.removeAll()
        let history = historySeconds
        let frames = playback.reader.frames
        let limit = Int64((time.timeIntervalSince1970 * 1e9).rounded())
        let from = Int64((time.addingTimeInterval(-history).timeIntervalSince1970 * 1e9).rounded())
        var logFrames: [FrameRef] = []
        var lineCount = 0
        var index = order.count - 1
        while index >= 0 {
            let ref = frames[order[index]]
            if ref.nanoseconds <= limit {
                if ref.kind == FrameKind.logs.rawValue, lineCount < maxLogLines {
                    logFrames.append(ref)
                    lineCount += Int(ref.aux)
                }
                if ref.kind == FrameKind.spans.rawValue, ref.nanoseconds >= from, let batch = try? playback.spans(ref) { await spans.add(batch) }
                if ref.nanoseconds < from && lineCount >= maxLogLines { break }
            }
            index -= 1
        }
        nextFrame = order.firstIndex { frames[$0].nanoseconds > limit } ?? order.count
        cursor = time
        clockTime.withLock { $0 = time }
        report(reset: true)
        for index in order.prefix(nextFrame) where frames[index].kind == FrameKind.profile.rawValue { replayProfile(frames[index]) }
        let lines = logFrames.reversed().flatMap { (try? playback.logLines($0)) ?? [] }
        if !lines.isEmpty { queue.post(.logLines(Array(lines.suffix(maxLogLines)))) }
        await post(outcomes)
        await onMove?(time, true)
        await onCursor?(time)
    }

    /// Writes a recorded profile into the profile directory (once) and shows it as a capture.
    func replayProfile(_ ref: FrameRef) {
        guard let profileDirectory, let (name, bytes) = try? playback.profile(ref) else { return }
        let path = profileDirectory + "/" + name
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
        }
        let saved = ProfileDirectory.parse(fileName: name)
        queue.post(.profile(.replayed(kind: saved?.kind ?? .profile, started: saved?.time ?? ref.time, path: path, bytes: bytes.count)))
    }

    /// `2026-12-02 05:32:40 UTC`.
    static func clock(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d UTC", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    func report(reset: Bool = false) {
        let start = playback.start ?? cursor
        queue.post(
            .replay(
                ReplayStatus(
                    start: start, end: playback.end ?? cursor, cursor: cursor, speed: speed, playing: playing,
                    following: following, skippedFrames: playback.reader.skipped, reset: reset)))
        queue.post(.tick(cursor))
    }
}
