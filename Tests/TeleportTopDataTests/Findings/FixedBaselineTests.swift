import Foundation
import TeleportCore
import Testing

@testable import TeleportTopData

@Suite("Findings: a fixed baseline (the dashboard's `b`)")
struct FixedBaselineTests {
    /// A gauge at 10 until 200 s, then 50: by 500 s the rolling baseline has caught up.
    static func stepped() -> HistoryBuilder {
        var builder = HistoryBuilder()
        builder.run(to: 500) { t in [HistoryBuilder.gauge("teleport_connected_resources", t < 200 ? 10 : 50)] }
        return builder
    }

    static func at(_ seconds: Double) -> Date { HistoryBuilder.t0.addingTimeInterval(seconds) }

    @Test("A change the rolling baseline has absorbed is found against a fixed baseline before it, and told as such")
    func fixedFindsOldChange() throws {
        let builder = Self.stepped()
        let rolling = builder.evaluate()
        #expect(rolling.coverage == .full)
        #expect(!rolling.findings.contains { $0.family == "teleport_connected_resources" })

        let interval = DateInterval(start: Self.at(0), end: Self.at(180))
        let fixed = FindingsEvaluator.evaluate(history: builder.history, timeline: builder.timeline, baseline: interval)
        #expect(fixed.coverage == .full)
        #expect(fixed.baseline == interval)
        let change = try #require(fixed.findings.first { $0.family == "teleport_connected_resources" })
        #expect(change.value == 50)
        #expect(change.baseline == 10)
        #expect(change.evidence.contains("the baseline"))
        #expect(!change.evidence.contains("240 s before"))
    }

    @Test("A baseline overlapping the recent window is cut where the recent window starts")
    func overlapIsCut() throws {
        // 50 until 440 s, then 90: the recent window (440-500 s) is all 90.
        var builder = HistoryBuilder()
        builder.run(to: 500) { t in [HistoryBuilder.gauge("teleport_connected_resources", t < 440 ? 50 : 90)] }
        // 420-470 s: uncut, three of its five slots would be 90 and nothing would change.
        let report = FindingsEvaluator.evaluate(
            history: builder.history, timeline: builder.timeline, baseline: DateInterval(start: Self.at(420), end: Self.at(470)))
        #expect(report.coverage == .full)
        let change = try #require(report.findings.first { $0.family == "teleport_connected_resources" })
        #expect(change.baseline == 50)
        #expect(change.value == 90)
    }

    @Test("A baseline older than the history held, or after the recent window starts, ranks nothing and says why")
    func unusableBaseline() throws {
        var builder = HistoryBuilder()
        builder.run(to: 500) { t in
            [
                HistoryBuilder.gauge("teleport_connected_resources", t < 200 ? 10 : 50), HistoryBuilder.gauge("process_open_fds", 995),
                HistoryBuilder.gauge("process_max_fds", 1000),
            ]
        }
        for interval in [
            DateInterval(start: Self.at(-900), end: Self.at(-600)),  // before the first scrape
            DateInterval(start: Self.at(460), end: Self.at(500)),  // inside the recent window
        ] {
            let report = FindingsEvaluator.evaluate(history: builder.history, timeline: builder.timeline, baseline: interval)
            guard case .short = report.coverage else {
                Issue.record("coverage \(report.coverage) for \(interval)")
                continue
            }
            #expect(!report.findings.contains { $0.check.hasPrefix("changed") })
            #expect(report.findings.contains { $0.check == "open-fds" })  // absolute checks still report
            let note = try #require(report.coverageNote)
            #expect(note.contains("the baseline"))
        }
    }

    @Test("The engine measures against the baseline it is given, and back against the rolling one when cleared")
    func engineBaseline() async throws {
        let engine = FindingsEngine()
        let store = MetricStore(target: "t", interval: .seconds(2))
        let builder = Self.stepped()
        var t = 0.0
        while t < 500 {
            let families = [HistoryBuilder.gauge("teleport_connected_resources", t < 200 ? 10 : 50)]
            await store.ingest(ScrapeResult(time: Self.at(t), duration: .milliseconds(5), bytes: 100, families: families))
            t += builder.step
        }
        #expect(await !engine.evaluate(store, id: 0, instance: nil).findings.contains { $0.family == "teleport_connected_resources" })
        engine.setBaseline(DateInterval(start: Self.at(0), end: Self.at(180)))
        #expect(engine.baseline != nil)
        #expect(await engine.evaluate(store, id: 0, instance: nil).findings.contains { $0.family == "teleport_connected_resources" })
        engine.setBaseline(nil)
        #expect(await !engine.evaluate(store, id: 0, instance: nil).findings.contains { $0.family == "teleport_connected_resources" })
    }
}
