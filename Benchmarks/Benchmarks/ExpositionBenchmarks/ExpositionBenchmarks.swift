import Benchmark
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopTestSupport

/// Parse and write throughput of the exposition format (issue target: parse >= 150 MB/s
/// in release). Throughput per iteration is one whole payload; divide its size by the
/// wall-clock time to get MB/s (the run prints the payload sizes).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, .throughput],
        maxDuration: .seconds(10),
        maxIterations: 200
    )

    for megabytes in [5, 20] {
        let payload = SyntheticPayload.make(targetBytes: megabytes << 20)
        let series = (try? ExpositionParser().parse(payload))?.reduce(0) { $0 + $1.samples.count } ?? 0
        print("parse payload \(megabytes) MB: \(payload.count) bytes, \(series) series")
        Benchmark("Parse \(megabytes) MB (\(series) series)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try? ExpositionParser().parse(payload))
            }
        }
    }

    let families = (try? ExpositionParser().parse(SyntheticPayload.make(targetBytes: 5 << 20))) ?? []
    Benchmark("Write 5 MB") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(ExpositionWriter.write(families))
        }
    }

    storeBenchmarks()
    findingsBenchmarks()
    renderBenchmarks()
    fleetBenchmarks()
    logBenchmarks()
    profileBenchmarks()
    flameBenchmarks()
    spanIngestBenchmarks()

    let engine = DiagnosticsEngine(logSink: LogSink(handle: .nullDevice))
    Benchmark("Engine /metrics exposition (registry gather + write)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(engine.exposition())
        }
    }
}
