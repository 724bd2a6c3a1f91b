import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

/// Prometheus's own linter (Debian's `prometheus` package) reads our /metrics output.
@Suite("promtool check metrics", .enabled(if: Prerequisites.required(Prerequisites.promtool)))
struct PromtoolTests {
    func lint(_ exposition: [UInt8]) throws -> (status: Int32, lines: [String]) {
        let promtool = try #require(Prerequisites.which("promtool"), "promtool missing: apt-get install prometheus")
        let result = try run(promtool, ["check", "metrics"], input: Data(exposition))
        let lines = (result.stdout + result.stderr).split(separator: "\n").map(String.init).sorted()
        return (result.status, lines)
    }

    @Test("The engine's own families: promtool parses them; the only complaints are the two Teleport's names earn")
    func engineFamilies() throws {
        let (engine, clock) = makeEngine()
        try drive(engine, clock, to: .ok)
        let (status, lines) = try lint(engine.exposition())
        #expect(lines == ["heartbeats_missed_total non-counter metrics should not have \"_total\" suffix"])
        #expect(status == 3)  // promtool's exit code for lint problems only
    }

    @Test("The whole simulated Teleport: parsed without error; every complaint is a naming lint Teleport's own names earn")
    func simulatedTeleport() throws {
        let (engine, _) = makeEngine()
        var simulation = TeleportSimulation(registry: engine.registry, startTime: 1_700_000_000)
        var random = SplitMix64(seed: 1)
        for _ in 0..<40 { simulation.step(&random, elapsed: 0.25) }
        let exposition = engine.exposition()
        let (status, lines) = try lint(exposition)
        #expect(status == 3)
        #expect(!lines.contains { $0.hasPrefix("error") || $0.contains("parse error") }, "\(lines)")
        // What promlint says of Teleport's names, computed from the families that have samples.
        var expected: [String] = []
        for family in try ExpositionParser().parse(exposition) where !family.samples.isEmpty {
            let name = family.name
            if family.type == .counter, !name.hasSuffix("_total") {
                expected.append("\(name) counter metrics should have \"_total\" suffix")
            }
            if family.type != .counter, name.hasSuffix("_total") {
                expected.append("\(name) non-counter metrics should not have \"_total\" suffix")
            }
            if family.type != .histogram, family.type != .summary, name.hasSuffix("_count") {
                expected.append("\(name) non-histogram and non-summary metrics should not have \"_count\" suffix")
            }
        }
        #expect(lines == expected.sorted())
        #expect(lines.contains("backend_requests counter metrics should have \"_total\" suffix"))
        #expect(lines.count > 15)
    }
}
