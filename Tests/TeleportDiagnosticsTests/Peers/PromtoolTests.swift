import Foundation
import Testing

@testable import TeleportDiagnostics

/// Prometheus's own linter (Debian's `prometheus` package) reads our /metrics output.
@Suite("promtool check metrics", .enabled(if: Prerequisites.required(Prerequisites.promtool)))
struct PromtoolTests {
    @Test("promtool parses our exposition; the only complaints are the lints Teleport's own names earn")
    func promtoolAcceptsOurOutput() async throws {
        let promtool = try #require(Prerequisites.which("promtool"), "promtool missing: apt-get install prometheus")
        let (engine, clock) = makeEngine()
        drive(engine, clock, to: .ok)
        let workload = try SimulatedWorkload.Families(engine.registry)
        var random = SplitMix64(seed: 1)
        for _ in 0..<20 { SimulatedWorkload.step(workload, &random) }
        let exposition = Data(engine.exposition())
        let result = try run(promtool, ["check", "metrics"], input: exposition)
        let lines = (result.stdout + result.stderr).split(separator: "\n").map(String.init).sorted()
        #expect(!lines.contains { $0.contains("error while linting") || $0.contains("parse") }, "\(lines)")
        #expect(lines == [
            "backend_requests counter metrics should have \"_total\" suffix",
            "heartbeats_missed_total non-counter metrics should not have \"_total\" suffix",
        ])
        #expect(result.status == 3)  // promtool's exit code for lint problems only
    }
}
