import Foundation
import Hummingbird
import Synchronization
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

@Suite("Poller: cadence, backoff, recovery", .serialized)
struct PollerTests {
    @Test("Ticks stay on the cadence; an overrun skips the ticks it missed")
    func cadence() {
        let schedule = PollSchedule(interval: .seconds(2))
        #expect(schedule.nextTick(anchor: .zero, now: .milliseconds(100)) == .seconds(2))
        #expect(schedule.nextTick(anchor: .zero, now: .milliseconds(2100)) == .seconds(4))  // a 100 ms scrape does not drift
        #expect(schedule.nextTick(anchor: .zero, now: .milliseconds(5500)) == .seconds(6))  // a 5.5 s scrape skips 2 and 4
        #expect(schedule.nextTick(anchor: .seconds(1), now: .seconds(3)) == .seconds(5))
        #expect(PollSchedule(interval: .milliseconds(10)).interval == .milliseconds(250))
    }

    @Test("Retries at the interval for three failures, then doubles up to 5 s (a diag endpoint is local and cheap)")
    func backoff() {
        let schedule = PollSchedule(interval: .seconds(2))
        #expect(
            (0...6).map { schedule.backoff(failures: $0) } == [
                .seconds(2), .seconds(2), .seconds(2), .seconds(2), .seconds(4), .seconds(5), .seconds(5),
            ])
        let fast = PollSchedule(interval: .milliseconds(250))
        #expect(
            (1...9).map { fast.backoff(failures: $0) } == [
                .milliseconds(250), .milliseconds(250), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5),
            ])
        #expect(PollSchedule(interval: .seconds(60)).backoff(failures: 9) == .seconds(60))
    }

    @Test(
        "A peer killed and restarted during polling: unreachable, then back on the first success",
        .enabled(if: Prerequisites.required(Prerequisites.go)))
    func peerRestart() async throws {
        let first = try await GoFixture.start()
        let address = String(first.baseURL.dropFirst("http://".count))
        let store = MetricStore(target: address, interval: .milliseconds(250))
        let client = try DiagClient(target: try DiagTarget(diagAddr: address), options: .init(timeout: .seconds(2)))
        let poller = Poller(client: client, store: store, schedule: PollSchedule(interval: .milliseconds(250), maxBackoff: .milliseconds(500)))
        let task = Task { await poller.run() }
        func waitFor(_ what: String, _ condition: @escaping (MetricsSnapshot) -> Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if condition(await store.snapshot()) { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("timed out waiting for \(what)")
        }
        try await waitFor("two scrapes") { $0.scrapeCount >= 2 && $0.state == .ok }
        await first.process.stop(signal: SIGKILL)
        try await waitFor("unreachable") { $0.state == .unreachable }
        let stale = await store.snapshot()
        #expect(stale.isStale)
        #expect(stale.lastFailure?.error.kind == "refused")
        #expect(stale.family("go_goroutines") != nil)  // the last data is kept
        let count = stale.scrapeCount
        let second = try await GoFixture.start(["-listen", address, "-state", "degraded"])
        try await waitFor("recovery") { $0.scrapeCount > count && $0.state == .degraded && !$0.isStale }
        let transitions = await store.snapshot().timeline.transitions.map(\.to)
        #expect(transitions == [.ok, .unreachable, .degraded])
        task.cancel()
        _ = await task.value
        await client.shutdown()
        await second.stop()
    }

    @Test("A poll cut short by quitting is no observation: no failure in the store, nothing handed on")
    func cancelledPoll() async throws {
        let asked = Mutex(0)
        let released = Mutex(false)
        let server = try await MisbehavingServer.start { router in
            router.get("/metrics") { _, _ -> Response in
                asked.withLock { $0 += 1 }
                // Hangs until the test is done (at most a minute).
                for _ in 0..<1200 where !released.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(50)) }
                return Response(status: .ok)
            }
        }
        let store = MetricStore(target: server.address, interval: .seconds(1))
        let client = try DiagClient(target: try DiagTarget(diagAddr: server.address), options: .init(timeout: .seconds(60)))
        let poller = Poller(client: client, store: store, schedule: PollSchedule(interval: .seconds(1)))
        let handed = Mutex(0)
        let task = Task { await poller.run { _ in handed.withLock { $0 += 1 } } }
        let deadline = ContinuousClock.now + .seconds(60)
        while asked.withLock({ $0 }) == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(asked.withLock { $0 } == 1)
        task.cancel()
        await task.value
        let snapshot = await store.snapshot()
        #expect(snapshot.lastFailure == nil, "\(String(describing: snapshot.lastFailure))")
        #expect(snapshot.state != .unreachable)
        #expect(handed.withLock { $0 } == 0)
        released.withLock { $0 = true }
        await client.shutdown()
        await server.stop()
    }

    @Test("Scrapes never overlap and the interval can change while polling")
    func intervalChange() async throws {
        let (engine, clock) = makeEngine()
        try drive(engine, clock, to: .ok)
        let server = try await RunningServer.start(engine: engine, address: .tcp(host: "127.0.0.1", port: 0), exposure: .diagListener(debug: false))
        let store = MetricStore(target: server.baseURL, interval: .seconds(30))
        let client = try DiagClient(target: try DiagTarget(diagAddr: server.baseURL))
        let poller = Poller(client: client, store: store, schedule: PollSchedule(interval: .seconds(30)))
        let task = Task { await poller.run() }
        let deadline = ContinuousClock.now + .seconds(20)
        while await store.scrapeCount < 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        await poller.setInterval(.milliseconds(250))  // wakes the 30 s sleep at once
        while await store.scrapeCount < 4, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(await store.scrapeCount >= 4)
        #expect(await store.interval == .milliseconds(250))
        let inFlight = engine.registry.gather().first { $0.name == "promhttp_metric_handler_requests_in_flight" }?.samples.first?.value
        #expect(inFlight == 0)
        task.cancel()
        _ = await task.value
        await client.shutdown()
        await server.stop()
    }
}
