import Foundation
import TeleportTopTestPeers
import Testing

@testable import TeleportCore

@Suite("Exposition parser")
struct ExpositionParserTests {
    let parser = ExpositionParser()

    func family(_ families: [MetricFamily], _ name: String) throws -> MetricFamily {
        try #require(families.first { $0.name == name }, "no family \(name)")
    }

    @Test("Teleport's real /metrics excerpts parse with the values users pasted")
    func teleportExcerpts() throws {
        let text = try String(contentsOf: Paths.repo("Tests/Fixtures/teleport-metrics-excerpts.txt"), encoding: .utf8)
        let families = try parser.parse(text)

        let batchWrite = try family(families, "backend_batch_write_seconds")
        #expect(batchWrite.type == .histogram)
        #expect(batchWrite.help == nil)
        let series = batchWrite.histogramSeries()
        #expect(series.count == 1)
        #expect(series[0].labels == [Label("component", "backend")])
        #expect(series[0].buckets.count == 17)
        #expect(series[0].buckets.last?.upperBound == .infinity)
        #expect(series[0].buckets.first?.upperBound == 0.001)
        #expect(series[0].buckets[15].upperBound == 32.768)
        #expect(series[0].sum == 0.000220446)
        #expect(series[0].count == 1)

        let build = try family(families, "teleport_build_info")
        #expect(build.type == .untyped)
        #expect(build.samples.count == 2)
        #expect(build.samples[0].labels[label: "gitref"] == "v10.3.7-0-g63c9f949f")
        #expect(build.samples[1].labels[label: "gitref"] == "")
        #expect(build.samples[1].labels[label: "version"] == "10.3.8")

        #expect(try family(families, "process_start_time_seconds").samples[0].value == 1.69840775005e9)
        #expect(try family(families, "process_resident_memory_bytes").samples[0].value == 180_219_904)
        #expect(try family(families, "process_cpu_seconds_total").type == .counter)
        #expect(try family(families, "process_state").help == "State of the teleport process: 0 - ok, 1 - recovering, 2 - degraded, 3 - starting")

        let received = try family(families, "grpc_server_msg_received_total")
        #expect(received.samples.count == 4)
        #expect(received.samples[2].labels[label: "grpc_method"] == "GetAuthPreference")
        #expect(received.samples[2].value == 7)

        let tunnels = try family(families, "teleport_reverse_tunnels_connected")
        #expect(tunnels.type == .gauge)
        #expect(tunnels.samples.map(\.value) == [1, 1, 2, 1, 1])
    }

    @Test("Types come from # TYPE, not from suffixes")
    func typesByTypeLine() throws {
        let text = """
            # TYPE backend_requests counter
            backend_requests{component="backend",req="/nodes",range="false"} 12
            # TYPE heartbeats_missed_total gauge
            heartbeats_missed_total 3
            plain_total 4
            """
        let families = try parser.parse(text)
        #expect(try family(families, "backend_requests").type == .counter)
        #expect(try family(families, "heartbeats_missed_total").type == .gauge)
        #expect(try family(families, "plain_total").type == .untyped)
        #expect(families.count == 3)
    }

    @Test("Escapes, NaN, infinities, timestamps and blanks")
    func valuesAndEscapes() throws {
        let text = """
            # HELP weird A help with a \\\\ backslash and a \\n newline.
            # TYPE weird gauge
            weird{path="C:\\\\dir",quote="say \\"hi\\"",multi="a\\nb"} NaN
            weird{path="x"} +Inf 1700000000000
            weird{path="y"} -Inf
            weird{path="z"}   1.5e-3   -42
            \tweird{path="w",} 7\r
            """
        let families = try parser.parse(text)
        let weird = try family(families, "weird")
        #expect(weird.help == "A help with a \\ backslash and a \n newline.")
        #expect(weird.samples.count == 5)
        #expect(weird.samples[0].labels == [Label("path", "C:\\dir"), Label("quote", "say \"hi\""), Label("multi", "a\nb")])
        #expect(weird.samples[0].value.isNaN)
        #expect(weird.samples[1].value == .infinity)
        #expect(weird.samples[1].timestampMs == 1_700_000_000_000)
        #expect(weird.samples[2].value == -.infinity)
        #expect(weird.samples[3].value == 0.0015)
        #expect(weird.samples[3].timestampMs == -42)
        #expect(weird.samples[4].labels == [Label("path", "w")])
        #expect(weird.samples[4].value == 7)
    }

    @Test("Summaries are assembled with their quantiles, sum and count")
    func summaries() throws {
        let text = """
            # HELP rpc_seconds RPC latency.
            # TYPE rpc_seconds summary
            rpc_seconds{method="a",quantile="0.5"} 0.01
            rpc_seconds{method="a",quantile="0.99"} 0.2
            rpc_seconds_sum{method="a"} 3.5
            rpc_seconds_count{method="a"} 100
            rpc_seconds{method="b",quantile="0.5"} 0.02
            rpc_seconds_sum{method="b"} 1
            rpc_seconds_count{method="b"} 10
            """
        let summaries = try family(try parser.parse(text), "rpc_seconds").summarySeries()
        #expect(summaries.count == 2)
        #expect(summaries[0].labels == [Label("method", "a")])
        #expect(summaries[0].quantiles.map(\.quantile) == [0.5, 0.99])
        #expect(summaries[0].quantiles.map(\.value) == [0.01, 0.2])
        #expect(summaries[0].sum == 3.5)
        #expect(summaries[0].count == 100)
        #expect(summaries[1].count == 10)
    }

    @Test("OpenMetrics: UNIT, _total counters, _created, exemplars, seconds timestamps, # EOF")
    func openMetrics() throws {
        let text = """
            # TYPE user_login counter
            # HELP user_login Number of logins.
            user_login_total 5 1700000000.5
            user_login_created 1699990000
            # TYPE req_seconds histogram
            # UNIT req_seconds seconds
            req_seconds_bucket{le="0.1"} 3 # {trace_id="abc"} 0.05 1700000000
            req_seconds_bucket{le="+Inf"} 4
            req_seconds_sum 0.9
            req_seconds_count 4
            # TYPE backend_requests unknown
            backend_requests{req="/nodes"} 930.0
            # EOF

            """
        let families = try parser.parse(text)
        #expect(families.count == 3)
        let logins = try family(families, "user_login")
        #expect(logins.type == .counter)
        #expect(logins.samples.map(\.name) == ["user_login_total", "user_login_created"])
        #expect(logins.samples[0].timestampMs == 1_700_000_000_500)
        let histogram = try family(families, "req_seconds")
        #expect(histogram.unit == "seconds")
        #expect(histogram.histogramSeries()[0].buckets.map(\.cumulativeCount) == [3, 4])
        #expect(try family(families, "backend_requests").samples[0].value == 930)
    }

    @Test("OpenMetrics: a name declared again after its samples is another family (client_golang's gauge x and counter x_total)")
    func openMetricsNameReuse() throws {
        let text = """
            # HELP go_memstats_alloc_bytes Bytes in use.
            # TYPE go_memstats_alloc_bytes gauge
            go_memstats_alloc_bytes 100
            # HELP go_memstats_alloc_bytes Bytes allocated in total.
            # TYPE go_memstats_alloc_bytes counter
            go_memstats_alloc_bytes_total 500
            # EOF
            """
        let families = try parser.parse(text)
        #expect(families.map(\.type) == [.gauge, .counter])
        #expect(families.map(\.help) == ["Bytes in use.", "Bytes allocated in total."])
        #expect(families[1].samples.map(\.name) == ["go_memstats_alloc_bytes_total"])
        #expect(throws: ExpositionParseError.self) {
            try parser.parse("# TYPE a gauge\na 1\n# TYPE a counter\na_total 2\n", format: .text)
        }
    }

    @Test("OpenMetrics without # EOF is reported as truncated")
    func openMetricsTruncated() {
        #expect(throws: ExpositionParseError.self) {
            try parser.parse("# TYPE a gauge\na 1\n", format: .openMetrics)
        }
    }

    @Test("Samples of a declared family that come back later join it; duplicate HELP is tolerated")
    func interleaving() throws {
        let text = """
            # HELP a First help.
            # TYPE a counter
            a{x="1"} 1
            b 2
            a{x="2"} 3
            # HELP a Second help.
            """
        let families = try parser.parse(text)
        #expect(families.map(\.name) == ["a", "b"])
        #expect(families[0].samples.count == 2)
        #expect(families[0].help == "First help.")
    }

    @Test("Empty and comment-only payloads have no families")
    func empty() throws {
        #expect(try parser.parse("").isEmpty)
        #expect(try parser.parse("\n\n# just a comment\n").isEmpty)
    }

    @Test(
        "Malformed input is rejected with the line and the reason",
        arguments: [
            ("a 1\nb{x=\"1\" 2\n", 2, "expected ',' or '}'"),
            ("a 1\nb{x=\"1\"\n", 2, "unterminated label set"),
            ("a 1\nb{x=\"1\n", 2, "unterminated value"),
            ("a 1\na 2\nc 3 4 5\n", 3, "unexpected text"),
            ("ok 1\nbroken{x=\"\\q\"} 1\n", 2, "invalid escape"),
            ("value_garbage 12abc\n", 1, "invalid value"),
            ("# TYPE dup gauge\n# TYPE dup counter\ndup 1\n", 2, "second # TYPE"),
            ("# TYPE late gauge\nlate 1\n# TYPE late gauge\n", 3, "second # TYPE"),
            ("x{a=\"1\",a=\"2\"} 1\n", 1, "duplicate label"),
            ("# TYPE h histogram\nh_bucket{x=\"1\"} 1\n", 2, "without an le"),
            ("# TYPE h histogram\nh_bucket{le=\"abc\"} 1\n", 2, "not a number"),
            ("# TYPE t gauge\nt 1 12.5\n", 2, "invalid timestamp"),
            ("# TYPE t nonsense\n", 1, "unknown metric type"),
            ("no_value\n", 1, "missing value"),
            ("no_value{a=\"b\"}\n", 1, "missing value"),
            ("bad-name 1\n", 1, "invalid character"),
            ("<html><body>Not Found</body></html>\n", 1, "expected a metric name"),
            ("x{1a=\"b\"} 1\n", 1, "invalid label name"),
            ("x{a \"b\"} 1\n", 1, "expected '='"),
            ("x{a=b} 1\n", 1, "no quoted value"),
            ("x{a=\"\u{1b}[31m\"} 1\n", 0, ""),  // control characters in label values are legal
        ])
    func malformed(input: String, line: Int, reason: String) {
        if line == 0 {
            #expect(throws: Never.self) { try parser.parse(input) }
            return
        }
        do {
            _ = try parser.parse(input)
            Issue.record("accepted: \(input)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
            #expect(error.description.hasPrefix("line \(line): "))
        }
    }

    @Test("Truncation anywhere inside a line gives an error or a prefix, never a crash")
    func truncatedAnywhere() throws {
        let text = """
            # HELP backend_read_seconds Latency for read operations.
            # TYPE backend_read_seconds histogram
            backend_read_seconds_bucket{component="backend",le="0.001"} 1
            backend_read_seconds_bucket{component="backend",le="+Inf"} 2
            backend_read_seconds_sum{component="backend"} 0.5
            backend_read_seconds_count{component="backend"} 2

            """
        let bytes = Array(text.utf8)
        var errors = 0
        for cut in 0..<bytes.count {
            do {
                _ = try parser.parse(Array(bytes[..<cut]))
            } catch {
                errors += 1
                #expect(error.line >= 1 && error.line <= 6)
            }
        }
        #expect(errors > 50)  // most cuts land inside a sample
    }

    @Test("A 10 MB single line is refused at the line limit")
    func hugeLine() {
        let line = "big{a=\"" + String(repeating: "x", count: 10 << 20) + "\"} 1\n"
        do {
            _ = try parser.parse("ok 1\n" + line)
            Issue.record("accepted a 10 MB line")
        } catch {
            #expect(error.line == 2)
            #expect(error.reason.contains("1 MiB"))
        }
    }

    @Test("A payload over the limit is refused before parsing")
    func payloadLimit() {
        let small = ExpositionParser(limits: ExpositionLimits(maxLineBytes: 1 << 20, maxPayloadBytes: 1000))
        do {
            _ = try small.parse(String(repeating: "a 1\n", count: 300))
            Issue.record("accepted an oversized payload")
        } catch {
            #expect(error.line == 0)
            #expect(error.description.contains("exceeds"))
        }
    }

    @Test("More series than --max-series is refused with the option's name; as many is read")
    func seriesLimit() throws {
        let limited = ExpositionParser(limits: ExpositionLimits(maxSeries: 10))
        let ten = (0..<10).map { "s{i=\"\($0)\"} 1\n" }.joined()
        #expect(try limited.parse(ten).reduce(0) { $0 + $1.samples.count } == 10)
        do {
            _ = try limited.parse(ten + "t 2\n")
            Issue.record("accepted 11 series with a limit of 10")
        } catch {
            #expect(error.line == 11)
            #expect(error.reason.contains("more than 10 series") && error.reason.contains("--max-series"))
        }
    }

    @Test("Binary junk is an error with a line number, whatever the bytes")
    func binaryJunk() {
        var random = SplitMix64(seed: 42)
        for round in 0..<200 {
            let count = 1 + random.next(below: 4096)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if round % 2 == 0 { bytes.insert(contentsOf: Array("ok 1\n".utf8), at: 0) }
            do {
                _ = try parser.parse(bytes)
            } catch {
                #expect(error.line >= 1)
            }
        }
        #expect(throws: ExpositionParseError.self) { try parser.parse([0x00, 0xFF, 0xFE, 0x0A]) }
    }

    @Test("Invalid UTF-8 in a label value is refused")
    func invalidUTF8() {
        let bytes = Array("x{a=\"".utf8) + [0xC3, 0x28] + Array("\"} 1\n".utf8)
        #expect(throws: ExpositionParseError.self) { try parser.parse(bytes) }
    }

    @Test("Numbers parse exactly as Go's ParseFloat")
    func numbers() {
        let cases: [(String, Double)] = [
            ("0", 0), ("1", 1), ("-1", -1), ("1.69840775005e+09", 1.69840775005e9), ("0.000220446", 0.000220446),
            ("32.768", 32.768), ("1e-05", 1e-05), ("123456789012345678901234", 123456789012345678901234.0),
            ("4.9e-324", 4.9e-324), ("1.7976931348623157e308", 1.7976931348623157e308), ("+Inf", .infinity),
            ("-Inf", -.infinity), (".5", 0.5), ("5.", 5), ("0.1", 0.1), ("2.2250738585072014e-308", 2.2250738585072014e-308),
        ]
        for (text, value) in cases {
            #expect(ExpositionNumber.parse(text) == value, "\(text)")
        }
        #expect(ExpositionNumber.parse("NaN")?.isNaN == true)
        for bad in ["", "-", "1e", "abc", "0x10", "1.2.3", " 1", "--1", "+NaN", "1_000"] {
            #expect(ExpositionNumber.parse(bad) == nil, "\(bad)")
        }
        var random = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let value = Double(bitPattern: random.next())
            guard value.isFinite else { continue }
            #expect(ExpositionNumber.parse("\(value)") == value)
        }
    }
}
