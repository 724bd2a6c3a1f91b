import Foundation
import Synchronization
import TeleportCore
import TeleportOTLP

/// Turns what the dashboard's sources produce into frames and appends them: scrape outcomes
/// (the body compressed against the previous body of the same target; every
/// `keyframeEvery`-th, and the first of each segment, alone), span batches, log lines and notes.
/// Safe to call from any thread; each call writes its frame before returning.
public final class Recorder: Sendable {
    public let writer: RecordingWriter
    /// A scrape compressed alone this often (seeking decompresses from one).
    public static let keyframeEvery = 64

    private struct Chain {
        var segment: Int
        var body: [UInt8]
        var count: Int
    }

    private let chains = Mutex<[String: Chain]>([:])
    private let counts = Mutex(RecordingTally())

    /// What was written so far.
    public var tally: RecordingTally { counts.withLock { $0 } }

    /// Appends a frame and counts it.
    @discardableResult
    private func append(_ frame: RecordedFrame, _ count: (inout RecordingTally) -> Void = { _ in }) -> RecordingWriter.Appended {
        let appended = writer.append(frame)
        if case .written = appended {
            counts.withLock { tally in
                tally.note(frame, bytes: RecordingFormat.encode(frame).count)
                count(&tally)
            }
        }
        return appended
    }

    public init(writer: RecordingWriter) {
        self.writer = writer
    }

    /// A scrape's outcome, as the poller handed it over; `target` names a fleet's instance.
    public func scrape(_ outcome: Result<ScrapeResult, ScrapeFailure>, target: String = "", interval: Duration) {
        var record = ScrapeRecord(target: target, durationSeconds: 0, wireBytes: 0, intervalSeconds: interval.seconds)
        let time: Date
        var body: [UInt8] = []
        var state: ObservedState
        var pid: Int?
        switch outcome {
        case .success(let scrape):
            time = scrape.time
            record.started = scrape.started
            record.durationSeconds = scrape.duration.seconds
            record.wireBytes = scrape.bytes
            record.contentType = scrape.contentType
            record.healthy = scrape.healthy
            record.readyz = scrape.readyz
            body = scrape.body
            state = MetricStore.state(readyz: scrape.readyz, families: scrape.families)
            pid = scrape.readyz?.pid
        case .failure(let failure):
            time = failure.time
            record.failure = .init(failure.error)
            record.retryAt = failure.retryAt
            record.readyz = failure.readyz
            state = failure.readyz?.state.map(ObservedState.init) ?? ObservedState(failure: failure.error)
            pid = failure.readyz?.pid
        }
        record.time = time
        let meta = Array((try? ScrapeRecord.encoder.encode(record)) ?? Data())
        var flags = ScrapeRecord.stateCode(state) << 4
        if case .failure = outcome { flags |= ScrapeRecord.failed }
        chains.withLock { chains in
            let segment = writer.prepare()
            var compressed: [UInt8] = []
            if case .success = outcome {
                if let chain = chains[target], chain.segment == segment, chain.count % Self.keyframeEvery != 0 {
                    compressed = DeltaBody.encode(body, previous: chain.body)
                    flags |= ScrapeRecord.compressedAgainstPrevious
                } else {
                    compressed = Zlib.compress(body)
                }
            }
            var payload: [UInt8] = []
            payload.appendLittleEndian(UInt32(meta.count))
            payload += meta
            payload += compressed
            let frame = RecordedFrame(
                kind: FrameKind.scrape.rawValue, flags: flags, aux: UInt32(truncatingIfNeeded: pid ?? 0), time: time,
                payload: payload)
            let appended = append(frame) { tally in
                if case .failure(let failure) = outcome {
                    tally.failed += 1
                    tally.lastFailure = failure.error.description
                } else {
                    tally.answered += 1
                }
            }
            switch appended {
            case .written:
                if case .success = outcome {
                    chains[target] = Chain(segment: segment, body: body, count: (chains[target].map { $0.segment == segment ? $0.count : 0 } ?? 0) + 1)
                }
            case .dropped:
                chains[target] = nil  // the next one stands alone
            }
        }
    }

    /// A batch of spans as they arrived (any source), as one OTLP request.
    public func spans(_ records: [SpanRecord], at time: Date = Date()) {
        guard !records.isEmpty, let request = try? OTLPSpans.encodeRequest(records) else { return }
        append(RecordedFrame(kind: FrameKind.spans.rawValue, aux: UInt32(clamping: records.count), time: time, payload: Zlib.compress(request))) {
            $0.spans += records.count
        }
    }

    /// Log lines as the Logs screen got them, as NDJSON.
    public func logs(_ lines: [LogLine], at time: Date = Date()) {
        guard !lines.isEmpty else { return }
        let text = lines.map { $0.ndjson() }.joined(separator: "\n")
        append(RecordedFrame(kind: FrameKind.logs.rawValue, aux: UInt32(clamping: lines.count), time: time, payload: Zlib.compress(Array(text.utf8)))) {
            $0.logLines += lines.count
        }
    }

    /// The largest profile file recorded (a bigger one is left out, with a note).
    public static let maxProfileBytes = 256 << 20

    /// A captured profile: its file name and bytes.
    public func profile(path: String, at time: Date = Date()) {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path), data.count <= Self.maxProfileBytes else {
            note(RecordedNote(kind: "profile", text: "profile \(name) not recorded (unreadable or larger than 256 MiB)"), at: time)
            return
        }
        var payload: [UInt8] = []
        let nameBytes = Array(name.utf8)
        payload.appendLittleEndian(UInt32(nameBytes.count))
        payload += nameBytes
        payload += data
        append(RecordedFrame(kind: FrameKind.profile.rawValue, aux: UInt32(clamping: data.count), time: time, payload: payload))
    }

    /// A Prometheus server's answer, as received.
    public func prometheus(_ exchange: PrometheusExchange) {
        guard let meta = try? ScrapeRecord.encoder.encode(exchange) else { return }
        var payload: [UInt8] = []
        payload.appendLittleEndian(UInt32(meta.count))
        payload += Array(meta)
        payload += Zlib.compress(exchange.body)
        append(RecordedFrame(kind: FrameKind.prometheus.rawValue, time: exchange.time, payload: payload)) {
            if exchange.status == 200 { $0.answered += 1 } else { $0.failed += 1 }
        }
    }

    /// A dashboard event worth replaying.
    public func note(_ note: RecordedNote, at time: Date = Date()) {
        guard let json = try? ScrapeRecord.encoder.encode(note) else { return }
        append(RecordedFrame(kind: FrameKind.note.rawValue, time: time, payload: Array(json)))
    }

    public func close() { writer.close() }
}

/// A note frame: a pace change, an injected failure, something the recorder says.
public struct RecordedNote: Codable, Sendable, Hashable {
    public var kind: String
    public var text: String

    public init(kind: String, text: String) {
        self.kind = kind
        self.text = text
    }
}
