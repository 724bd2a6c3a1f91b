import Foundation
import ServiceLifecycle
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing
import Tracing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

@Suite("Teleport's file:// exporter")
struct FileExporterTests {
    @Test("Rotation: a new file when the next record would reach the limit; an oversized record alone in a fresh file; no record split or lost")
    func rotation() throws {
        let directory = Paths.temporaryDirectory("rot").appendingPathComponent("traces").path
        let limit = 2_000
        let writer = try TraceFileWriter(directory: directory, limit: limit)
        var records: [[UInt8]] = []
        for i in 0..<60 {
            let size = i == 17 ? 5_000 : 100 + (i * 37) % 400  // one record larger than the limit
            var record = Array("{\"n\":\(i),\"pad\":\"".utf8) + Array(repeating: UInt8(ascii: "x"), count: size) + Array("\"}\n".utf8)
            records.append(record)
            try writer.append(record)
            record.removeAll()
        }
        let files = try traceFiles(directory)
        #expect(files.map(\.name) == writer.files.map { URL(fileURLWithPath: $0).lastPathComponent }.sorted())
        // Conservation: the lines of the files, in order, are exactly the records.
        #expect(files.flatMap(\.lines).map { $0 + [UInt8(ascii: "\n")] } == records)
        for (index, file) in files.enumerated() {
            #expect(file.bytes.last == UInt8(ascii: "\n"))
            // Below the limit unless the file holds one record alone.
            #expect(file.bytes.count < limit || file.lines.count == 1)
            if index + 1 < files.count {
                // It was closed because the next record would have reached the limit.
                #expect(file.bytes.count + files[index + 1].lines[0].count + 1 >= limit)
            }
        }
        let oversized = try #require(files.first { $0.bytes.count > limit })
        #expect(oversized.lines.count == 1)
        #expect(files.count >= 60 * 250 / limit)
        // Names and modes as Teleport's: <unixNano>-<random>.trace, 0600 in a 0700 directory.
        for file in files {
            #expect(file.name.wholeMatch(of: /[0-9]{19}-[a-z0-9]+\.trace/) != nil, "\(file.name)")
            let mode = try FileManager.default.attributesOfItem(atPath: directory + "/" + file.name)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
        #expect(try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int == 0o700)
    }

    @Test("A record exactly reaching the limit starts a new file; the first record of an empty file never does")
    func limitBoundary() throws {
        let directory = Paths.temporaryDirectory("edge").path
        let writer = try TraceFileWriter(directory: directory, limit: 100)
        try writer.append(Array(repeating: UInt8(ascii: "a"), count: 59) + [10])  // 60 bytes
        try writer.append(Array(repeating: UInt8(ascii: "b"), count: 38) + [10])  // 60 + 39 = 99 < 100: same file
        try writer.append([UInt8(ascii: "c"), 10])  // 99 + 2 = 101 >= 100: new file
        try writer.append(Array(repeating: UInt8(ascii: "d"), count: 97) + [10])  // 2 + 98 = 100 reaches it: new file
        let files = try traceFiles(directory)
        #expect(files.map(\.lines.count) == [2, 1, 1])
        #expect(files.map(\.bytes.count) == [99, 2, 98])
    }

    @Test("A path that is a file is refused; a missing directory is created 0700")
    func directoryRules() throws {
        let base = Paths.temporaryDirectory("dir")
        let file = base.appendingPathComponent("plain").path
        _ = FileManager.default.createFile(atPath: file, contents: Data())
        #expect(throws: TraceFileError.self) { try TraceFileWriter(directory: file) }
        let nested = base.appendingPathComponent("a/b/traces").path
        _ = try TraceFileWriter(directory: nested)
        #expect(try FileManager.default.attributesOfItem(atPath: nested)[.posixPermissions] as? Int == 0o700)
    }

    @Test("The tracer's file exporter: sampled spans in batches become protojson lines the tail reads back exactly")
    func tracerToFiles() async throws {
        let directory = Paths.temporaryDirectory("tracer").appendingPathComponent("t").path
        let config = TracingConfig(enabled: true, exporterURL: "file://\(directory)?limit=4096", samplingRatePerMillion: 500_000)
        let endpoint = try #require(try config.validated())
        #expect(endpoint == .file(directory: directory, limit: 4096))
        let tracing = try EngineTracing.exporting(to: endpoint, config: config, batch: SpanBatchProcessor.Settings(maxBatch: 7, delay: .milliseconds(50)))
        var tail = TraceDirectoryTail(directory: directory)
        var read: [SpanRecord] = []
        try await withEngineTracing(tracing) { tracer in
            for i in 0..<2000 {
                let root = tracer.startSpan("root", context: .topLevel)
                tracer.startSpan("child", context: root.context).end()
                root.end()
                if i % 100 == 0 {
                    read += tail.poll().decoded.spans  // the tail reads while the exporter writes and rotates
                    await Task.yield()
                }
            }
        }
        let last = tail.poll()
        read += last.decoded.spans
        #expect(last.badLines == 0)
        let roots = read.filter { $0.name == "root" }
        let children = read.filter { $0.name == "child" }
        #expect((800...1200).contains(roots.count), "\(roots.count)")
        #expect(children.count == roots.count)
        #expect(Set(children.compactMap(\.parentSpanID)) == Set(roots.map(\.spanID)))
        #expect(Set(read.map(\.spanID)).count == read.count)
        #expect(tracing.processor?.counts.exported == read.count)
        #expect(tracing.processor?.counts.dropped == 0)
        #expect(try traceFiles(directory).count > 3)
        #expect(read.allSatisfy { $0.service == "teleport" })
    }

    @Test("The queue holds 2048 spans: beyond that spans are dropped and counted, never blocking")
    func queueBound() async throws {
        let writer = try TraceFileWriter(directory: Paths.temporaryDirectory("q").path)
        let processor = SpanBatchProcessor(sinks: [writer], settings: SpanBatchProcessor.Settings(maxQueue: 100, maxBatch: 100, delay: .seconds(3600)))
        for span in fileTestSpans(150) { processor.enqueue(span) }
        #expect(processor.queued == 100)
        #expect(processor.counts.dropped == 50)
        await processor.forceFlush()
        #expect(processor.queued == 0)
        #expect(processor.counts.exported == 100)
    }
}

extension TracingPeers {
    @Suite("File exporter output read by Python's protobuf json_format", .serialized, .enabled(if: PythonOTel.enabled))
    struct FileExporterPythonTests {
        @Test("Every line parses strictly into a ResourceSpans; IDs, parents and resource survive; rotation conserves spans")
        func pythonReadsLines() async throws {
            let directory = Paths.temporaryDirectory("py").appendingPathComponent("traces").path
            let writer = try TraceFileWriter(directory: directory, limit: 8_192)
            let spans = fileTestSpans(400, padding: 40)
            for batch in stride(from: 0, to: spans.count, by: 9).map({ Array(spans[$0..<min($0 + 9, spans.count)]) }) {
                try await writer.export(batch)
            }
            let check = try await PythonOTel.checkTraceFiles(directory)
            #expect(check.errors.isEmpty, "\(check.errors.prefix(3))")
            #expect(check.files.count > 5)
            #expect(check.files.allSatisfy { $0.endsWithNewline && $0.mode == "0o600" })
            #expect(check.files.allSatisfy { $0.bytes < 8_192 || $0.lines == 1 })
            #expect(check.dirMode == "0o700")
            #expect(check.files.reduce(0) { $0 + $1.lines } == 45)
            #expect(check.spans.count == spans.count)
            let expected = Set(spans.map { "\($0.traceID)/\($0.spanID)/\($0.parentSpanID?.description ?? "")/\($0.name)" })
            #expect(Set(check.spans.map { "\($0.trace)/\($0.span)/\($0.parent)/\($0.name)" }) == expected)
            #expect(check.spans.allSatisfy { $0.resource["service.name"] == "teleport" && $0.resource["teleport.version"] == "16.4.2" })
            // IDs are base64 in the file, as protojson writes them.
            let text = try String(contentsOfFile: directory + "/" + check.files[0].name, encoding: .utf8)
            #expect(text.contains("\"traceId\":\"\(Data(spans[0].traceID.bytes).base64EncodedString())\""))
            #expect(text.contains("\"startTimeUnixNano\":\"1700000000000000000\""))
        }
    }
}

@Suite("Span batch processor")
struct SpanBatchProcessorTests {
    @Test("A full batch is exported at once, without waiting for the delay")
    func fullBatchWakes() async throws {
        let sink = CollectingSink()
        let processor = SpanBatchProcessor(sinks: [sink], settings: SpanBatchProcessor.Settings(maxQueue: 100, maxBatch: 10, delay: .seconds(3600)))
        let task = Task { try await processor.run() }
        for span in fileTestSpans(10) { processor.enqueue(span) }
        let deadline = ContinuousClock.now + .seconds(30)
        while await sink.spans.count < 10, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await sink.spans.count == 10)
        // Cancellation (not a graceful shutdown) ends run() too, exporting what is left.
        processor.enqueue(fileTestSpans(11)[10])
        task.cancel()
        try await task.value
        #expect(await sink.spans.map(\.spanID) == fileTestSpans(11).map(\.spanID))
    }
}
