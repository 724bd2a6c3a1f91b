import Foundation
import TeleportCore
import Testing

@testable import TeleportTopData

@Suite("Findings: what changed (the pinned cases)")
struct ChangeRankingTests {
    static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, .infinity]

    /// Cumulative counts after `fast` observations in (1 ms, 2.5 ms] and `slow` in (25 ms, 50 ms].
    static func latency(fast: Double, slow: Double) -> [Double] {
        [0, fast, fast, fast, fast, fast + slow, fast + slow, fast + slow]
    }

    @Test("A p99 from 2.4 ms to 48 ms outranks a counter from 0 to 1 per second; both open")
    func latencyOutranksCounter() throws {
        var builder = HistoryBuilder()
        var fast = 0.0
        var slow = 0.0
        var count = 0.0
        // 300 s of baseline (p99 ~2.5 ms, counter flat), then 60 s of change.
        builder.run(to: 360) { t in
            if t < 300 { fast += 100 } else { slow += 100 }
            if t >= 300 { count += 2 }
            return [
                HistoryBuilder.histogram("backend_read_seconds", bounds: Self.bounds, cumulative: Self.latency(fast: fast, slow: slow)),
                HistoryBuilder.counter("teleport_things_total", count),
            ]
        }
        let report = builder.evaluate()
        #expect(report.coverage == .full)
        let changes = report.findings.filter { $0.check.hasPrefix("changed") }
        let first = try #require(changes.first)
        #expect(first.check == "changed-quantile")
        #expect(first.family == "backend_read_seconds")
        let value = try #require(first.value)
        let baseline = try #require(first.baseline)
        #expect(value > 0.04 && value < 0.05)
        #expect(baseline > 0.002 && baseline < 0.0026)
        #expect(first.title.contains("its baseline of"))
        #expect(first.since != nil)
        let counter = try #require(changes.first { $0.family == "teleport_things_total" })
        #expect(counter.score < first.score)
        #expect(abs((counter.value ?? 0) - 1) < 0.01)
    }

    @Test("A spike lasting one scrape opens nothing (gauge and counter)")
    func oneScrapeSpike() {
        var builder = HistoryBuilder()
        var count = 0.0
        builder.run(to: 360) { t in
            let spike = abs(t - 340) < 0.5
            count += spike ? 5000 : 10
            return [
                HistoryBuilder.gauge("go_goroutines", spike ? 50_000 : 300 + (t.truncatingRemainder(dividingBy: 4) == 0 ? 3 : -3)),
                HistoryBuilder.counter("grpc_requests_total", count),
            ]
        }
        let report = builder.evaluate()
        #expect(report.coverage == .full)
        #expect(report.findings.isEmpty, "\(report.findings.map(\.title))")
    }

    @Test("A series swinging ±30% periodically never appears, at any evaluation time and period")
    func periodicSwing() {
        for period in [20.0, 60, 150, 300, 600] {
            var builder = HistoryBuilder()
            var count = 0.0
            var appeared: [String] = []
            builder.run(to: 300) { t in
                count += 2 * 50 * (1 + 0.3 * sin(2 * .pi * t / period))
                return [
                    HistoryBuilder.gauge("process_resident_memory_bytes", 400e6 * (1 + 0.3 * sin(2 * .pi * t / period))),
                    HistoryBuilder.counter("proxy_requests_total", count),
                ]
            }
            var tracker = FindingsTracker()
            for start in stride(from: 300.0, to: 900, by: 10) {
                builder.run(from: start, to: start + 10) { t in
                    count += 2 * 50 * (1 + 0.3 * sin(2 * .pi * t / period))
                    return [
                        HistoryBuilder.gauge("process_resident_memory_bytes", 400e6 * (1 + 0.3 * sin(2 * .pi * t / period))),
                        HistoryBuilder.counter("proxy_requests_total", count),
                    ]
                }
                let report = tracker.update(builder.evaluate(open: tracker.openKeys))
                appeared += report.findings.map(\.title)
            }
            #expect(appeared.isEmpty, "period \(period) s: \(appeared)")
        }
    }

    @Test("A counter reset (a restart) is no change: the rate goes on")
    func counterReset() {
        var builder = HistoryBuilder()
        var count = 1000.0
        builder.run(to: 360) { t in
            count = abs(t - 330) < 0.5 ? 0 : count + 10  // 5/s, reset to 0 at 330 s
            return [HistoryBuilder.counter("backend_write_requests_total", count)]
        }
        let report = builder.evaluate()
        #expect(report.coverage == .full)
        #expect(report.findings.isEmpty, "\(report.findings.map(\.title))")
    }

    @Test("With less history than baseline and recent window the ranking says so; absolute checks still report")
    func shortHistory() throws {
        var builder = HistoryBuilder()
        builder.run(to: 120) { t in
            [
                HistoryBuilder.gauge("go_goroutines", t < 60 ? 100 : 5000),
                HistoryBuilder.gauge("process_open_fds", 950), HistoryBuilder.gauge("process_max_fds", 1000),
            ]
        }
        let report = builder.evaluate()
        guard case .short(let have, let need) = report.coverage else {
            Issue.record("coverage \(report.coverage)")
            return
        }
        #expect(have < need && need == 300)
        #expect(report.coverageNote?.contains("history") == true)
        #expect(!report.findings.contains { $0.check.hasPrefix("changed") })
        let fds = try #require(report.findings.first)
        #expect(fds.check == "open-fds" && fds.severity == .critical)
    }

    @Test("A series new since the baseline is told as new, per family")
    func newSeries() throws {
        var builder = HistoryBuilder()
        builder.run(to: 360) { t in
            var families = [HistoryBuilder.gauge("teleport_connected_resources", 10, labels: [Label("type", "node")])]
            if t >= 310 {
                families.append(
                    MetricFamily(
                        name: "teleport_kube_requests", type: .gauge,
                        samples: [
                            Sample(name: "teleport_kube_requests", labels: [Label("cluster", "a")], value: 3),
                            Sample(name: "teleport_kube_requests", labels: [Label("cluster", "b")], value: 4),
                        ]))
            }
            return families
        }
        let new = try #require(builder.evaluate().findings.first { $0.check == "new-series" })
        #expect(new.family == "teleport_kube_requests")
        #expect(new.title.contains("2 series"))
    }

    @Test("Hysteresis: an open change stays open on the lower threshold, a new one needs the higher")
    func hysteresis() throws {
        var builder = HistoryBuilder()
        builder.run(to: 360) { t in [HistoryBuilder.gauge("teleport_queue_size", t < 300 ? 100 : 150)] }  // ×1.5: between keep and open
        let closed = builder.evaluate()
        #expect(closed.findings.isEmpty)
        let key = Finding(severity: .info, check: "changed", title: "", family: "teleport_queue_size", evidence: "", score: 0).key
        let kept = builder.evaluate(open: [key])
        #expect(kept.findings.map(\.key) == [key])
    }

    @Test("The tracker holds a finding until it has been missing clearAfter evaluations")
    func trackerClears() {
        var tracker = FindingsTracker(clearAfter: 2)
        let finding = Finding(severity: .warning, check: "open-fds", title: "fds", evidence: "", score: 1)
        let full = FindingsReport(time: nil, coverage: .full, findings: [finding])
        let none = FindingsReport(time: nil, coverage: .full, findings: [])
        #expect(tracker.update(full).findings.count == 1)
        #expect(tracker.update(none).findings.count == 1)
        #expect(tracker.update(none).findings.count == 1)
        #expect(tracker.update(none).findings.isEmpty)
    }

    @Test("A finding of the present state (degraded now, unreachable) clears as soon as the state has changed")
    func trackerPresentState() {
        var tracker = FindingsTracker(clearAfter: 2)
        let down = Finding(severity: .critical, check: "unreachable", title: "target unreachable", evidence: "", score: 100)
        let recently = Finding(severity: .warning, check: "state-degraded-recently", title: "was degraded", evidence: "", score: 10)
        #expect(tracker.update(FindingsReport(time: nil, coverage: .full, findings: [down, recently])).findings.count == 2)
        let after = tracker.update(FindingsReport(time: nil, coverage: .full, findings: []))
        #expect(after.findings.map(\.check) == ["state-degraded-recently"])
    }

    @Test(
        "Before two scrapes the state now is told: never answered is unreachable (or answering with no metrics), degraded at the first scrape; one not yet tried, nothing"
    )
    func beforeFirstScrape() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for (observed, check) in [(ObservedState.unreachable, "unreachable"), (.notMetrics, "not-metrics")] {
            var timeline = StateTimeline()
            timeline.observe(observed, at: start)
            let report = FindingsEvaluator.evaluate(history: MetricHistory(seconds: 600, interval: .seconds(1)), timeline: timeline, instance: "a:1")
            #expect(report.time == nil)
            #expect(report.findings.map(\.check) == [check])
            #expect(report.findings.first?.severity == .critical)
            #expect(report.findings.first?.instance == "a:1")
            #expect(report.findings.first?.since == start)
        }
        #expect(FindingsEvaluator.evaluate(history: MetricHistory(seconds: 600, interval: .seconds(1)), timeline: StateTimeline()).findings.isEmpty)

        // One scrape held (too few for slots): the state it showed is still told.
        var history = MetricHistory(seconds: 600, interval: .seconds(1))
        history.ingest([HistoryBuilder.gauge("process_state", 2)], at: start)
        var timeline = StateTimeline()
        timeline.observe(.degraded, at: start)
        let one = FindingsEvaluator.evaluate(history: history, timeline: timeline)
        #expect(one.time == start)
        #expect(one.findings.map(\.check) == ["state-degraded"])
        #expect(one.findings.first?.severity == .critical)
    }
}
