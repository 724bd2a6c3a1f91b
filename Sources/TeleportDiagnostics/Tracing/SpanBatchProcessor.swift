import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TeleportCore

/// Batching as Teleport's tracer does it (OpenTelemetry's batch span processor): a queue of
/// at most `maxQueue` spans (more are dropped and counted), exported in batches of at most
/// `maxBatch` every `delay`, or at once when a batch is full. Graceful shutdown (SIGINT,
/// SIGTERM in `serve`) exports everything still queued before `run` returns.
public final class SpanBatchProcessor: Service, Sendable {
    public struct Settings: Sendable, Hashable {
        public var maxQueue: Int
        public var maxBatch: Int
        public var delay: Duration
        public var exportTimeout: Duration

        public init(maxQueue: Int = 2048, maxBatch: Int = 512, delay: Duration = .seconds(5), exportTimeout: Duration = .seconds(30)) {
            self.maxQueue = max(1, maxQueue)
            self.maxBatch = max(1, min(maxBatch, maxQueue))
            self.delay = delay
            self.exportTimeout = exportTimeout
        }

        /// Teleport's: queue 2048, batch 512, delay 5 s, export timeout 30 s.
        public static let teleport = Settings()
    }

    struct State {
        var queue: [SpanRecord] = []
        var dropped = 0
        var exported = 0
        var failed = 0
        var wakeup: CheckedContinuation<Void, Never>?
        var pendingWakeup = false
        var stopping = false
    }

    public let settings: Settings
    let sinks: [any SpanSink]
    let logger: Logger
    private let state = Mutex(State())
    /// Serialises exports so spans leave in the order they were queued.
    private let exporting = ExportGate()

    public init(sinks: [any SpanSink], settings: Settings = .teleport, logger: Logger = Logger(label: "teleport-top.tracing")) {
        self.sinks = sinks
        self.settings = settings
        self.logger = logger
    }

    /// Queues a finished span (dropped and counted when the queue is full).
    public func enqueue(_ span: SpanRecord) {
        let full = state.withLock { state -> Bool in
            guard state.queue.count < settings.maxQueue else {
                state.dropped += 1
                return false
            }
            state.queue.append(span)
            return state.queue.count >= settings.maxBatch
        }
        if full { wake() }
    }

    /// Spans dropped because the queue was full, spans exported, and spans whose export failed.
    public var counts: (dropped: Int, exported: Int, failed: Int) {
        state.withLock { ($0.dropped, $0.exported, $0.failed) }
    }

    /// Spans waiting for export.
    public var queued: Int { state.withLock { $0.queue.count } }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !state.withLock({ $0.stopping }) && !Task.isCancelled {
                await waitForWork()
                await exportQueued()
            }
        } onGracefulShutdown: {
            self.state.withLock { $0.stopping = true }
            self.wake()
        }
        await exportQueued()
    }

    /// Exports everything queued now, in batches.
    public func forceFlush() async {
        await exportQueued()
    }

    private func waitForWork() async {
        let delay = settings.delay
        let timer = Task { [weak self] in
            try? await Task.sleep(for: delay)
            self?.wake()
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pendingWakeup || Task.isCancelled {
                        state.pendingWakeup = false
                        return true
                    }
                    state.wakeup = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.wake()
        }
        timer.cancel()
    }

    private func wake() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.wakeup {
                state.wakeup = nil
                return waiter
            }
            state.pendingWakeup = true
            return nil
        }
        waiter?.resume()
    }

    /// Takes batches of at most `maxBatch` off the queue and hands each to every sink,
    /// until the queue is empty.
    private func exportQueued() async {
        await exporting.run {
            while true {
                let batch = state.withLock { state -> [SpanRecord] in
                    guard !state.queue.isEmpty else { return [] }
                    let n = min(settings.maxBatch, state.queue.count)
                    let batch = Array(state.queue.prefix(n))
                    state.queue.removeFirst(n)
                    return batch
                }
                if batch.isEmpty { break }
                await export(batch)
            }
        }
    }

    private func export(_ batch: [SpanRecord]) async {
        var ok = true
        for sink in sinks {
            do {
                try await sink.export(batch)
            } catch {
                ok = false
                logger.error("span export failed", metadata: ["spans": "\(batch.count)", "error": "\(error)"])
            }
        }
        state.withLock { state in
            if ok { state.exported += batch.count } else { state.failed += batch.count }
        }
    }
}

/// One export at a time, in arrival order.
final class ExportGate: Sendable {
    private let state = Mutex<(busy: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func run(_ body: () async -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.busy {
                    state.waiters.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if now { continuation.resume() }
        }
        await body()
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
