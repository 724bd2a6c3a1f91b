import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopUI
import Testing

@testable import TeleportTopRuntime

/// The replay driver over recordings written here: playing forward and seeking land on the
/// same store; a recording still being written is followed from its end.
@Suite("Replay driver")
struct ReplayDriverTests {
    static let t0 = Date(timeIntervalSince1970: 1_780_000_000)

    static func body(_ n: Int) -> [UInt8] {
        var text = "# TYPE backend_requests counter\n"
        for c in ["auth", "proxy"] { text += "backend_requests{component=\"\(c)\"} \(n * n + c.count)\n" }
        text += "# TYPE grpc_latency histogram\n"
        var cumulative = 0
        for (i, le) in ["0.01", "0.1", "+Inf"].enumerated() {
            cumulative += (n % 7) * (i + 1) + n
            text += "grpc_latency_bucket{le=\"\(le)\"} \(cumulative)\n"
        }
        text += "grpc_latency_sum \(n)\ngrpc_latency_count \(cumulative)\n# TYPE process_state gauge\nprocess_state \(n / 10 % 2 == 1 ? 2 : 0)\n"
        return Array(text.utf8)
    }

    static func write(_ recorder: Recorder, _ range: Range<Int>) throws {
        for n in range {
            let body = body(n)
            let time = t0.addingTimeInterval(Double(n) * 2)
            recorder.scrape(
                .success(
                    ScrapeResult(
                        time: time, duration: .milliseconds(2), bytes: body.count, families: try ExpositionParser().parse(body),
                        body: body)), interval: .seconds(2))
            if n % 4 == 0 { recorder.logs([LogLine(time: time, level: "INFO", message: "scrape \(n)", component: "auth")], at: time) }
        }
    }

    static func writer(_ dir: String) throws -> RecordingWriter {
        try RecordingWriter(
            directory: dir,
            header: { number in
                RecordingFormat.Header(created: t0, segment: number, sources: ["target test"], intervalSeconds: 2, historySeconds: 120, writer: "test")
            })
    }

    static func document(_ store: MetricStore) async throws -> String {
        let snapshot = await store.snapshot()
        return String(decoding: try SnapshotDocument.encoder().encode(SnapshotDocument(snapshot, source: "x", now: t0)), as: UTF8.self)
    }

    @Test("Played forward a step at a time or sought to at once (back and forth), the store is the same")
    func forwardEqualsSeek() async throws {
        let dir = NSTemporaryDirectory() + "tt-replay-\(UUID().uuidString)"
        let recorder = Recorder(writer: try Self.writer(dir))
        try Self.write(recorder, 0..<200)
        recorder.close()
        let playback = try RecordingPlayback(path: dir)
        let played = MetricStore(target: "t", interval: .seconds(2), history: .seconds(120))
        let driver = ReplayDriver(playback: playback, store: played, spans: SpanStore(), queue: EventQueue(dataLimit: 1000))
        await driver.start(at: nil, speed: 1, play: false)
        await driver.stop()
        for time in [37.0, 151.0, 299.0, 398.0] {
            // Forward from where it stands, in steps of 3 s ...
            var at = driver.now
            while at < Self.t0.addingTimeInterval(time) {
                at = min(at.addingTimeInterval(3), Self.t0.addingTimeInterval(time))
                await driver.forward(to: at)
            }
            // ... equals a store built at that time from nothing.
            let (sought, _) = try await playback.store(at: Self.t0.addingTimeInterval(time), target: "t", history: .seconds(120))
            #expect(try await Self.document(played) == (try await Self.document(sought)), "at \(time) s")
        }
        // Back: the driver rebuilds.
        await driver.handle(.jump("2026-05-28T20:28:20Z"))  // t0 + 100 s... in ISO
        let (sought, _) = try await playback.store(at: driver.now, target: "t", history: .seconds(120))
        #expect(try await Self.document(played) == (try await Self.document(sought)))
        await driver.handle(.toStart)
        #expect(driver.now == Self.t0)
        await driver.handle(.step(1))
        #expect(driver.now == Self.t0.addingTimeInterval(2))
        await driver.handle(.change(1))
        #expect(driver.now == Self.t0.addingTimeInterval(20), "process_state turns degraded at scrape 10")
        await driver.handle(.change(1))
        #expect(driver.now == Self.t0.addingTimeInterval(40))
        await driver.handle(.change(-1))
        #expect(driver.now == Self.t0.addingTimeInterval(20))
    }

    @Test("A recording still being written: } follows its end as frames arrive")
    func followsTheEnd() async throws {
        let dir = NSTemporaryDirectory() + "tt-replay-live-\(UUID().uuidString)"
        let recorder = Recorder(writer: try Self.writer(dir))
        try Self.write(recorder, 0..<10)
        let playback = try RecordingPlayback(path: dir)
        let queue = EventQueue(dataLimit: 1000)
        let store = MetricStore(target: "t", interval: .seconds(2), history: .seconds(120))
        let driver = ReplayDriver(playback: playback, store: store, spans: SpanStore(), queue: queue)
        await driver.start(at: nil, speed: 1, play: false)
        await driver.stop()
        await driver.handle(.toEnd)
        #expect(driver.now == Self.t0.addingTimeInterval(18))
        try Self.write(recorder, 10..<20)
        _ = queue.drain()
        await driver.tick()
        #expect(driver.now == Self.t0.addingTimeInterval(18).addingTimeInterval(0.1), "played on at ×1")
        // Far behind the new end: following plays on and keeps up, ×60.
        await driver.handle(.speed(5))
        await driver.handle(.toEnd)
        #expect(driver.now == Self.t0.addingTimeInterval(38))
        #expect(await store.scrapeCount == 20)
        let events = queue.drain()
        let statuses = events.compactMap { if case .replay(let status) = $0 { return status } else { return nil } }
        #expect(statuses.last?.following == true && statuses.last?.playing == true && statuses.last?.speed == 60)
        #expect(events.contains { if case .logLines = $0 { return true } else { return false } })
        recorder.close()
    }

    @Test("A recorded profile comes back as a saved capture: the same bytes, 0600, in the replay's directory; a hostile name is refused")
    func profiles() async throws {
        let dir = NSTemporaryDirectory() + "tt-replay-prof-\(UUID().uuidString)"
        let recorder = Recorder(writer: try Self.writer(dir))
        try Self.write(recorder, 0..<3)
        let source = NSTemporaryDirectory() + "tt-prof-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        let file = source + "/127.0.0.1_3000-heap-20260528T202642Z.pb.gz"
        let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        recorder.profile(path: file, at: Self.t0.addingTimeInterval(2))
        // A frame whose name would leave the directory.
        var hostile: [UInt8] = []
        let name = Array("../../escape.pb.gz".utf8)
        hostile += withUnsafeBytes(of: UInt32(name.count).littleEndian, Array.init)
        hostile += name + [1, 2, 3]
        recorder.writer.append(RecordedFrame(kind: FrameKind.profile.rawValue, time: Self.t0.addingTimeInterval(3), payload: hostile))
        try Self.write(recorder, 3..<5)
        recorder.close()
        let replayed = NSTemporaryDirectory() + "tt-replayed-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: replayed, withIntermediateDirectories: true)
        let queue = EventQueue(dataLimit: 1000)
        let driver = ReplayDriver(
            playback: try RecordingPlayback(path: dir), store: MetricStore(target: "t", interval: .seconds(2)), spans: SpanStore(),
            queue: queue, profileDirectory: replayed)
        await driver.start(at: Self.t0.addingTimeInterval(8), speed: 1, play: false)
        await driver.stop()
        let captures = queue.drain().compactMap { event -> (ProfileKind, String, Int)? in
            if case .profile(.replayed(let kind, _, let path, let count)) = event { return (kind, path, count) } else { return nil }
        }
        #expect(captures.count == 1)
        #expect(captures.first?.0 == .heap && captures.first?.2 == 5000)
        let path = try #require(captures.first?.1)
        #expect(path == replayed + "/127.0.0.1_3000-heap-20260528T202642Z.pb.gz")
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == bytes)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: NSTemporaryDirectory() + "escape.pb.gz"))
    }

    @Test("A scrape written after a frame of a later time (a log line that came while it was parsed) is applied at its own time")
    func outOfOrderFrames() async throws {
        let dir = NSTemporaryDirectory() + "tt-replay-order-\(UUID().uuidString)"
        let recorder = Recorder(writer: try Self.writer(dir))
        try Self.write(recorder, 0..<1)
        recorder.logs(
            [LogLine(time: Self.t0.addingTimeInterval(2.5), level: "INFO", message: "while scrape 1 was parsed")], at: Self.t0.addingTimeInterval(2.5))
        try Self.write(recorder, 1..<3)
        recorder.close()
        let store = MetricStore(target: "t", interval: .seconds(2), history: .seconds(120))
        let driver = ReplayDriver(playback: try RecordingPlayback(path: dir), store: store, spans: SpanStore(), queue: EventQueue(dataLimit: 1000))
        await driver.start(at: nil, speed: 1, play: false)
        await driver.stop()
        #expect(await store.scrapeCount == 1)
        await driver.handle(.step(1))
        #expect(driver.now == Self.t0.addingTimeInterval(2))
        #expect(await store.scrapeCount == 2, "the scrape at 2 s is applied though a frame of 2.5 s precedes it in the file")
        await driver.handle(.step(1))
        #expect(await store.scrapeCount == 3)
    }
}
