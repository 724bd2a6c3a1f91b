import Foundation
import Synchronization
import TeleportCore
import Testing

@testable import TeleportTopData

@Suite("Findings: the engine on the seam")
struct FindingsEngineTests {
    /// The `count`th update heard (nil when it does not come within 30 s).
    static func update(_ count: Int, in heard: borrowing Mutex<[ScrapeSeam.FindingsUpdate]>) async -> ScrapeSeam.FindingsUpdate? {
        let deadline = ContinuousClock.now + .seconds(30)
        while heard.withLock({ $0.count < count }), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return heard.withLock { $0.count >= count ? $0[count - 1] : nil }
    }

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
        func deliver(_ i: Int) async {
            let families = [HistoryBuilder.gauge("process_open_fds", 990), HistoryBuilder.gauge("process_max_fds", 1000)]
            let scrape = ScrapeResult(time: t0.addingTimeInterval(Double(i) * 2), duration: .milliseconds(5), bytes: 100, families: families)
            await seam.deliver(.success(scrape), to: member, interval: .seconds(2), row: .none)
        }
        // The first answer is evaluated at once (one scrape: no slots yet, nothing found).
        await deliver(0)
        let first = try #require(await Self.update(1, in: heard))
        #expect(first.report.time == t0 && first.report.findings.isEmpty)
        // Then every 3 scrapes.
        for i in 1...3 { await deliver(i) }
        let update = try #require(await Self.update(2, in: heard))
        #expect(update.id == 0)
        #expect(update.report.time == t0.addingTimeInterval(6))
        #expect(update.report.findings.first?.check == "open-fds")
        #expect(update.report.findings.first?.severity == .critical)
        #expect(engine.latest(0).findings.count == update.report.findings.count)
        #expect(heard.withLock { $0.count } == 2)  // the first scrape, then 3 more: two evaluations
    }

    @Test("At 1 s the engine evaluates every 5 scrapes, not 3: at most one evaluation per 5 s of polling (the first answer at once)")
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
        await deliver(0)
        #expect(await Self.update(1, in: heard)?.report.time == t0)
        for i in 1...4 { await deliver(i) }
        // Four scrapes at 1 s: not due. Wait for anything in flight, then check none came.
        try await Task.sleep(for: .milliseconds(300))
        #expect(heard.withLock { $0.count } == 1)
        await deliver(5)
        #expect(await Self.update(2, in: heard)?.report.time == t0.addingTimeInterval(5))
    }
}
