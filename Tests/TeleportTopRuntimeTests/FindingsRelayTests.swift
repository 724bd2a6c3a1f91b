import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopUI
import Testing

@testable import TeleportTopRuntime

/// The relay from the findings engine to the dashboard's events.
@Suite("Findings relay")
struct FindingsRelayTests {
    @Test("A fleet's hundreds of reports at once all arrive; an instance's newer report replaces one still waiting")
    func noneLost() async throws {
        let queue = EventQueue()
        let relay = FindingsRelay(queue: queue, windows: FindingsWindows()) { _ in nil }
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let count = 500
        for id in 0..<count {
            let finding = Finding(instance: "node-\(id)", severity: .warning, check: "version-skew", title: "behind", evidence: "", score: 1)
            relay.send(id, FindingsReport(time: t0, coverage: .full, findings: [finding]))
        }
        relay.send(7, FindingsReport(time: t0.addingTimeInterval(5), coverage: .full, findings: []))
        var reports: [Int: FindingsReport] = [:]
        let deadline = ContinuousClock.now + .seconds(60)
        // Until every instance's report came and 7's is the newer one (replaced while waiting,
        // or sent after the first): a minute that must not be reached.
        while reports.count < count || reports[7]?.time != t0.addingTimeInterval(5), ContinuousClock.now < deadline {
            for event in queue.drain() {
                if case .findings(let update) = event { reports[update.instance] = update.report }
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(reports.count == count)
        #expect(reports[7]?.time == t0.addingTimeInterval(5))
        #expect(reports[7]?.findings.isEmpty == true)
        #expect(reports[499]?.findings.first?.instance == "node-499")
        relay.stop()
    }
}
