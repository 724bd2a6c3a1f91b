import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

@Suite("Metric registry and writer")
struct MetricRegistryTests {
    @Test("Families come out sorted by name and series by label values, every time")
    func stableOrder() throws {
        let registry = MetricRegistry()
        let zebra = try registry.counter("zebra_total", help: "Z.", labels: ["k"])
        let alpha = try registry.gauge("alpha", help: "A.", labels: ["k"])
        for key in ["m", "c", "x", "a"] {
            zebra.increment(key)
            alpha.set(1, key)
        }
        let first = ExpositionWriter.writeString(registry.gather())
        for _ in 0..<20 { #expect(ExpositionWriter.writeString(registry.gather()) == first) }
        #expect(registry.gather().map(\.name) == ["alpha", "zebra_total"])
        #expect(registry.gather()[0].samples.map { $0.labels[0].value } == ["a", "c", "m", "x"])
    }

    @Test("Registering a name again with other help, type or labels is an error, not a crash")
    func conflicts() throws {
        let registry = MetricRegistry()
        let first = try registry.counter("hits_total", help: "Hits.")
        first.increment()
        let again = try registry.counter("hits_total", help: "Hits.")
        again.increment()
        #expect(first.value() == 2)
        #expect(throws: MetricRegistryError.conflict(name: "hits_total", reason: "other help text")) {
            try registry.counter("hits_total", help: "Other.")
        }
        #expect(throws: MetricRegistryError.conflict(name: "hits_total", reason: "type counter")) {
            try registry.gauge("hits_total", help: "Hits.")
        }
        #expect(throws: MetricRegistryError.conflict(name: "hits_total", reason: "other label names")) {
            try registry.counter("hits_total", help: "Hits.", labels: ["x"])
        }
        #expect(throws: MetricRegistryError.invalidName("1bad")) { try registry.gauge("1bad", help: "") }
        #expect(throws: MetricRegistryError.invalidName("le")) { try registry.histogram("h", help: "", labels: ["le"]) }
    }

    @Test("Counters ignore decrements; a miscounted label list never traps")
    func counterRules() throws {
        let registry = MetricRegistry()
        let counter = try registry.counter("c_total", help: "C.", labels: ["a", "b"])
        counter.increment("x", "y", by: 2)
        counter.increment("x", "y", by: -5)
        counter.increment("only-one")
        #expect(counter.value("x", "y") == 2)
        #expect(counter.value("only-one", "") == 1)
        let plain = try registry.counter("plain_total", help: "P.")
        #expect(plain.value() == 0)  // an unlabelled counter is exposed at 0 from the start, as client_golang does
        let samples = registry.gather().first { $0.name == "c_total" }!.samples
        #expect(samples.count == 2)
        #expect(samples.allSatisfy { $0.labels.count == 2 })
    }

    @Test("The writer escapes HELP and label values and writes numbers as Prometheus does")
    func writerText() {
        let family = MetricFamily(
            name: "m", type: .gauge, help: "a\\b\nc",
            samples: [
                Sample(name: "m", labels: [Label("l", "q\"\\\n")], value: 1),
                Sample(name: "m", labels: [Label("l", "inf")], value: .infinity),
                Sample(name: "m", labels: [Label("l", "nan")], value: .nan, timestampMs: 123),
                Sample(name: "m", labels: [Label("l", "small")], value: 0.000220446),
            ])
        #expect(
            ExpositionWriter.writeString([family]) == """
                # HELP m a\\\\b\\nc
                # TYPE m gauge
                m{l="q\\"\\\\\\n"} 1
                m{l="inf"} +Inf
                m{l="nan"} NaN 123
                m{l="small"} 0.000220446

                """)
    }

    @Test("Teleport's buckets are 0.001 x 2^k, 16 of them")
    func teleportBuckets() {
        #expect(HistogramBuckets.teleport.count == 16)
        #expect(HistogramBuckets.teleport.first == 0.001)
        #expect(HistogramBuckets.teleport.last == 32.768)
        #expect(HistogramBuckets.teleport.map(ExpositionNumber.format).prefix(4) == ["0.001", "0.002", "0.004", "0.008"])
    }

    @Test("Our writer's output parses back to the same families")
    func roundTripOfWriter() throws {
        let registry = MetricRegistry()
        let counter = try registry.counter("requests_total", help: "Requests with a \\ and a\nnewline.", labels: ["path", "code"])
        counter.increment("/a\"b\\c\nd", "200", by: 3)
        counter.increment("/", "500")
        let gauge = try registry.gauge("temperature", help: "Degrees.")
        gauge.set(-12.5)
        let histogram = try registry.histogram("latency_seconds", help: "Latency.", labels: ["op"])
        for value in [0.0005, 0.003, 0.003, 1.5, 100] { histogram.observe(value, "read") }
        let families = registry.gather()
        let parsed = try ExpositionParser().parse(ExpositionWriter.write(families))
        #expect(parsed == families)
        let latency = try #require(parsed.first { $0.name == "latency_seconds" }).histogramSeries()[0]
        #expect(latency.buckets.count == 17)
        #expect(latency.buckets[0].cumulativeCount == 1)
        #expect(latency.buckets[2].cumulativeCount == 3)
        #expect(latency.buckets[11].cumulativeCount == 4)
        #expect(latency.buckets[16].cumulativeCount == 5)
        #expect(latency.count == 5)
    }
}
