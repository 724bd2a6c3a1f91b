import Foundation
import TeleportCore
import TeleportOTLP

/// A recording read back: its time span, its scrapes decoded (each body inflated against
/// the one before, from the nearest one that stands alone) and folded into a store as the
/// live dashboard folded them, and its spans, log lines and notes up to any time.
public final class RecordingPlayback: @unchecked Sendable {
    public let reader: RecordingReader
    /// The fleet instance whose scrapes these are (nil: every scrape, a one-target recording).
    public let target: String?
    /// The scrape frames of the target, in order.
    public private(set) var scrapes: [Int] = []
    /// Frames scanned into `scrapes` so far.
    private var indexed = 0
    /// The last body inflated (its scrape's position), to go on from without starting over.
    private var lastBody: (position: Int, body: [UInt8])?
    /// The largest body a scrape frame may inflate to.
    public var bodyLimit = 64 << 20

    /// The playback of `target`'s scrapes (nil: all, a one-target recording); fleet
    /// instances share one reader.
    public init(reader: RecordingReader, target: String? = nil) {
        self.reader = reader
        self.target = target
        index()
    }

    public convenience init(path: String) throws(RecordingError) {
        self.init(reader: try RecordingReader(path: path))
    }

    private func index() {
        let frames = reader.frames
        while indexed < frames.count {
            if frames[indexed].kind == FrameKind.scrape.rawValue,
                target == nil || reader.scrapeTarget(at: indexed) == target
            {
                scrapes.append(indexed)
            }
            indexed += 1
        }
    }

    /// Reads what was appended since (a recording still being written); whether there was any.
    @discardableResult
    public func refresh() -> Bool {
        _ = try? reader.refresh()
        let before = indexed
        index()
        return indexed > before
    }

    public var header: RecordingFormat.Header { reader.segments[0].header }

    /// The fleet's instances, in order, when the recording is of a fleet (`instance NAME` sources).
    public var instances: [String] {
        header.sources.instances
    }
    public var start: Date? { reader.frames.first?.time }
    public var end: Date? { reader.frames.last?.time }

    /// The position in `scrapes` of the last scrape at or before `time`. A time taken from a
    /// scrape's own (a report's, a finding's moment) names that scrape: a `Date` near 2026
    /// holds seconds to about 0.2 µs, so frames up to 1 µs after `time` count as at it.
    public func scrapePosition(atOrBefore time: Date) -> Int? {
        let ns = Int64((time.timeIntervalSince1970 * 1e9).rounded()) + 1000
        var low = 0
        var high = scrapes.count
        while low < high {
            let mid = (low + high) / 2
            if reader.frames[scrapes[mid]].nanoseconds <= ns { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }

    /// Times where the state shown changed or the process restarted (a new pid), from the index alone.
    public func changes() -> [Date] {
        var out: [Date] = []
        var previous: FrameRef?
        for position in scrapes {
            let ref = reader.frames[position]
            if let previous, previous.flags >> 4 != ref.flags >> 4 || (previous.aux != 0 && ref.aux != 0 && previous.aux != ref.aux) {
                out.append(ref.time)
            }
            previous = ref
        }
        return out
    }

    /// The scrape at `position` of `scrapes`: its record, time and body.
    public func scrape(at position: Int) throws(RecordingError) -> (record: ScrapeRecord, time: Date, body: [UInt8]) {
        let ref = reader.frames[scrapes[position]]
        let payload = try reader.payload(ref)
        let (record, bodyStart) = try Self.meta(payload)
        let compressed = Array(payload[bodyStart...])
        if ref.flags & ScrapeRecord.failed != 0 { return (record, ref.time, []) }
        var dictionary: [UInt8]?
        if ref.flags & ScrapeRecord.compressedAgainstPrevious != 0 {
            // Against the previous scrape that has a body (failed scrapes in between have none).
            let flags = { (p: Int) in self.reader.frames[self.scrapes[p]].flags }
            var previous = position - 1
            while previous >= 0, flags(previous) & ScrapeRecord.failed != 0 { previous -= 1 }
            guard previous >= 0 else { throw .io("a scrape's previous body is missing") }
            if lastBody?.position != previous {
                // Back to the body that stands alone, then forward.
                var first = previous
                while first > 0, flags(first) & (ScrapeRecord.failed | ScrapeRecord.compressedAgainstPrevious) != 0 { first -= 1 }
                for p in first...previous where flags(p) & ScrapeRecord.failed == 0 { _ = try scrape(at: p) }
            }
            guard let lastBody, lastBody.position == previous else { throw .io("a scrape's previous body is missing") }
            dictionary = lastBody.body
        }
        do {
            let body =
                try dictionary.map { (previous) throws(Zlib.Failure) in try DeltaBody.decode(compressed, previous: previous, limit: bodyLimit) }
                ?? Zlib.decompress(compressed, limit: bodyLimit)
            lastBody = (position, body)
            return (record, ref.time, body)
        } catch {
            throw .io("scrape body: \(error)")
        }
    }

    /// The outcome of the scrape at `position`, parsed as live.
    public func outcome(at position: Int) throws(RecordingError) -> (Result<ScrapeResult, ScrapeFailure>, interval: Duration) {
        let (record, time, body) = try scrape(at: position)
        return (record.outcome(time: time, body: body), .seconds(record.intervalSeconds))
    }

    /// Folds the scrapes of positions `range` into `store`, as the poller did; returns the last outcome.
    @discardableResult
    public func fold(_ range: Range<Int>, into store: MetricStore) async throws(RecordingError) -> Result<ScrapeResult, ScrapeFailure>? {
        var last: Result<ScrapeResult, ScrapeFailure>?
        for position in range {
            let (outcome, interval) = try outcome(at: position)
            if await store.interval != interval { await store.setInterval(interval) }
            await ScrapeSeam.fold(outcome, into: store)
            last = outcome
        }
        return last
    }

    /// A fresh store as the live one stood right after the last scrape at or before `time`
    /// (the scrapes of the history before it folded in); and that scrape's outcome.
    public func store(at time: Date, target: String, history: Duration) async throws(RecordingError)
        -> (MetricStore, Result<ScrapeResult, ScrapeFailure>?)
    {
        let store = MetricStore(target: target, interval: .seconds(header.intervalSeconds), history: history)
        let last = try await rebuild(store, at: time)
        return (store, last)
    }

    /// Resets `store` and folds in the scrapes of the history before `time`.
    @discardableResult
    public func rebuild(_ store: MetricStore, at time: Date) async throws(RecordingError) -> Result<ScrapeResult, ScrapeFailure>? {
        await store.reset(interval: .seconds(header.intervalSeconds))
        guard let end = scrapePosition(atOrBefore: time) else { return nil }
        // The history the live store held then: the scrapes of `historySeconds` before that last one.
        let last = reader.frames[scrapes[end]].time
        // (The live history keeps the scrapes at most `historySeconds` older than the newest, that one included.)
        let from = scrapePosition(atOrBefore: last.addingTimeInterval(-store.historySeconds - 1e-6)).map { $0 + 1 } ?? 0
        if from > 0 { await restoreTimeline(before: from, into: store) }
        return try await fold(from..<(end + 1), into: store)
    }

    /// The state changes and restarts of the scrapes before position `from`, from the index
    /// (flags and pid), each change at its scrape's exact time; a restart between the last of
    /// them and `from` too (the store cannot see it: it starts with no pid).
    func restoreTimeline(before from: Int, into store: MetricStore) async {
        var states: [(ObservedState, Date)] = []
        var restarts: [Restart] = []
        var previous: FrameRef?
        for position in 0...min(from, scrapes.count - 1) {
            let ref = reader.frames[scrapes[position]]
            let exact = { (try? self.record(at: position).time) ?? ref.time }
            if position < from, previous.map({ $0.flags >> 4 != ref.flags >> 4 }) ?? true, let state = ScrapeRecord.state(code: ref.flags >> 4) {
                states.append((state, exact()))
            }
            if let previous, previous.aux != 0, ref.aux != 0, previous.aux != ref.aux {
                restarts.append(Restart(time: exact(), oldPid: Int(previous.aux), newPid: Int(ref.aux), oldVersion: nil, newVersion: nil))
            }
            previous = ref
        }
        await store.restoreTimeline(states: states, restarts: restarts)
    }

    /// The metadata of the scrape at `position` (its body is not inflated).
    public func record(at position: Int) throws(RecordingError) -> ScrapeRecord {
        try Self.meta(try reader.payload(reader.frames[scrapes[position]])).record
    }

    /// A scrape payload's metadata, and where its body starts.
    static func meta(_ payload: [UInt8]) throws(RecordingError) -> (record: ScrapeRecord, bodyStart: Int) {
        try metaJSON(payload, as: ScrapeRecord.self)
    }

    /// A `[length u32][JSON][body]` payload's JSON, and where its body starts.
    static func metaJSON<T: Decodable>(_ payload: [UInt8], as type: T.Type) throws(RecordingError) -> (record: T, bodyStart: Int) {
        guard payload.count >= 4 else { throw .io("frame too short") }
        let metaLength = Int(UInt32(littleEndian: payload, at: 0))
        guard metaLength <= payload.count - 4 else { throw .io("frame's metadata cut short") }
        do {
            return (try ScrapeRecord.decoder.decode(T.self, from: Data(payload[4..<4 + metaLength])), 4 + metaLength)
        } catch {
            throw .io("frame's metadata unreadable")
        }
    }

    /// The frames of `kind` whose time is in `range`, in order.
    public func frames(_ kind: FrameKind, in range: ClosedRange<Date>) -> [FrameRef] {
        let low = Int64((range.lowerBound.timeIntervalSince1970 * 1e9).rounded())
        let high = Int64((range.upperBound.timeIntervalSince1970 * 1e9).rounded())
        return reader.frames.filter { $0.kind == kind.rawValue && $0.nanoseconds >= low && $0.nanoseconds <= high }
    }

    /// The spans of a spans frame.
    public func spans(_ ref: FrameRef) throws(RecordingError) -> [SpanRecord] {
        let payload = try reader.payload(ref)
        do {
            let bytes = try Zlib.decompress(payload, limit: RecordingFormat.maxPayload)
            return try OTLPSpans.decode(protobuf: bytes).spans
        } catch {
            throw .io("span frame: \(error)")
        }
    }

    /// The log lines of a logs frame.
    public func logLines(_ ref: FrameRef) throws(RecordingError) -> [LogLine] {
        let payload = try reader.payload(ref)
        do {
            let bytes = try Zlib.decompress(payload, limit: RecordingFormat.maxPayload)
            return bytes.split(separator: UInt8(ascii: "\n")).map { LogLineParser.parse($0) }
        } catch {
            throw .io("log frame: \(error)")
        }
    }

    /// The file name and bytes of a profile frame.
    public func profile(_ ref: FrameRef) throws(RecordingError) -> (name: String, bytes: [UInt8]) {
        let payload = try reader.payload(ref)
        guard payload.count >= 4 else { throw .io("profile frame too short") }
        let length = Int(UInt32(littleEndian: payload, at: 0))
        guard length <= payload.count - 4, length <= 1024 else { throw .io("profile frame's name cut short") }
        let name = String(decoding: payload[4..<4 + length], as: UTF8.self)
        // Only a plain file name (it becomes a path in the replay's directory).
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else { throw .io("profile frame's name is not a file name") }
        return (name, Array(payload[(4 + length)...]))
    }

    /// The note of a note frame.
    public func note(_ ref: FrameRef) throws(RecordingError) -> RecordedNote {
        do {
            return try ScrapeRecord.decoder.decode(RecordedNote.self, from: Data(try reader.payload(ref)))
        } catch let error as RecordingError {
            throw error
        } catch {
            throw .io("note frame unreadable")
        }
    }
}
