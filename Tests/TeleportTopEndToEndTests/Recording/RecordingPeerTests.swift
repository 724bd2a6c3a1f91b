import Foundation
import TeleportTopTestPeers
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// Recording and replay against the Go client_golang fixture, and the headless recorder as a
/// process (`record`, `kill -9`, `snapshot --from`).
@Suite("Record and replay with real peers", .serialized, .enabled(if: Prerequisites.required(Prerequisites.go)))
struct RecordingPeerTests {
    /// A snapshot as JSON (the document `snapshot --json` prints), at the scrape's own time.
    static func document(_ snapshot: MetricsSnapshot) throws -> String {
        let at = snapshot.lastScrape?.time ?? snapshot.lastFailure?.time ?? Date(timeIntervalSince1970: 0)
        return String(decoding: try SnapshotDocument.encoder().encode(SnapshotDocument(snapshot, source: "x", now: at)), as: UTF8.self)
    }

    @Test("The Go fixture through degraded, recovering, ok for 30 s: the replayed snapshots at five scrapes equal the live ones exactly")
    func replayEqualsLive() async throws {
        let fixture = try await GoFixture.start()
        let dir = Paths.temporaryDirectory("rec-peer").appendingPathComponent("rec").path
        let writer = try RecordingWriter(directory: dir, header: { RecordingFixtures.header($0) })
        let recorder = Recorder(writer: writer)
        let client = try DiagClient(target: .http(baseURL: fixture.baseURL))
        let store = MetricStore(target: "fixture", interval: .seconds(1))
        let poller = Poller(client: client, store: store, schedule: PollSchedule(interval: .seconds(1)))
        let live = LiveSnapshots()
        let polling = Task {
            await poller.run { outcome in
                recorder.scrape(outcome, interval: .seconds(1))
                let snapshot = await store.snapshot()
                live.add(snapshot, try? Self.document(snapshot))
            }
        }
        // Driven by scrapes, not by the clock (a loaded machine scrapes late): 7 ok, then
        // 7 each degraded, recovering and ok again: about 30 s at 1 s.
        func scrapes(_ count: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(120)
            while live.count < count {
                guard ContinuousClock.now < deadline else { throw FixtureError("only \(live.count) of \(count) scrapes in 120 s") }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        try await scrapes(7)
        for state in ["degraded", "recovering", "ok"] {
            _ = try await HTTP.request(fixture.baseURL + "/fixture/state?value=\(state)", method: .POST)
            try await scrapes(live.count + 7)
        }
        polling.cancel()
        _ = await polling.value
        recorder.close()
        await client.shutdown()
        await fixture.stop()

        let taken = live.all
        #expect(taken.count >= 20)
        let states = taken.map(\.snapshot.state)
        for state in [ObservedState.degraded, .recovering] { #expect(states.contains(state)) }
        let playback = try RecordingPlayback(path: dir)
        #expect(playback.scrapes.count == taken.count)
        // Five times: early, the first degraded, the first recovering, ok again, the last.
        let picks = [
            2, try #require(states.firstIndex(of: .degraded)), try #require(states.firstIndex(of: .recovering)),
            try #require(states.lastIndex(of: .ok)) - 2, taken.count - 1,
        ]
        var withRates = 0
        for index in picks {
            let time = try #require(taken[index].snapshot.lastScrape?.time ?? taken[index].snapshot.lastFailure?.time)
            let (replayed, _) = try await playback.store(at: time, target: "fixture", history: .seconds(600))
            let snapshot = await replayed.snapshot()
            #expect(snapshot.state == taken[index].snapshot.state)
            #expect(snapshot.timeline == taken[index].snapshot.timeline)
            // Rates, windowed quantiles, sparklines: the whole document, byte for byte.
            let replayedDocument = try Self.document(snapshot)
            #expect(replayedDocument == taken[index].document, "scrape \(index) differs")
            if snapshot.families.flatMap(\.series).compactMap(\.rate).contains(where: { $0 > 0 }) { withRates += 1 }
        }
        #expect(withRates >= 1, "counters have rates: the documents compared are not empty ones")
        // The state changes are found from the index alone (n / N).
        #expect(playback.changes().count >= 3)
    }

    @Test("A headless recorder killed with -9 leaves a recording that replays; snapshot --from prints it; bad files are one line")
    func killedRecorder() async throws {
        let fixture = try await GoFixture.start()
        let dir = Paths.temporaryDirectory("rec-kill").appendingPathComponent("rec").path
        let recorder = try ChildProcess(
            Paths.teleportTopBinary.path, ["record", dir, "--diag-addr", String(fixture.baseURL.dropFirst(7)), "--interval", "250ms"])
        _ = try await recorder.waitForLine(inStderr: true) { $0.contains("recording") }
        // Until a few scrapes are in, then -9 at any moment.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let playback = try? RecordingPlayback(path: dir), playback.scrapes.count >= 8 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        _ = await recorder.stop(signal: SIGKILL)
        await fixture.stop()
        let playback = try RecordingPlayback(path: dir)
        #expect(playback.scrapes.count >= 8)
        #expect(playback.reader.skipped == 0)
        let (store, last) = try await playback.store(at: try #require(playback.end), target: "t", history: .seconds(600))
        #expect(await store.scrapeCount == playback.scrapes.count)
        guard case .success? = last else {
            Issue.record("the last scrape did not replay")
            return
        }
        for path in RecordingReader.segmentPaths(in: dir) {
            #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        }

        let binary = Paths.teleportTopBinary.path
        let json = try await runOffPool(binary, ["snapshot", "--from", dir, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(document?["state"] as? String == "ok")
        #expect((document?["source"] as? String) == "recording")
        let text = try await runOffPool(binary, ["snapshot", "--from", dir, "--at=-1s"])
        #expect(text.status == 0 && text.stdout.contains("OK") && text.stdout.contains("backend_requests"), "\(text.stdout)\(text.stderr)")
        let early = try await runOffPool(binary, ["snapshot", "--from", dir, "--at", "2001-01-01T00:00:00Z"])
        #expect(early.status != 0 && early.stderr.contains("the recording starts at"))
        let foreign = try await runOffPool(binary, ["snapshot", "--from", "/etc/hostname"])
        #expect(foreign.status != 0 && foreign.stderr == "teleport-top: /etc/hostname: not a teleport-top recording (no TTOPREC magic)\n")
        let noTerminal = try await runOffPool(binary, ["replay", dir])
        #expect(noTerminal.status != 0 && noTerminal.stderr.contains("replay needs a terminal"))
    }
}

extension RecordingPeerTests {
    @Test("record of a fleet, headless (the simulated one, --embedded): snapshot --from prints each instance at the recording's end")
    func headlessFleet() async throws {
        let dir = Paths.temporaryDirectory("rec-fleet-headless").appendingPathComponent("rec").path
        let binary = Paths.teleportTopBinary.path
        let record = try await runOffPool(binary, ["record", dir, "--embedded", "--instances", "3", "--interval", "500ms", "--for", "5s"])
        #expect(record.status == 0, "\(record.stderr)")
        #expect(record.stderr.contains("recording the fleet"))
        let playback = try RecordingPlayback(path: dir)
        #expect(playback.instances.count == 3)
        let text = try await runOffPool(binary, ["snapshot", "--from", dir])
        #expect(text.status == 0, "\(text.stderr)")
        for name in playback.instances { #expect(text.stdout.contains(name), "\(name) in \(text.stdout)") }
        let json = try await runOffPool(binary, ["snapshot", "--from", dir, "--json"])
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let instances = document?["instances"] as? [[String: Any]] ?? []
        #expect(instances.count == 3, "\(json.stdout.prefix(300))")
        #expect(instances.allSatisfy { ($0["state"] as? String) == "ok" || ($0["state"] as? String) == "degraded" || ($0["state"] as? String) == "recovering" })
    }
}

/// The live store's snapshots, one per scrape, and the time since the first.
final class LiveSnapshots: @unchecked Sendable {
    private let lock = NSLock()
    private var taken: [(snapshot: MetricsSnapshot, document: String?)] = []

    func add(_ snapshot: MetricsSnapshot, _ document: String?) { lock.withLock { taken.append((snapshot, document)) } }
    var all: [(snapshot: MetricsSnapshot, document: String?)] { lock.withLock { taken } }
    var count: Int { lock.withLock { taken.count } }
}
