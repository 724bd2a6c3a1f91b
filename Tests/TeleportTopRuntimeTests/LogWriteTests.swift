import Foundation
import TeleportCore
import Testing

@testable import TeleportTopRuntime

/// `w` on the Logs screen: the lines shown, written as NDJSON to a new 0600 file.
@Suite("writing log lines")
struct LogWriteTests {
    @Test("a new 0600 file of NDJSON lines that read back the same; an unwritable place is a message, not a crash")
    func write() throws {
        let dir = NSTemporaryDirectory() + "tt-logwrite-\(UInt32.random(in: 0...UInt32.max))"
        let lines = [
            LogLine(time: Date(timeIntervalSince1970: 1_800_000_000), level: "WARN", message: "one\u{1B}[2J", component: "auth"),
            LogLine(time: Date(timeIntervalSince1970: 1_800_000_001), level: "INFO", message: "two", attributes: [("k", "v")]),
        ]
        let message = EffectRunner.write(lines, directory: dir)
        #expect(message.hasPrefix("wrote 2 lines to \(dir)/teleport-top-logs-"), "\(message)")
        let path = String(message.dropFirst("wrote 2 lines to ".count))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let read = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { LogLineParser.parse(String($0)) }
        #expect(read == lines)
        #expect(EffectRunner.write(lines, directory: "/proc/no-such-place").hasPrefix("cannot"))
    }
}
