import Foundation
import ServiceLifecycle
import TeleportCore
import TeleportDiagnostics
import Tracing

/// Spans made for the file tests: `count` records of one trace each, with a parent link.
package func fileTestSpans(_ count: Int, name: String = "span", padding: Int = 0) -> [SpanRecord] {
    let resource = EngineTracing.Resource(version: "16.4.2", processID: "p", hostName: "h", hostUUID: "u").spanResource
    var spans: [SpanRecord] = []
    for i in 0..<count {
        let n = UInt64(i)
        let traceID = TraceID(high: 0xABCD, low: n / 2 + 1)
        let parent: SpanID? = i % 2 == 1 ? SpanID(n) : nil
        let failed = i % 5 == 0
        let attributes = [SpanAttribute("pad", .string(String(repeating: "x", count: padding))), SpanAttribute("i", .int(Int64(i)))]
        let start: UInt64 = 1_700_000_000_000_000_000 + n
        spans.append(
            SpanRecord(
                traceID: traceID, spanID: SpanID(n + 1), parentSpanID: parent, name: "\(name) \(i)", kind: .server,
                startNanos: start, endNanos: start + 500_000_000, status: failed ? .error : .unset, statusMessage: failed ? "failed \(i)" : "",
                attributes: attributes, resource: resource, scope: "tests"))
    }
    return spans
}

/// Every `.trace` file of a directory, oldest name first, with its lines.
package func traceFiles(_ directory: String) throws -> [(name: String, bytes: [UInt8], lines: [[UInt8]])] {
    try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".trace") }.sorted().map { name in
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast().map(Array.init)
        return (name, bytes, lines)
    }
}

/// Runs the tracing service while `work` makes spans, then shuts it down gracefully (which
/// exports what is still queued).
package func withEngineTracing(_ tracing: EngineTracing, _ work: (any Tracer) async throws -> Void) async throws {
    let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [.init(service: tracing.service)], logger: .init(label: "t")))
    let task = Task { try await group.run() }
    do { try await work(tracing.tracer) } catch {
        await group.triggerGracefulShutdown()
        _ = await task.result
        throw error
    }
    await group.triggerGracefulShutdown()
    try await task.value
}
