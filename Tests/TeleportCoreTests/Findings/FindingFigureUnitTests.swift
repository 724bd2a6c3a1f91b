import Testing

@testable import TeleportCore

@Suite("A series' unit from its name")
struct FindingFigureUnitTests {
    @Test("seconds and bytes anywhere in the name, counts of histograms plain; the byte search finds every place")
    func units() {
        let cases: [(String, FindingFigure.Unit)] = [
            ("backend_read_seconds", .seconds), ("backend_read_seconds_sum", .seconds), ("backend_read_seconds_count", .plain),
            ("backend_read_seconds_bucket", .plain), ("grpc_latency", .seconds), ("process_resident_memory_bytes", .bytes),
            ("go_memstats_alloc_bytes_total", .bytes), ("proxy_requests_total", .plain), ("", .plain), ("_seconds", .seconds),
            ("x_second", .plain), ("süß_bytes", .bytes), ("_bytes_seconds", .seconds),
        ]
        for (name, unit) in cases { #expect(FindingFigure.unit(of: name) == unit, "\(name)") }
        #expect(FindingFigure.contains("aaab", "aab"))
        #expect(!FindingFigure.contains("aa", "aab"))
        #expect(FindingFigure.contains("ab", ""))
    }
}
