import Foundation
import TeleportTopTestPeers
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// The recording file format: frames as written, torn tails, corrupt frames, foreign and
/// newer files, rotation and retention, a full disk.
@Suite("Recording files")
struct RecordingFileTests {
    static func header(_ number: Int) -> RecordingFormat.Header { RecordingFixtures.header(number) }

    static func writer(_ directory: String, limits: RecordingWriter.Limits = .init(), notices: NoticeLog? = nil) throws -> RecordingWriter {
        try RecordingWriter(directory: directory, limits: limits, header: header, onNotice: { notices?.add($0) })
    }

    /// A small exposition body whose counter and histogram move with `n`.
    static func body(_ n: Int) -> [UInt8] {
        var text = "# HELP backend_requests Requests.\n# TYPE backend_requests counter\n"
        for component in ["auth", "proxy", "node"] { text += "backend_requests{component=\"\(component)\"} \(n * 7 + component.count)\n" }
        text += "# HELP grpc_latency Latency.\n# TYPE grpc_latency histogram\n"
        var cumulative = 0
        for (i, le) in ["0.005", "0.05", "0.5", "+Inf"].enumerated() {
            cumulative += n * (i + 1)
            text += "grpc_latency_bucket{le=\"\(le)\"} \(cumulative)\n"
        }
        text += "grpc_latency_sum \(Double(n) * 0.3)\ngrpc_latency_count \(cumulative)\n"
        text += "# HELP process_state State.\n# TYPE process_state gauge\nprocess_state \(n % 5 == 4 ? 2 : 0)\n"
        return Array(text.utf8)
    }

    static func scrape(_ n: Int, at time: Date) throws -> ScrapeResult {
        let body = body(n)
        return ScrapeResult(
            time: time, duration: .milliseconds(3), bytes: body.count, families: try ExpositionParser().parse(body), body: body,
            contentType: "text/plain; version=0.0.4")
    }

    static let t0 = Date(timeIntervalSince1970: 1_780_000_000)

    /// A directory with `count` scrapes 2 s apart (and a span-less log frame every third).
    static func recording(_ directory: String, count: Int, limits: RecordingWriter.Limits = .init()) throws {
        let recorder = Recorder(writer: try writer(directory, limits: limits))
        for n in 0..<count {
            let time = t0.addingTimeInterval(Double(n) * 2)
            recorder.scrape(.success(try scrape(n, at: time)), interval: .seconds(2))
            if n % 3 == 2 { recorder.logs([LogLine(time: time, level: "INFO", message: "line \(n)", component: "auth")], at: time) }
        }
        recorder.close()
    }

    @Test("Frames come back as written, an unknown kind included; scrape bodies inflate against the previous one exactly")
    func roundTrip() async throws {
        let dir = Paths.temporaryDirectory("rec-roundtrip").appendingPathComponent("new").path
        let writer = try Self.writer(dir)
        var written: [RecordedFrame] = []
        for n in 0..<40 {
            let payload = (0..<(n * 37 % 500)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n) }
            let frame = RecordedFrame(
                kind: n == 17 ? 99 : FrameKind.note.rawValue, flags: UInt8(n % 256), aux: UInt32(n * 1000),
                time: Self.t0.addingTimeInterval(Double(n)), payload: payload)
            #expect(writer.append(frame) == .written)
            written.append(frame)
        }
        writer.close()
        let reader = try RecordingReader(path: dir)
        #expect(reader.skipped == 0 && reader.tornBytes == 0)
        #expect(try reader.frames.map { try reader.frame($0) } == written)
        // Every file 0600, the directory 0700.
        for path in RecordingReader.segmentPaths(in: dir) {
            #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        }
        #expect((try FileManager.default.attributesOfItem(atPath: dir)[.posixPermissions] as? Int) == 0o700)

        let scrapes = Paths.temporaryDirectory("rec-scrapes").path
        try Self.recording(scrapes, count: 150)
        let playback = try RecordingPlayback(path: scrapes)
        #expect(playback.scrapes.count == 150)
        let flags = playback.scrapes.map { playback.reader.frames[$0].flags & ScrapeRecord.compressedAgainstPrevious }
        #expect(flags.filter { $0 == 0 }.count == 3, "one scrape in \(Recorder.keyframeEvery) stands alone")
        // Backwards, so each body is found through its chain, and forwards.
        for position in (0..<150).reversed() + Array(0..<150) {
            #expect(try playback.scrape(at: position).body == Self.body(position))
        }
    }

    @Test("Failed scrapes between two bodies (a target down, then back): the body after them inflates against the one before them")
    func failuresBetween() async throws {
        let dir = Paths.temporaryDirectory("rec-failures").path
        let recorder = Recorder(writer: try Self.writer(dir))
        var expected: [Int: [UInt8]] = [:]
        for n in 0..<40 {
            let time = Self.t0.addingTimeInterval(Double(n) * 2)
            if (10..<15).contains(n) || n == 30 {
                recorder.scrape(.failure(ScrapeFailure(time: time, error: .refused(target: "t"), retryAt: nil)), interval: .seconds(2))
            } else {
                recorder.scrape(.success(try Self.scrape(n, at: time)), interval: .seconds(2))
                expected[n] = Self.body(n)
            }
        }
        recorder.close()
        let playback = try RecordingPlayback(path: dir)
        // Backwards (each found through its chain) and forwards.
        for position in (0..<40).reversed() + Array(0..<40) {
            let scrape = try playback.scrape(at: position)
            #expect(scrape.body == (expected[position] ?? []), "scrape \(position)")
        }
        // Folded as a replay does: down for five scrapes, then ok again, all in the timeline.
        let (store, _) = try await playback.store(at: Self.t0.addingTimeInterval(78), target: "t", history: .seconds(600))
        #expect(await store.scrapeCount == 34)
        let states = await store.snapshot().timeline.transitions.map(\.to)
        #expect(states.filter { $0 == .unreachable }.count == 2, "\(states)")
    }

    @Test("A recording cut at every byte inside its last three frames opens and replays up to the last whole frame")
    func tornTail() async throws {
        let dir = Paths.temporaryDirectory("rec-torn").path
        try Self.recording(dir, count: 12)
        let path = try #require(RecordingReader.segmentPaths(in: dir).first)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let whole = try RecordingReader(path: path)
        let frames = whole.frames
        #expect(frames.count == 16)
        let cutFrom = frames[frames.count - 3].offset - RecordingFormat.frameHeaderSize
        let torn = Paths.temporaryDirectory("rec-torn-cut").appendingPathComponent("cut.ttrec").path
        for cut in cutFrom..<bytes.count {
            try Data(bytes[0..<cut]).write(to: URL(fileURLWithPath: torn))
            let reader = try RecordingReader(path: torn)
            let expected = frames.filter { $0.offset + $0.length <= cut }.count
            #expect(reader.frames.count == expected, "cut at \(cut)")
            #expect(reader.skipped == 0, "cut at \(cut)")
            #expect(reader.tornBytes == cut - (frames[expected - 1].offset + frames[expected - 1].length), "cut at \(cut)")
        }
        // The last whole scrape replays.
        try Data(bytes[0..<(bytes.count - 5)]).write(to: URL(fileURLWithPath: torn))
        let playback = try RecordingPlayback(path: torn)
        let (store, last) = try await playback.store(at: Self.t0.addingTimeInterval(3600), target: "t", history: .seconds(600))
        #expect(await store.scrapeCount == playback.scrapes.count)
        if case .success(let scrape)? = last { #expect(scrape.body == Self.body(playback.scrapes.count - 1)) } else { Issue.record("no last scrape") }
    }

    @Test("A corrupt frame in the middle is skipped and counted, and so is a corrupt length; the rest replays")
    func corruptFrames() async throws {
        let dir = Paths.temporaryDirectory("rec-corrupt").path
        try Self.recording(dir, count: 12)
        let path = try #require(RecordingReader.segmentPaths(in: dir).first)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let frames = try RecordingReader(path: path).frames
        // A payload byte of a log frame (flipped), and the length field of a later scrape.
        let log = try #require(frames.firstIndex { $0.kind == FrameKind.logs.rawValue })
        bytes[frames[log].offset + 3] ^= 0x40
        let scrapeIndex = try #require(frames.indices.last { frames[$0].kind == FrameKind.scrape.rawValue && $0 < frames.count - 3 })
        bytes[frames[scrapeIndex].offset - RecordingFormat.frameHeaderSize + 17] ^= 0x7F
        let file = Paths.temporaryDirectory("rec-corrupt-copy").appendingPathComponent("c.ttrec").path
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let reader = try RecordingReader(path: file)
        #expect(reader.skipped == 2)
        #expect(reader.frames.count == frames.count - 2)
        let kept: [Int64] = frames.indices.filter { $0 != log && $0 != scrapeIndex }.map { frames[$0].nanoseconds }
        #expect(reader.frames.map(\.nanoseconds) == kept)
        // The scrape after the lost one was compressed against it: replay goes on from the next scrape that stands alone,
        // and says what it could not read instead of crashing.
        let playback = RecordingPlayback(reader: reader)
        let store = MetricStore(target: "t", interval: .seconds(2))
        var readable = 0
        for position in playback.scrapes.indices {
            if (try? await playback.fold(position..<(position + 1), into: store)) != nil { readable += 1 }
        }
        #expect(readable >= scrapeIndex / 2)
    }

    @Test("A truncated header, a foreign file, a newer version: one-line errors")
    func headerErrors() throws {
        let dir = Paths.temporaryDirectory("rec-header").path
        try Self.recording(dir, count: 2)
        let path = try #require(RecordingReader.segmentPaths(in: dir).first)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let scratch = Paths.temporaryDirectory("rec-header-cases")
        func open(_ data: [UInt8]) -> String {
            let file = scratch.appendingPathComponent("f-\(UUID().uuidString).ttrec").path
            try? Data(data).write(to: URL(fileURLWithPath: file))
            do {
                _ = try RecordingReader(path: file)
                return "opened"
            } catch {
                return error.description
            }
        }
        for cut in [0, 4, 9, 13, 40] {
            #expect(open(Array(bytes[0..<cut])) == "the recording's header is cut short", "cut \(cut)")
        }
        #expect(open(Array("<html>not a recording</html>".utf8)) == "not a teleport-top recording (no TTOPREC magic)")
        #expect(open(Array("ab".utf8)) == "not a teleport-top recording (no TTOPREC magic)")
        var newer = bytes
        newer[8] = 3
        #expect(open(newer).contains("format version 3; this teleport-top reads up to 2: use a newer teleport-top"))
        var corrupt = bytes
        corrupt[20] ^= 1
        #expect(open(corrupt).contains("header is corrupt"))
        let empty = Paths.temporaryDirectory("rec-empty").path
        #expect(throws: RecordingError.empty(empty)) { try RecordingReader(path: empty) }
        for message in [open(newer), open(corrupt), open(Array(bytes[0..<13]))] { #expect(!message.contains("\n")) }
    }

    @Test("The header's sources are typed (version 2); a version 1 header's prefixed lines read into the same value")
    func headerVersions() throws {
        let sources = RecordedSources(
            fleet: "Prometheus http://p:9090", prometheus: .init(selector: #"{job="teleport"}"#, instanceLabel: "pod"), logs: "/var/lib/teleport/debug.sock",
            spans: ["OTLP gRPC 127.0.0.1:4317", "embedded engine"])
        let header = RecordingFormat.Header(
            created: Date(timeIntervalSince1970: 1_780_000_000), segment: 3, sources: sources, intervalSeconds: 2, historySeconds: 600, writer: "test")
        for format: UInt16 in [1, 2] {
            let bytes = RecordingFormat.encode(header, as: format)
            #expect(bytes[8] == UInt8(format))
            let (read, size) = try RecordingFormat.decodeHeader(bytes[...])
            #expect(size == bytes.count)
            #expect(read == header, "version \(format)")
        }
        // What version 1 wrote, as it wrote it.
        let v1 = String(decoding: RecordingFormat.encode(header, as: 1), as: UTF8.self)
        #expect(v1.contains("prometheus-instance-label pod") && v1.contains("spans embedded engine") && v1.contains("fleet Prometheus"))
        #expect(
            RecordedSources(lines: ["target a", "instance b", "instance c", "unknown x", "spans s"])
                == RecordedSources(target: "a", instances: ["b", "c"], spans: ["s"]))
        #expect(RecordingFormat.version == 2)
    }

    @Test("Rotation by size and age keeps at most the configured segments; each segment replays on its own")
    func rotation() async throws {
        let dir = Paths.temporaryDirectory("rec-rotation").path
        let limits = RecordingWriter.Limits(segmentSize: 8 << 10, maxSize: 32 << 10, maxAge: 7 * 86_400)
        try Self.recording(dir, count: 400, limits: limits)
        let segments = RecordingReader.segmentPaths(in: dir)
        let sizes = try segments.map { try FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int ?? 0 }
        #expect(segments.count >= 3 && segments.count <= 5, "\(sizes)")
        #expect(sizes.reduce(0, +) <= limits.maxSize + limits.segmentSize)
        #expect((segments.last! as NSString).lastPathComponent.hasPrefix("0000"))
        for segment in segments {
            let playback = try RecordingPlayback(path: segment)
            #expect(playback.reader.frames.first?.kind == FrameKind.scrape.rawValue)
            let first = try #require(playback.scrapes.first)
            #expect(playback.reader.frames[first].flags & ScrapeRecord.compressedAgainstPrevious == 0, "a segment's first scrape stands alone")
            for position in playback.scrapes.indices { _ = try playback.scrape(at: position) }
        }
        // The whole directory replays across segments.
        let whole = try RecordingPlayback(path: dir)
        var perSegment = 0
        for segment in segments { perSegment += try RecordingPlayback(path: segment).scrapes.count }
        #expect(whole.scrapes.count == perSegment)

        // Age: segments last written two days ago go at the next rotation.
        let aged = Paths.temporaryDirectory("rec-age").path
        let ageLimits = RecordingWriter.Limits(segmentSize: 4 << 10, maxSize: 1 << 30, maxAge: 86_400)
        try Self.recording(aged, count: 60, limits: ageLimits)
        let before = RecordingReader.segmentPaths(in: aged)
        #expect(before.count > 2)
        for path in before { try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-2 * 86_400)], ofItemAtPath: path) }
        try Self.recording(aged, count: 8, limits: ageLimits)
        let after = RecordingReader.segmentPaths(in: aged)
        #expect(Set(after).isDisjoint(with: before), "old segments removed: \(after)")
        #expect(after.count <= 3)
    }

    @Test("A full disk: said once, nothing torn, writing resumes when there is room and the next scrape stands alone")
    func diskFull() async throws {
        let dir = Paths.temporaryDirectory("rec-full").path
        let notices = NoticeLog()
        let writer = try Self.writer(dir, limits: .init(segmentSize: 2 << 10, maxSize: 1 << 30, maxAge: 86_400), notices: notices)
        let recorder = Recorder(writer: writer)
        var n = 0
        func scrape() throws {
            recorder.scrape(.success(try Self.scrape(n, at: Self.t0.addingTimeInterval(Double(n) * 2))), interval: .seconds(2))
            n += 1
        }
        // The next segment's file is /dev/full: the kernel answers ENOSPC to every write into it.
        while RecordingReader.segmentPaths(in: dir).count < 3 {
            let next = String(format: "%@/%06d.ttrec", dir, writer.segment + 1)
            _ = unlink(next)
            #expect(symlink("/dev/full", next) == 0)
            for _ in 0..<40 { try scrape() }
        }
        recorder.close()
        let said = notices.all
        #expect(said.filter { $0.hasPrefix("recording paused: disk full") }.count >= 1)
        #expect(said.contains { $0.hasPrefix("recording resumed") })
        // Never two "paused" in a row: once per episode.
        #expect(!zip(said, said.dropFirst()).contains { $0.0.hasPrefix("recording paused") && $0.1.hasPrefix("recording paused") })
        let playback = try RecordingPlayback(path: dir)
        #expect(playback.reader.skipped == 0 && playback.reader.tornBytes == 0)
        for position in playback.scrapes.indices { _ = try playback.scrape(at: position) }
    }
}

/// Notices a writer gave, in order.
final class NoticeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var notices: [String] = []
    func add(_ notice: String) { lock.withLock { notices.append(notice) } }
    var all: [String] { lock.withLock { notices } }
}
