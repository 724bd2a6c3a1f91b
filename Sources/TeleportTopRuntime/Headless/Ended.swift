import Synchronization

/// Why the stream stopped for good.
public final class Ended: Sendable {
    private let state = Mutex<String?>(nil)
    public init() {}
    public func fail(_ message: String) { state.withLock { $0 = $0 ?? message } }
    public var failure: String? { state.withLock { $0 } }
}
