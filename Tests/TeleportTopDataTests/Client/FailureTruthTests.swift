import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportTopData

/// What the dashboard's data side says when things go wrong, against a real client_golang
/// process: killed, stopped, half-broken, restarted, polled at changing paces. Deadlines are
/// large failures (a wait that must not be reached), not timing margins.
@Suite("The truth when things go wrong (real peers)", .serialized, .enabled(if: Prerequisites.required(Prerequisites.go)))
struct FailureTruthTests {
    struct Polling {
        let store: MetricStore
        let client: DiagClient
        let poller: Poller
        let task: Task<Void, Never>

        func stop() async {
            task.cancel()
            _ = await task.value
            await client.shutdown()
        }

        /// Waits until the store's snapshot satisfies `condition`; records an issue after `seconds`.
        @discardableResult
        func waitFor(_ what: String, seconds: Double = 90, _ condition: (MetricsSnapshot) -> Bool) async throws -> MetricsSnapshot {
            let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
            var snapshot = await store.snapshot()
            while ContinuousClock.now < deadline {
                snapshot = await store.snapshot()
                if condition(snapshot) { return snapshot }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("waited \(seconds) s for \(what); state \(snapshot.state), failure \(String(describing: snapshot.lastFailure?.error))")
            return snapshot
        }
    }

    static func poll(_ address: String, timeout: Duration, interval: Duration = .seconds(1)) throws -> Polling {
        let store = MetricStore(target: address, interval: interval)
        let client = try DiagClient(target: try DiagTarget(diagAddr: address), options: .init(timeout: timeout))
        let poller = Poller(client: client, store: store, schedule: PollSchedule(interval: interval))
        return Polling(store: store, client: client, poller: poller, task: Task { await poller.run() })
    }

    @Test(
        "Killed with SIGKILL while polled at 1 s with a 60 s timeout: unreachable with 'connection refused' at once; back after a restart on the same port, marked as a restart"
    )
    func killed() async throws {
        let first = try await GoFixture.start()
        let address = String(first.baseURL.dropFirst("http://".count))
        let polling = try Self.poll(address, timeout: .seconds(60))
        try await polling.waitFor("two scrapes") { $0.scrapeCount >= 2 && $0.state == .ok }
        let oldPid = Int(first.process.process.processIdentifier)
        await first.process.stop(signal: SIGKILL)
        // A refusal is answered by the kernel: far sooner than the 60 s timeout (20 s is the
        // failure: a loaded CI machine runs every suite at once, and the defect waited 60 s).
        let down = try await polling.waitFor("unreachable", seconds: 20) { $0.state == .unreachable }
        let (kind, kept, stale) = (down.lastFailure?.error.kind, down.family("go_goroutines") != nil, down.isStale)
        #expect(kind == "refused")
        #expect(kept)  // the last data is kept, marked stale
        #expect(stale)
        let count = down.scrapeCount
        let second = try await GoFixture.start(["-listen", address])
        let back = try await polling.waitFor("the target back") { $0.scrapeCount > count && $0.state == .ok && !$0.isStale }
        let restart = try #require(back.timeline.restarts.last)
        #expect(restart.oldPid == oldPid)
        #expect(restart.newPid == Int(second.process.process.processIdentifier))
        let transitions = back.timeline.transitions.map(\.to)
        #expect(transitions == [.ok, .unreachable, .ok])
        await polling.stop()
        await second.stop()
    }

    @Test("Stopped with SIGSTOP and polled with a 2 s timeout: unreachable with 'timeout'; back after SIGCONT, no restart")
    func stopped() async throws {
        let fixture = try await GoFixture.start()
        let address = String(fixture.baseURL.dropFirst("http://".count))
        let polling = try Self.poll(address, timeout: .seconds(2))
        try await polling.waitFor("two scrapes") { $0.scrapeCount >= 2 && $0.state == .ok }
        let pid = fixture.process.process.processIdentifier
        kill(pid, SIGSTOP)
        let down = try await polling.waitFor("unreachable") { $0.state == .unreachable }
        let kind = down.lastFailure?.error.kind
        #expect(kind == "timeout")
        kill(pid, SIGCONT)
        let back = try await polling.waitFor("the target back") { $0.state == .ok && !$0.isStale }
        let restarts = back.timeline.restarts.count
        #expect(restarts == 0)
        await polling.stop()
        await fixture.stop()
    }

    @Test("/metrics answering 500 while /readyz answers 200: the state stays OK, the failure is named, the data kept stale")
    func partial() async throws {
        let fixture = try await GoFixture.start()
        let address = String(fixture.baseURL.dropFirst("http://".count))
        let polling = try Self.poll(address, timeout: .seconds(10))
        try await polling.waitFor("two scrapes") { $0.scrapeCount >= 2 && $0.state == .ok }
        let broken = try await HTTP.request(fixture.baseURL + "/fixture/metrics-status?code=500", method: .POST)
        #expect(broken.status == 200)
        let partial = try await polling.waitFor("the metrics failure") { $0.lastFailure != nil }
        let (state, isPartial, error, stale) = (partial.state, partial.lastFailure?.isPartial, partial.lastFailure?.error, partial.isStale)
        #expect(state == .ok)
        #expect(isPartial == true)
        #expect(error == .httpStatus(code: 500, path: "/metrics"))
        #expect(stale)
        let kept = partial.family("backend_requests") != nil
        #expect(kept)
        let wentDown = partial.timeline.transitions.contains { $0.to == .unreachable }
        #expect(!wentDown)
        _ = try await HTTP.request(fixture.baseURL + "/fixture/metrics-status?code=0", method: .POST)
        try await polling.waitFor("metrics back") { $0.lastFailure == nil }
        await polling.stop()
        await fixture.stop()
    }

    @Test("Pace changes 2 s -> 10 s -> 250 ms -> 2 s while polling the fixture: counters have rates after each change")
    func paceChanges() async throws {
        let fixture = try await GoFixture.start()
        let address = String(fixture.baseURL.dropFirst("http://".count))
        let polling = try Self.poll(address, timeout: .seconds(10), interval: .seconds(2))
        for interval in [Duration.seconds(2), .seconds(10), .milliseconds(250), .seconds(2)] {
            await polling.poller.setInterval(interval)
            let count = await polling.store.scrapeCount
            // Two scrapes at the new pace, then a rate: on a loaded machine a 250 ms pace can
            // see a scrape late by more than 2.5 intervals (a gap, no rate over it) before a
            // pair comes on time.
            func hasRate(_ snapshot: MetricsSnapshot) -> Bool { snapshot.family("backend_requests")?.series.contains { $0.rate != nil } ?? false }
            let after = try await polling.waitFor("two scrapes and a rate at \(interval)", seconds: 60) {
                $0.scrapeCount >= count + 2 && hasRate($0)
            }
            #expect(hasRate(after), "no rate at \(interval)")
            let pace = after.interval
            #expect(pace == interval)
        }
        await polling.stop()
        await fixture.stop()
    }
}
