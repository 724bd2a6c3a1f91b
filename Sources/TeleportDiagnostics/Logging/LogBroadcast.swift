import Foundation
import ServiceLifecycle
import Synchronization
import TeleportCore

/// The engine's logs for `/log-stream` readers: every line logged is offered to each
/// subscriber at or above its level. Each subscriber has a bounded buffer; a reader too slow
/// to keep up loses the oldest lines (counted, and told in a line of its own when it next
/// reads), so the engine never waits for a reader. At most `maxSubscribers` at once.
public final class LogBroadcast: Sendable {
    /// Readers at once (a further reader gets 503).
    public static let maxSubscribers = 8
    /// Lines held per reader before the oldest are dropped.
    public static let bufferLines = 4096

    struct Subscriber {
        var minimum: Int
        var lines: [String] = []
        var head = 0
        var dropped = 0
        var wake: AsyncStream<Void>.Continuation
    }

    private let state = Mutex<(next: Int, subscribers: [Int: Subscriber])>((0, [:]))

    public init() {}

    /// Readers connected now.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Offers a line to every reader whose level it passes; never blocks.
    public func publish(_ line: LogLine) {
        let rank = line.rank
        let wakes = state.withLock { state -> [AsyncStream<Void>.Continuation] in
            guard !state.subscribers.isEmpty else { return [] }
            var encoded: String?
            var wakes: [AsyncStream<Void>.Continuation] = []
            for id in Array(state.subscribers.keys) {
                // Taken out and put back, so the buffer has one owner and grows in place.
                guard var subscriber = state.subscribers.removeValue(forKey: id) else { continue }
                guard rank >= subscriber.minimum else {
                    state.subscribers[id] = subscriber
                    continue
                }
                let text = encoded ?? line.ndjson()
                encoded = text
                if subscriber.lines.count - subscriber.head >= Self.bufferLines {
                    subscriber.head += 1
                    subscriber.dropped += 1
                }
                subscriber.lines.append(text)
                wakes.append(subscriber.wake)
                state.subscribers[id] = subscriber
            }
            return wakes
        }
        for wake in wakes { wake.yield() }
    }

    /// A reader of lines at `minimum` rank (LogLine.rank) and above; nil when
    /// `maxSubscribers` are connected.
    public func subscribe(minimumRank minimum: Int) -> LogSubscription? {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state -> Int? in
            guard state.next >= 0, state.subscribers.count < Self.maxSubscribers else { return nil }
            state.next += 1
            state.subscribers[state.next] = Subscriber(minimum: minimum, wake: continuation)
            return state.next
        }
        guard let id else { return nil }
        return LogSubscription(id: id, broadcast: self, wakes: stream)
    }

    /// Takes what a reader has waiting: a marker line first when lines were dropped.
    func take(_ id: Int) -> [String]? {
        state.withLock { state -> [String]? in
            guard var subscriber = state.subscribers[id] else { return nil }
            var out: [String] = []
            if subscriber.dropped > 0 {
                let marker = LogLine(
                    time: Date(), level: "WARN", message: "\(subscriber.dropped) log lines dropped: this reader was too slow",
                    component: "debug:log-stream", attributes: [("dropped", String(subscriber.dropped))])
                out.append(marker.ndjson())
                subscriber.dropped = 0
            }
            out += subscriber.lines[subscriber.head...]
            subscriber.lines.removeAll(keepingCapacity: true)
            subscriber.head = 0
            state.subscribers[id] = subscriber
            return out
        }
    }

    /// Ends every reader's stream (the process is stopping: a streaming answer must not hold
    /// the server's graceful shutdown open); no reader is taken afterwards.
    public func close() {
        let wakes = state.withLock { state -> [AsyncStream<Void>.Continuation] in
            defer { state.subscribers.removeAll() }
            state.next = Int.min / 2
            return state.subscribers.values.map(\.wake)
        }
        for wake in wakes { wake.finish() }
    }

    func unsubscribe(_ id: Int) {
        let wake = state.withLock { $0.subscribers.removeValue(forKey: id)?.wake }
        wake?.finish()
    }
}

/// One `/log-stream` reader: batches of NDJSON lines as they are logged; ends when closed.
public final class LogSubscription: Sendable {
    let id: Int
    let broadcast: LogBroadcast
    let wakes: AsyncStream<Void>

    init(id: Int, broadcast: LogBroadcast, wakes: AsyncStream<Void>) {
        self.id = id
        self.broadcast = broadcast
        self.wakes = wakes
    }

    /// The next batch (waits until there is one); nil once closed.
    public func next() async -> [String]? {
        for await _ in wakes {
            guard let lines = broadcast.take(id) else { return nil }
            if !lines.isEmpty { return lines }
        }
        return nil
    }

    /// Stops reading; the reader's slot is free again.
    public func close() { broadcast.unsubscribe(id) }

    deinit { broadcast.unsubscribe(id) }
}

/// Closes the log stream's readers when the service group shuts down gracefully.
public struct LogStreamCloser: Service {
    let stream: LogBroadcast

    public init(stream: LogBroadcast) { self.stream = stream }

    public func run() async throws {
        try? await gracefulShutdown()
        stream.close()
    }
}
