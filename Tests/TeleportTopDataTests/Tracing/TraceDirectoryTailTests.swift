import Foundation
import OTLPProto
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

@Suite("--trace-dir: tailing a Teleport file-exporter directory")
struct TraceDirectoryTailTests {
    /// One protojson line holding `spans`.
    static func line(_ spans: [SpanRecord]) throws -> [UInt8] {
        try OTLPSpans.resourceSpans(spans)[0].jsonUTF8Bytes() + [UInt8(ascii: "\n")]
    }

    @Test("Two writers in one directory, a rotation in the middle, a partial last line completed later: every span read exactly once")
    func twoWritersRotationPartialLine() async throws {
        let directory = Paths.temporaryDirectory("tail").appendingPathComponent("traces").path
        let all = fileTestSpans(600, padding: 20)
        let first = try TraceFileWriter(directory: directory, limit: 6_000)
        let second = try TraceFileWriter(directory: directory, limit: 1_000_000)
        var tail = TraceDirectoryTail(directory: directory)
        var read: [SpanRecord] = []
        // A third writer of our own that leaves a line half written for a while.
        let partialPath = directory + "/1700000000000000000-partial.trace"
        let partialLine = try Self.line(Array(all[590..<600]))
        let cut = partialLine.count / 2
        _ = FileManager.default.createFile(atPath: partialPath, contents: Data(partialLine[..<cut]), attributes: [.posixPermissions: 0o600])

        var index = 0
        var round = 0
        while index < 590 {
            let n = min(5 + round % 7, 590 - index)
            let batch = Array(all[index..<index + n])
            try await (round % 2 == 0 ? first : second).export(batch)
            index += n
            round += 1
            if round % 3 == 0 { read += tail.poll().decoded.spans }
        }
        #expect(first.files.count >= 2, "the first writer rotated")
        read += tail.poll().decoded.spans
        #expect(read.count == 590, "the partial line is not read yet")
        // The line is completed later.
        let handle = try #require(FileHandle(forWritingAtPath: partialPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(partialLine[cut...]))
        try handle.close()
        let pass = tail.poll()
        read += pass.decoded.spans
        #expect(pass.badLines == 0)
        // Nothing more on further passes.
        #expect(tail.poll().decoded.spans.isEmpty)
        #expect(read.count == all.count)
        #expect(Set(read.map(\.spanID)) == Set(all.map(\.spanID)))
        #expect(Set(read) == Set(all))
    }

    @Test("Hostile input: a line that is not JSON, a line of another message, truncated and empty lines, an over-long line")
    func hostileLines() throws {
        let directory = Paths.temporaryDirectory("hostile").path
        let good = try Self.line(fileTestSpans(2))
        var bytes: [UInt8] = []
        bytes += Array("not json at all\n".utf8)
        bytes += Array("{\"scopeSpans\": 5}\n".utf8)
        bytes += good
        bytes += Array(good.prefix(good.count / 2)) + [UInt8(ascii: "\n")]  // truncated
        bytes += Array("\n   \n".utf8)
        bytes += Array("{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"AAAA\",\"spanId\":\"AQIDBAUGBwg=\",\"name\":\"bad id\"}]}]}\n".utf8)
        _ = FileManager.default.createFile(atPath: directory + "/1-a.trace", contents: Data(bytes))
        var tail = TraceDirectoryTail(directory: directory)
        let pass = tail.poll()
        #expect(pass.decoded.spans.count == 2)
        #expect(pass.badLines == 3)
        #expect(pass.decoded.rejected == 1)
        #expect(pass.problem != nil)
        // A file that is not *.trace is ignored; a missing directory is a problem, not a crash.
        _ = FileManager.default.createFile(atPath: directory + "/notes.txt", contents: Data(good))
        #expect(tail.poll().decoded.spans.isEmpty)
        var missing = TraceDirectoryTail(directory: directory + "/nope")
        #expect(missing.poll().problem?.contains("cannot be read") == true)
    }

    @Test("A file with a line past 64 MiB (sparse, no newline) is read in slices: the skip is told on the way, the line after it still decodes")
    func hugeLineInSlices() throws {
        let directory = Paths.temporaryDirectory("trace-huge").path
        let path = directory + "/a.trace"
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(TraceDirectoryTail.maxLine + (6 << 20)))
        try handle.seekToEnd()
        let line =
            #"{"resource":{},"scopeSpans":[{"spans":[{"traceId":"AAECAwQFBgcICQoLDA0ODw==","spanId":"AAECAwQFBgc=","name":"after","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}"#
        try handle.write(contentsOf: Data(("\n" + line + "\n").utf8))
        try handle.close()
        var tail = TraceDirectoryTail(directory: directory)
        tail.maxPassBytes = 16 << 20
        var passes: [TraceDirectoryTail.Pass] = []
        while passes.count < 20 {
            let pass = tail.poll()
            passes.append(pass)
            if !pass.decoded.spans.isEmpty { break }
        }
        #expect(passes.count == 5, "70 MiB in 16 MiB slices: the fifth reads past the 64 MiB mark to the end")
        let warned = try #require(passes.firstIndex { $0.problem != nil })
        #expect(warned == 4 && passes[warned].badLines == 1 && passes[warned].problem!.contains("skipped"))
        #expect(passes.last?.decoded.spans.map(\.name) == ["after"])
    }
}
