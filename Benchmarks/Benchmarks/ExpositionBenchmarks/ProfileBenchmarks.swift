import Benchmark
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopTestSupport

/// pprof decoding and the top-N report on a generated profile of about 10 MB gzip-compressed
/// (issue target: decode + top-N faster than `go tool pprof -top` on the same file, measured
/// as whole processes by Scripts/compare-pprof.sh).
func profileBenchmarks() {
    let bytes = SyntheticProfile.ofCompressedSize(10 << 20)
    guard let profile = try? PprofDecoder.decode(bytes) else {
        print("synthetic profile did not decode")
        return
    }
    let frames = profile.samples.reduce(0) { $0 + $1.locations.count }
    print(
        "pprof benchmark profile: \(bytes.count) bytes gzipped, \(profile.samples.count) samples, \(frames) frames, "
            + "\(profile.locations.count) locations, \(profile.functions.count) functions")

    Benchmark("pprof decode 10 MB gz") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? PprofDecoder.decode(bytes))
        }
    }
    Benchmark("pprof top 20 (functions)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? TopReport(profile, options: TopOptions(nodeCount: 20)))
        }
    }
    Benchmark("pprof top 20 (lines)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? TopReport(profile, options: TopOptions(nodeCount: 20, granularity: .lines)))
        }
    }
    Benchmark("pprof decode + top 20, 10 MB gz") { benchmark in
        for _ in benchmark.scaledIterations {
            if let decoded = try? PprofDecoder.decode(bytes) {
                blackHole(try? TopReport(decoded, options: TopOptions(nodeCount: 20)).text())
            }
        }
    }
    Benchmark("goroutine groups of the 10 MB profile") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(GoroutineGroup.groups(profile))
        }
    }
}
