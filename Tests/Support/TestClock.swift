import Foundation
import Synchronization

/// A clock tests move by hand.
package final class TestClock: Sendable {
    private let current: Mutex<Date>
    package init(_ start: Date) { current = Mutex(start) }
    package var now: Date { current.withLock { $0 } }
    package func advance(_ seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
