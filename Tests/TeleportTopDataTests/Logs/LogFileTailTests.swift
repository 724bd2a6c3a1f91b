import Foundation
import Synchronization
import TeleportTopTestPeers
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// `--tail-log`: Teleport's JSON and text log files (samples in Tests/Fixtures/logs), lines
/// appended later, and a rotation (the file renamed and a new one started) read from its start.
@Suite("log file tail")
struct LogFileTailTests {
    final class Seen: Sendable {
        let lines = Mutex<[LogLine]>([])
        let statuses = Mutex<[LogSourceStatus]>([])
    }

    func waitFor(_ seen: Seen, count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while seen.lines.withLock({ $0.count }) < count && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
    }

    @Test("the samples: JSON and text lines parsed, the panic kept raw; appended lines follow; a rotation is read from the start")
    func samples() async throws {
        let dir = Paths.temporaryDirectory("tail")
        let path = dir.appendingPathComponent("teleport.log").path
        let json = try String(contentsOf: Paths.repo("Tests/Fixtures/logs/teleport-json.log"), encoding: .utf8)
        let text = try String(contentsOf: Paths.repo("Tests/Fixtures/logs/teleport-text.log"), encoding: .utf8)
        try json.write(toFile: path, atomically: false, encoding: .utf8)
        let seen = Seen()
        let task = Task {
            await LogFileTail(path: path, pollInterval: .milliseconds(50)).run(
                onLines: { lines in seen.lines.withLock { $0 += lines } },
                onStatus: { status in seen.statuses.withLock { $0.append(status) } })
        }
        defer { task.cancel() }
        try await waitFor(seen, count: 4)
        var lines = seen.lines.withLock { $0 }
        #expect(lines.map(\.level) == ["INFO", "WARN", "ERROR", "DEBUG"])
        #expect(lines[1].traceID == "4bf92f3577b34da6a3ce929d0e0e4736" && lines[2].component == "auth:cache")
        #expect(lines[3].message.contains("\u{1B}"))  // kept as received; quoted on the way to a terminal
        // Appended: the text form.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
        try await waitFor(seen, count: 8)
        lines = seen.lines.withLock { $0 }
        #expect(lines[4].component == "proc:1" && lines[4].message == "Starting Teleport." && lines[4].caller == "service/service.go:1123")
        #expect(lines[5].level == "WARN" && lines[5].traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(lines[6].level == "ERROR" && lines[6].component == "auth:cache")
        #expect(lines[7].isRaw && lines[7].message.hasPrefix("panic:"))
        // Rotated: renamed away, a new file started; read from its start, with a marker.
        #expect(rename(path, path + ".1") == 0)
        try "{\"level\":\"INFO\",\"message\":\"after rotation\"}\n".write(toFile: path, atomically: false, encoding: .utf8)
        try await waitFor(seen, count: 10)
        lines = seen.lines.withLock { $0 }
        #expect(lines[8].message.contains("rotated") && lines[9].message == "after rotation")
        #expect(seen.statuses.withLock { $0 }.contains(.streaming(source: path)))
    }

    @Test("a missing file is a status that says so, and the tail starts when the file appears")
    func missing() async throws {
        let dir = Paths.temporaryDirectory("tail-missing")
        let path = dir.appendingPathComponent("later.log").path
        let seen = Seen()
        let task = Task {
            await LogFileTail(path: path, pollInterval: .milliseconds(50)).run(
                onLines: { lines in seen.lines.withLock { $0 += lines } },
                onStatus: { status in seen.statuses.withLock { $0.append(status) } })
        }
        defer { task.cancel() }
        let deadline = ContinuousClock.now + .seconds(60)
        while seen.statuses.withLock({ $0.isEmpty }) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        guard case .retrying(let reason, _)? = seen.statuses.withLock({ $0.first }) else {
            Issue.record("no status for a missing file")
            return
        }
        #expect(reason.contains("No such file"))
        try "{\"level\":\"WARN\",\"message\":\"here now\"}\n".write(toFile: path, atomically: false, encoding: .utf8)
        try await waitFor(seen, count: 1)
        #expect(seen.lines.withLock { $0.first?.message } == "here now")
    }
}
