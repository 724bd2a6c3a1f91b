import Foundation
import TeleportCore
import TeleportTopData

/// Two captures of every pprof kind from one Go fixture process at two loads, for diffs:
/// "before" with the fixture's own workload, "after" once the `goroutines-leaking` fault has
/// parked goroutines for a few seconds (the allocs, block and mutex profiles have grown
/// meanwhile, and the second CPU profile runs longer). Saved to files for `go tool pprof`.
package enum ProfilePairs {
    package struct Pair: Sendable {
        package let kind: ProfileKind
        package let before: String
        package let after: String
    }

    package static let kinds: [ProfileKind] = [.profile, .heap, .allocs, .goroutine, .block, .mutex]

    package static let pairs = Task { () throws -> [ProfileKind: Pair] in
        let fixture = try await GoFixture.start(["-debug"])
        defer { Task { await fixture.stop() } }
        let client = try DiagClient(target: DiagTarget(diagAddr: fixture.baseURL), options: .init(timeout: .seconds(20)))
        defer { Task { await client.shutdown() } }
        let directory = Paths.temporaryDirectory("pairs")
        func captureAll(_ label: String, cpuSeconds: Int) async throws -> [ProfileKind: String] {
            var paths: [ProfileKind: String] = [:]
            for kind in kinds {
                let captured = try await ProfileCapture(kind: kind, seconds: kind == .profile ? cpuSeconds : nil).run(client: client)
                let path = directory.appendingPathComponent("\(label)-\(kind.rawValue).pb.gz").path
                try Data(captured.body).write(to: URL(fileURLWithPath: path))
                paths[kind] = path
            }
            return paths
        }
        let before = try await captureAll("before", cpuSeconds: 2)
        let on = try await HTTP.request(fixture.baseURL + "/fixture/fault?name=goroutines-leaking&on=1", method: .POST)
        guard on.status == 200 else { throw FixtureError("the fault switch answered \(on.status): \(on.text)") }
        // The leak parks 20 goroutines a second: wait for at least two rounds.
        try await Task.sleep(for: .seconds(2.5))
        let after = try await captureAll("after", cpuSeconds: 3)
        var pairs: [ProfileKind: Pair] = [:]
        for kind in kinds {
            guard let b = before[kind], let a = after[kind] else { continue }
            pairs[kind] = Pair(kind: kind, before: b, after: a)
        }
        return pairs
    }

    package static func pair(_ kind: ProfileKind) async throws -> Pair {
        guard let pair = try await pairs.value[kind] else { throw FixtureError("no \(kind.rawValue) pair") }
        return pair
    }
}
