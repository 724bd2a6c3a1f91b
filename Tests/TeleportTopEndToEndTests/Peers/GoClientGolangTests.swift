import CompressNIO
import Foundation
import NIOCore
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

/// The parser against a real Go process exposing client_golang metrics (Debian's
/// golang-go + golang-github-prometheus-client-golang-dev).
@Suite("Parser against a real client_golang process", .serialized, .enabled(if: Prerequisites.required(Prerequisites.go)))
struct GoClientGolangTests {
    func family(_ families: [MetricFamily], _ name: String) throws -> MetricFamily {
        try #require(families.first { $0.name == name }, "no family \(name)")
    }

    @Test("Text 0.0.4: Go runtime, process, Teleport-shaped counters, gauges, histograms, summaries")
    func text004() async throws {
        let fixture = try await GoFixture.start(["-state", "degraded"])
        let response = try await HTTP.request(fixture.baseURL + "/metrics")
        #expect(response.headers["Content-Type"].first?.hasPrefix("text/plain; version=0.0.4") == true)
        let families = try ExpositionParser().parse(response.body, format: ExpositionFormat.from(contentType: response.headers["Content-Type"].first))

        #expect(try family(families, "go_goroutines").type == .gauge)
        #expect(try family(families, "go_goroutines").samples[0].value >= 1)
        #expect(try family(families, "process_cpu_seconds_total").type == .counter)
        #expect(try family(families, "go_gc_duration_seconds").type == .summary)
        #expect(try family(families, "go_gc_duration_seconds").summarySeries()[0].quantiles.map(\.quantile) == [0, 0.25, 0.5, 0.75, 1])
        #expect(try family(families, "process_state").samples[0].value == 2)
        let build = try family(families, "teleport_build_info")
        #expect(build.samples[0].labels[label: "version"] == "15.4.2")

        let requests = try family(families, "backend_requests")
        #expect(requests.type == .counter)
        #expect(requests.samples.allSatisfy { $0.name == "backend_requests" })
        #expect(requests.samples.count >= 2)
        #expect(try family(families, "heartbeats_missed_total").type == .gauge)

        let read = try family(families, "backend_read_seconds").histogramSeries()
        #expect(!read.isEmpty)
        for series in read {
            #expect(series.buckets.count == 17)
            #expect(series.buckets.map(\.upperBound).dropLast() == ArraySlice(HistogramBuckets.teleport))
            #expect(series.buckets.last?.cumulativeCount == series.count)
            #expect(zip(series.buckets, series.buckets.dropFirst()).allSatisfy { $0.cumulativeCount <= $1.cumulativeCount })
        }
        let summary = try family(families, "fixture_rpc_duration_seconds").summarySeries()
        #expect(!summary.isEmpty)
        #expect(summary[0].quantiles.map(\.quantile) == [0.5, 0.9, 0.99])

        // Every sample of the payload is in exactly one family.
        let sampleLines = response.text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.count
        #expect(families.reduce(0) { $0 + $1.samples.count } == sampleLines)
        await fixture.stop()
    }

    @Test("OpenMetrics 1.0 negotiation and gzip parse to the same families")
    func openMetricsAndGzip() async throws {
        let fixture = try await GoFixture.start()
        let om = try await HTTP.request(
            fixture.baseURL + "/metrics",
            headers: [("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")])
        let contentType = om.headers["Content-Type"].first
        #expect(ExpositionFormat.from(contentType: contentType) == .openMetrics)
        #expect(om.text.hasSuffix("# EOF\n"))
        let omFamilies = try ExpositionParser().parse(om.body, format: .openMetrics)
        #expect(try family(omFamilies, "backend_requests").type == .unknown)
        let logins = try family(omFamilies, "user_login")
        #expect(logins.type == .counter)
        #expect(logins.samples.first?.name == "user_login_total")

        let zipped = try await HTTP.request(fixture.baseURL + "/metrics", headers: [("Accept-Encoding", "gzip")])
        #expect(zipped.headers["Content-Encoding"].first == "gzip")
        var buffer = ByteBuffer(bytes: zipped.body)
        let text = try buffer.decompress(with: .gzip(), maxSize: 64 << 20)
        let families = try ExpositionParser().parse(Array(text.readableBytesView))
        #expect(families.count >= 40)
        #expect(Set(families.map(\.name)).isSuperset(of: ["process_state", "backend_read_seconds", "go_goroutines"]))
        await fixture.stop()
    }

    @Test("A 5 MB payload of 40k series parses whole")
    func largePayload() async throws {
        let fixture = try await GoFixture.start(["-series", "40000"])
        let response = try await HTTP.request(fixture.baseURL + "/metrics")
        #expect(response.body.count > 4_000_000)
        let families = try ExpositionParser().parse(response.body)
        #expect(try family(families, "fixture_synthetic_series").samples.count == 40000)
        await fixture.stop()
    }

    @Test("Hostile HELP and label text parses, and is made safe by the sanitizer")
    func hostile() async throws {
        let fixture = try await GoFixture.start(["-hostile"])
        let families = try ExpositionParser().parse(try await HTTP.request(fixture.baseURL + "/metrics").body)
        let hostile = try family(families, "fixture_hostile")
        let help = try #require(hostile.help)
        #expect(help.contains("\u{1b}["))
        let safe = Sanitized.quote(help + hostile.samples.flatMap(\.labels).map(\.value).joined())
        #expect(!safe.unicodeScalars.contains { Sanitized.isUnsafe($0) })
        #expect(safe.contains("\\e[31m"))
        #expect(safe.contains("\\u{202E}"))
        await fixture.stop()
    }

    @Test("/readyz of the fixture follows its state, old and new body forms")
    func fixtureReadyz() async throws {
        let fixture = try await GoFixture.start()
        for state in [ProcessState.recovering, .degraded, .starting, .ok] {
            let set = try await HTTP.request(fixture.baseURL + "/fixture/state?value=\(state.name)", method: .POST)
            #expect(set.status == 200)
            let readyz = try await HTTP.request(fixture.baseURL + "/readyz")
            #expect(readyz.status == state.readyzStatusCode)
            let body = try JSONDecoder().decode(ReadyzBody.self, from: Data(readyz.body))
            #expect(ProcessState(readyzStatusText: body.status) == state)
            #expect(body.pid == Int(fixture.process.process.processIdentifier))
        }
        await fixture.stop()
        let old = try await GoFixture.start(["-old-readyz"])
        let body = try JSONDecoder().decode(ReadyzBody.self, from: Data(try await HTTP.request(old.baseURL + "/readyz").body))
        #expect(body.status == "ok")
        #expect(body.pid == nil)
        await old.stop()
    }
}
