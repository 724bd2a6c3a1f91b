import Foundation
import Synchronization
import TeleportCore
import Testing

@testable import TeleportTopData

/// The fleet's own findings on a live fleet: version skew and outliers over the rows it
/// publishes, joined to each instance's report.
@Suite("Findings: the fleet's own, live")
struct FleetFindingsTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func row(_ id: Int, version: String, goroutines: Double = 300, at seconds: Double) -> FleetRow {
        var row = FleetRow(id: id, name: "node-\(id):3000", source: .prometheus)
        row.version = version
        row.goroutines = goroutines
        row.lastScrape = t0.addingTimeInterval(seconds)
        return row
    }

    @Test("Evaluated at most every 5 s of row time; only the instances whose fleet findings changed are told")
    func foldsRows() {
        var fleet = FleetFindings(minimumSeconds: 5)
        // The first row evaluates at once: alone, nothing to compare.
        #expect(fleet.fold(Self.row(0, version: "17.1.0", at: 0)).isEmpty)
        for id in 1..<5 { #expect(fleet.fold(Self.row(id, version: id == 4 ? "15.0.2" : "17.1.0", at: 1)).isEmpty) }
        // 5 s later: two majors behind is critical, the others have nothing.
        let changed = fleet.fold(Self.row(0, version: "17.1.0", at: 5))
        #expect(changed.map(\.id) == [4])
        #expect(changed.first?.name == "node-4:3000")
        #expect(fleet.findings[4]?.map(\.check) == ["version-skew"])
        #expect(fleet.findings[4]?.first?.severity == .critical)
        // Nothing new: nobody is told.
        #expect(fleet.fold(Self.row(1, version: "17.1.0", at: 10)).isEmpty)
        // A goroutine outlier appears on node 2, then node 4 is upgraded and its skew clears.
        _ = fleet.fold(Self.row(2, version: "17.1.0", goroutines: 40_000, at: 11))
        _ = fleet.fold(Self.row(4, version: "17.1.0", at: 12))
        let next = fleet.fold(Self.row(3, version: "17.1.0", at: 15))
        #expect(next.map(\.id) == [2, 4])
        #expect(fleet.findings[2]?.map(\.check) == ["fleet-outlier"])
        #expect(fleet.findings[4] == nil)
    }

    @Test("On a fleet's seam the engine publishes the fleet's findings of an instance never evaluated (a Prometheus row)")
    func throughTheSeam() async throws {
        let seam = ScrapeSeam(shape: .fleet, window: 600)
        let engine = FindingsEngine()
        engine.attach(to: seam)
        let heard = Mutex<[ScrapeSeam.FindingsUpdate]>([])
        seam.connectFindings { update in heard.withLock { $0.append(update) } }
        seam.publish(row: Self.row(0, version: "17.1.0", at: 0))
        for id in 1..<4 { seam.publish(row: Self.row(id, version: id == 3 ? "16.4.0" : "17.1.0", at: 1)) }
        seam.publish(row: Self.row(0, version: "17.1.0", at: 6))
        let updates = heard.withLock { $0 }
        #expect(updates.map(\.id) == [3])
        #expect(updates.first?.report.findings.map(\.check) == ["version-skew"])
        #expect(updates.first?.report.findings.first?.severity == .warning)
        #expect(engine.published(3).findings.count == 1)
        #expect(engine.latest(3).findings.isEmpty)  // the evaluator's own report holds none
    }
}
