import Foundation
import Synchronization
import TeleportCore

/// Polls one target on a `PollSchedule`. `runUnfolded(handing:)` hands every outcome to a
/// `ScrapeSeam`, which folds it into the store and publishes it; `run(onUpdate:)` folds it
/// into `store` itself first (a poller without a dashboard: tests, `snapshot`).
/// Scrapes never overlap: the next one is scheduled only after the previous one ended.
public final class Poller: Sendable {
    public let client: DiagClient
    public let store: MetricStore
    private let schedule: Mutex<PollSchedule>
    private let sleeper = Mutex<Task<Void, Never>?>(nil)
    /// Bounds the polls in flight across a fleet (nil: no bound).
    public let gate: PollGate?
    /// The wait before the first poll (a fleet spreads its targets over the interval).
    public let startDelay: Duration

    public init(client: DiagClient, store: MetricStore, schedule: PollSchedule, gate: PollGate? = nil, startDelay: Duration = .zero) {
        self.client = client
        self.store = store
        self.schedule = Mutex(schedule)
        self.gate = gate
        self.startDelay = startDelay
    }

    /// The current schedule.
    public var currentSchedule: PollSchedule { schedule.withLock { $0 } }

    /// Scrapes now instead of waiting for the next tick or retry (the `r` key).
    public func retryNow() {
        sleeper.withLock { $0?.cancel() }
    }

    /// Changes the interval (at least 250 ms); takes effect at once.
    public func setInterval(_ interval: Duration) async {
        let updated = schedule.withLock { current -> PollSchedule in
            current = PollSchedule(interval: interval, maxBackoff: current.maxBackoff)
            return current
        }
        await store.setInterval(updated.interval)
        sleeper.withLock { $0?.cancel() }
    }

    /// Runs until the task is cancelled; each outcome is folded into `store`, then handed to
    /// `onUpdate`.
    public func run(onUpdate: @escaping @Sendable (Result<ScrapeResult, ScrapeFailure>) async -> Void = { _ in }) async {
        let store = self.store
        await runUnfolded(handing: { outcome in
            await ScrapeSeam.fold(outcome, into: store)
            await onUpdate(outcome)
        })
    }

    /// Runs until the task is cancelled, handing each outcome, not yet folded, to `deliver`
    /// (a seam's `deliver`).
    public func runUnfolded(handing deliver: @escaping @Sendable (Result<ScrapeResult, ScrapeFailure>) async -> Void) async {
        let clock = ContinuousClock()
        let origin = clock.now
        var anchor = Duration.zero
        var failures = 0
        if startDelay > .zero {
            let sleep = Task<Void, Never> { [startDelay] in _ = try? await Task.sleep(for: startDelay) }
            sleeper.withLock { $0 = sleep }
            await withTaskCancellationHandler {
                await sleep.value
            } onCancel: {
                sleep.cancel()
            }
            anchor = clock.now - origin
        }
        while !Task.isCancelled {
            let (result, readyz) = await gated { await client.poll() }
            // A poll cut short by quitting is no observation of the target (recorded, it
            // would replay as a failure at the end).
            guard !Task.isCancelled else { break }
            let plan = schedule.withLock { $0 }
            let now = clock.now - origin
            let delay: Duration
            let outcome: Result<ScrapeResult, ScrapeFailure>
            switch result {
            case .success(let scrape):
                if failures > 0 { anchor = now }  // back to the cadence, anchored at this success
                failures = 0
                delay = plan.nextTick(anchor: anchor, now: now) - now
                outcome = .success(scrape)
            case .failure(let error) where readyz?.state != nil:
                // /metrics failed but the process answered /readyz: it is up, keep the cadence.
                if failures > 0 { anchor = now }
                failures = 0
                delay = plan.nextTick(anchor: anchor, now: now) - now
                let failure = ScrapeFailure(time: Date(), error: error, retryAt: Date().addingTimeInterval(delay.seconds), readyz: readyz)
                outcome = .failure(failure)
            case .failure(let error):
                failures += 1
                let backoff = plan.backoff(failures: failures)
                let failure = ScrapeFailure(time: Date(), error: error, retryAt: Date().addingTimeInterval(backoff.seconds))
                delay = backoff
                outcome = .failure(failure)
            }
            await deliver(outcome)
            guard !Task.isCancelled else { break }
            // Sleep until the next tick, or until the interval changes (which cancels the sleep).
            let sleep = Task<Void, Never> { _ = try? await Task.sleep(for: delay) }
            sleeper.withLock { $0 = sleep }
            await withTaskCancellationHandler {
                await sleep.value
            } onCancel: {
                sleep.cancel()
            }
        }
    }

    /// Runs `work` holding a slot of the gate, if there is one.
    private func gated<T: Sendable>(_ work: () async -> T) async -> T {
        guard let gate else { return await work() }
        await gate.enter()
        defer { gate.leave() }
        return await work()
    }
}
