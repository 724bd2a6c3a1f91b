import Foundation
import Synchronization
import TeleportCore
import Testing

@testable import TeleportTopData

@Suite("Findings: the engine on the seam")
struct FindingsEngineTests {
    @Test("Attached to the seam, the engine evaluates every few scrapes and publishes through it, timed by the scrapes")
    func publishesThroughSeam() async throws {
        let seam = ScrapeSeam(shape: .single, window: 600)
        let engine = FindingsEngine(options: .init(every: 3))
        engine.attach(to: seam)
        let heard = Mutex<[ScrapeSeam.FindingsUpdate]>([])
        seam.connectFindings { update in heard.withLock { $0.append(update) } }
        let store = MetricStore(target: "t", interval: .seconds(2))
        let member = ScrapeSeam.Member(id: 0, name: "t", store: store)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        for i in 0..<3 {
            let families = [HistoryBuilder.gauge("process_open_fds", 990), HistoryBuilder.gauge("process_max_fds", 1000)]
            let scrape = ScrapeResult(time: t0.addingTimeInterval(Double(i) * 2), duration: .milliseconds(5), bytes: 100, families: families)
            await seam.deliver(.success(scrape), to: member, interval: .seconds(2), row: .none)
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while heard.withLock({ $0.isEmpty }), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let update = try #require(heard.withLock { $0.first })
        #expect(update.id == 0)
        #expect(update.report.time == t0.addingTimeInterval(4))
        #expect(update.report.findings.first?.check == "open-fds")
        #expect(update.report.findings.first?.severity == .critical)
        #expect(engine.latest(0).findings.count == update.report.findings.count)
        #expect(heard.withLock { $0.count } == 1)  // 3 scrapes, every 3: one evaluation
    }

    @Test("At 1 s the engine evaluates every 5 scrapes, not 3: at most one evaluation per 5 s of polling")
    func fiveSecondFloor() async throws {
        let seam = ScrapeSeam(shape: .single, window: 600)
        let engine = FindingsEngine(options: .init(every: 3))
        engine.attach(to: seam)
        let heard = Mutex<[ScrapeSeam.FindingsUpdate]>([])
        seam.connectFindings { update in heard.withLock { $0.append(update) } }
        let store = MetricStore(target: "t", interval: .seconds(1))
        let member = ScrapeSeam.Member(id: 0, name: "t", store: store)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        func deliver(_ i: Int) async {
            let scrape = ScrapeResult(
                time: t0.addingTimeInterval(Double(i)), duration: .milliseconds(5), bytes: 100, families: [HistoryBuilder.gauge("go_goroutines", 10)])
            await seam.deliver(.success(scrape), to: member, interval: .seconds(1), row: .none)
        }
        for i in 0..<4 { await deliver(i) }
        // Four scrapes at 1 s: not due. Wait for anything in flight, then check none came.
        try await Task.sleep(for: .milliseconds(300))
        #expect(heard.withLock { $0.isEmpty })
        await deliver(4)
        let deadline = ContinuousClock.now + .seconds(30)
        while heard.withLock({ $0.isEmpty }), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let update = try #require(heard.withLock { $0.first })
        #expect(update.report.time == t0.addingTimeInterval(4))
    }
}
