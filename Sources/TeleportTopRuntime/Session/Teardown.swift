import Synchronization

/// What a dashboard or a command started, stopped on every way out (a normal quit, an error
/// after the start, a signal): each step is added as soon as the thing it stops exists and
/// runs once, the last added first.
public final class Teardown: Sendable {
    private let steps = Mutex<[@Sendable () async -> Void]>([])

    public init() {}

    /// Adds a step (run before every step added earlier).
    public func add(_ step: @escaping @Sendable () async -> Void) {
        steps.withLock { $0.append(step) }
    }

    /// Runs the steps added so far, newest first; a second call runs only what was added since.
    public func run() async {
        let due = steps.withLock { steps -> [@Sendable () async -> Void] in
            defer { steps.removeAll() }
            return steps
        }
        for step in due.reversed() { await step() }
    }

    /// Runs `body`; on an error the steps run before it is thrown on.
    public func guarding<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            await run()
            throw error
        }
    }
}
