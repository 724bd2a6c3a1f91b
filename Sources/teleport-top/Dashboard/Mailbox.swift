import Synchronization

/// Hands the newest value (a metrics or span snapshot) from the async world to the UI
/// thread; older ones are dropped.
final class Mailbox<Value: Sendable>: Sendable {
    private let slot = Mutex<Value?>(nil)

    func put(_ value: Value) { slot.withLock { $0 = value } }

    func take() -> Value? { slot.withLock { value in defer { value = nil }; return value } }
}

/// Hands every event (profile progress and outcomes) from the async world to the UI thread,
/// in order; none is dropped.
final class EventQueue<Event: Sendable>: Sendable {
    private let queue = Mutex<[Event]>([])

    func put(_ event: Event) { queue.withLock { $0.append(event) } }

    func takeAll() -> [Event] { queue.withLock { events in defer { events.removeAll() }; return events } }
}
