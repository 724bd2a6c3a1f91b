import Foundation
import Testing

@testable import TeleportTopData

@Suite("Findings: when an evaluation is due")
struct FindingsCadenceTests {
    @Test("Every 3 scrapes and 5 s of polling; at once when the target starts or stops answering; a change seen while busy is owed")
    func cadence() {
        var cadence = FindingsCadence(options: .init())
        func due(_ answered: Bool, _ interval: Duration = .seconds(1), busy: Bool = false) -> Bool {
            cadence.observe(answered: answered, interval: interval, busy: busy)
        }
        // The first answer is a change (nothing was known): due at once.
        #expect(due(true))
        // Then at 1 s: five scrapes (5 s of polling), not three.
        let quiet = (1...4).map { _ in due(true) }
        #expect(quiet == [false, false, false, false])
        #expect(due(true))
        // The target stops answering: due at once, then not again until the rule says so.
        #expect(due(false))
        #expect(!due(false))
        // A slow target (10 s timeouts): three failures make it due, not 5 s alone.
        #expect(!due(false, .seconds(10)))
        #expect(due(false, .seconds(10)))
        // It answers again while an evaluation runs: owed to the next scrape.
        #expect(!due(true, busy: true))
        #expect(due(true))
        #expect(!due(true))
    }
}
