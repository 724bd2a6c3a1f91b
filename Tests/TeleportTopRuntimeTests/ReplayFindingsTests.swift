import Foundation
import TeleportCore
import TeleportTopData
import Testing

@testable import TeleportTopRuntime

/// A replay's findings: the background pass over a recording notes the moment a finding
/// opened (what `)` jumps to), and nothing before it.
@Suite("Replay findings: the moments findings opened")
struct ReplayFindingsTests {
    static let t0 = Date(timeIntervalSince1970: 1_780_000_000)

    /// Scrape `n` (every 2 s): 30 connected resources until 300 s, then 5.
    static func body(_ n: Int) -> [UInt8] {
        let connected = n < 150 ? 30 : 5
        let text = """
            # TYPE teleport_connected_resources gauge
            teleport_connected_resources{type="node"} \(connected)
            # TYPE process_state gauge
            process_state 0

            """
        return Array(text.utf8)
    }

    @Test("The pass over a recording notes when the tunnels dropped, within a minute, and nothing before; ) lands there, ( comes back")
    func openingMoment() async throws {
        let dir = NSTemporaryDirectory() + "tt-replay-findings-\(UUID().uuidString)"
        let writer = try RecordingWriter(
            directory: dir,
            header: { number in
                RecordingFormat.Header(
                    created: Self.t0, segment: number, sources: ["target test"], intervalSeconds: 2, historySeconds: 600, writer: "test")
            })
        let recorder = Recorder(writer: writer)
        for n in 0..<200 {
            let body = Self.body(n)
            recorder.scrape(
                .success(
                    ScrapeResult(
                        time: Self.t0.addingTimeInterval(Double(n) * 2), duration: .milliseconds(2), bytes: body.count,
                        families: try ExpositionParser().parse(body), body: body)), interval: .seconds(2))
        }
        recorder.close()

        let store = MetricStore(target: "test", interval: .seconds(2), history: .seconds(600))
        let queue = EventQueue(dataLimit: 1000)
        let findings = ReplayFindings(members: [.init(id: 0, instance: nil, store: store)], options: .init(), queue: queue)
        let driver = ReplayDriver(playback: try RecordingPlayback(path: dir), store: store, spans: SpanStore(), queue: queue)
        await driver.setFindings(onCursor: { await findings.moved(to: $0) }, moments: { await findings.openings() })
        await driver.start(at: nil, speed: 1, play: false)
        await driver.stop()
        await findings.index(path: dir, interval: .seconds(2), history: .seconds(600), instances: [])
        let deadline = ContinuousClock.now + .seconds(60)
        var moments: [Date] = []
        while ContinuousClock.now < deadline {
            let (found, note) = await findings.openings()
            if note == nil {
                moments = found
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let drop = Self.t0.addingTimeInterval(300)
        let first = try #require(moments.first, "no moment noted")
        #expect(first > drop && first <= drop.addingTimeInterval(60), "first moment \(first), the drop at \(drop)")
        #expect(!moments.contains { $0 <= drop })

        // `)` from the start lands on that moment, and the store there holds its scrape; `(`
        // from the end comes back to the last moment.
        #expect(driver.now == Self.t0)
        await driver.handle(.finding(1))
        #expect(driver.now == first)
        #expect(await store.newestScrapeTime == first)
        await driver.handle(.toEnd)
        await driver.handle(.finding(-1))
        #expect(driver.now == moments.last)
        await findings.stop()
    }
}
