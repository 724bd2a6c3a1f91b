import Foundation
import Synchronization
import TeleportCore
import TeleportTopData
import TeleportTopTestPeers
import Testing

/// The fleet the options name: which combinations are refused and with what words, which
/// source each makes, and that a simulated fleet started before a failure is stopped.
@Suite("fleet setup from the options")
struct FleetSetupTests {
    /// Counts the simulated fleet's starts and stops.
    final class Simulated: Sendable {
        let starts = Mutex<[Int]>([])
        let stops = Mutex(0)
        let entries: @Sendable (Int) throws -> [FleetTargetEntry]

        init(
            entries: @escaping @Sendable (Int) throws -> [FleetTargetEntry] = { count in
                (0..<count).map { FleetTargetEntry(name: "sim-\($0)", diagAddr: "127.0.0.1:\(40_000 + $0)") }
            }
        ) {
            self.entries = entries
        }

        func make(_ request: FleetRequest, headless: Bool = false) async throws(FleetSetupError) -> FleetSetup {
            try await FleetSetup.make(
                request, interval: .seconds(1), history: .seconds(60), headless: headless,
                startSimulated: { count in
                    self.starts.withLock { $0.append(count) }
                    return try self.entries(count)
                },
                stopSimulated: { self.stops.withLock { $0 += 1 } })
        }
    }

    static func refusal(_ request: FleetRequest, headless: Bool = false, simulated: Simulated = Simulated()) async -> String? {
        do {
            let setup = try await simulated.make(request, headless: headless)
            await setup.source.shutdown()
            return nil
        } catch { return error.description }
    }

    @Test("Options that do not go together are refused with words that name them; nothing is started")
    func refusals() async throws {
        let simulated = Simulated()
        var request = FleetRequest()
        request.concurrency = 0
        #expect(await Self.refusal(request, simulated: simulated) == "--concurrency must be at least 1")

        request = FleetRequest()
        request.prometheus = "http://127.0.0.1:9090"
        request.targetsFile = "fleet.yaml"
        #expect(await Self.refusal(request, simulated: simulated)?.hasPrefix("--prometheus reads the fleet from the server") == true)

        request = FleetRequest()
        request.selector = "{job=\"teleport\"}"
        #expect(await Self.refusal(request, simulated: simulated) == "--selector, --bearer-token-file and --basic-auth-user go with --prometheus")

        request = FleetRequest()
        request.prometheus = "http://127.0.0.1:9090"
        request.selector = "{job=\"teleport}"
        #expect(await Self.refusal(request, simulated: simulated)?.hasPrefix("--selector: unclosed quote") == true)

        request = FleetRequest()
        request.instances = 3
        #expect(await Self.refusal(request, headless: true, simulated: simulated) == "--instances runs simulated instances: add --embedded")
        request.embedded = true
        request.diagAddrs = ["127.0.0.1:3000"]
        #expect(await Self.refusal(request, simulated: simulated)?.hasPrefix("--instances runs a simulated fleet; it does not go with") == true)
        for count in [0, 2001] {
            request = FleetRequest()
            request.instances = count
            request.embedded = true
            #expect(await Self.refusal(request, simulated: simulated) == "--instances must be from 1 to 2000")
        }

        request = FleetRequest()
        request.diagAddrs = ["127.0.0.1:3000", "not a port:x"]
        #expect(await Self.refusal(request, simulated: simulated)?.hasPrefix("--diag-addr: ") == true)

        request = FleetRequest()
        request.targetsFile = "/nonexistent/fleet.yaml"
        #expect(await Self.refusal(request, simulated: simulated) == "/nonexistent/fleet.yaml: cannot be read: No such file or directory")

        #expect(simulated.starts.withLock { $0 }.isEmpty)
        #expect(simulated.stops.withLock { $0 } == 0)
    }

    @Test("A targets file and --diag-addrs make one direct fleet; the header counts the targets")
    func directFleet() async throws {
        let directory = Paths.temporaryDirectory("setup")
        let file = directory.appendingPathComponent("fleet.yaml").path
        try """
        - name: auth-1
          diag_addr: 127.0.0.1:3001
        - name: proxy-1
          diag_addr: 127.0.0.1:3002
          host_name: proxy.example
        """.write(toFile: file, atomically: true, encoding: .utf8)
        var request = FleetRequest()
        request.targetsFile = file
        request.diagAddrs = ["127.0.0.1:3003"]
        let setup = try await Simulated().make(request)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(setup.label == "3 targets")
        #expect(!setup.isSimulated && !setup.isPrometheus)
        #expect(setup.source is DirectFleet)
        #expect(setup.source.initialRows.map(\.name) == ["auth-1", "proxy-1", "127.0.0.1:3003"])
        await setup.source.shutdown()
    }

    @Test("--instances with --embedded starts the simulated fleet once and reads its entries")
    func simulatedFleet() async throws {
        let simulated = Simulated()
        var request = FleetRequest()
        request.instances = 4
        request.embedded = true
        let setup = try await simulated.make(request, headless: true)
        #expect(simulated.starts.withLock { $0 } == [4])
        #expect(setup.label == "4 simulated instances")
        #expect(setup.isSimulated)
        #expect(setup.source.initialRows.count == 4)
        await setup.source.shutdown()
        #expect(simulated.stops.withLock { $0 } == 0)
    }

    @Test("A simulated fleet that fails to start is said so; one whose entries cannot be polled is stopped before the error")
    func simulatedFailures() async {
        var request = FleetRequest()
        request.instances = 2
        request.embedded = true
        let failing = Simulated(entries: { _ in throw FixtureError("port 3000 in use") })
        #expect(await Self.refusal(request, simulated: failing) == "cannot start the simulated fleet: port 3000 in use")
        #expect(failing.stops.withLock { $0 } == 0)

        let unreachable = Simulated(entries: { count in (0..<count).map { FleetTargetEntry(name: "bad-\($0)", diagAddr: "not an address") } })
        #expect(await Self.refusal(request, simulated: unreachable) != nil)
        #expect(unreachable.starts.withLock { $0 } == [2])
        #expect(unreachable.stops.withLock { $0 } == 1)
    }

    @Test("--prometheus makes the Prometheus fleet; the header names the server and the selector")
    func prometheusFleet() async throws {
        var request = FleetRequest()
        request.prometheus = "http://127.0.0.1:9090"
        request.selector = "{job=\"teleport\"}"
        request.instanceLabel = "pod"
        let setup = try await Simulated().make(request)
        #expect(setup.isPrometheus)
        #expect(setup.source is PrometheusFleet)
        #expect(setup.label == "Prometheus http://127.0.0.1:9090 {job=\"teleport\"}")
        await setup.source.shutdown()
    }
}
