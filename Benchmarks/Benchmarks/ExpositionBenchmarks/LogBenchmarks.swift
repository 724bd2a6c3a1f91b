import Benchmark
import Foundation
import TeleportCore
import TeleportTopUI

/// Log throughput with the Logs screen open: 50,000 NDJSON lines split, parsed and added to
/// the buffer (target: at least 50,000 lines a second, so under 1 s), and a 200x60 frame of
/// the Logs screen over a full buffer with a regex filter.
func logBenchmarks() {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    var text = ""
    for i in 0..<50_000 {
        let line = LogLine(
            time: start.addingTimeInterval(Double(i) / 1000), level: ["INFO", "DEBUG", "WARN", "INFO", "ERROR"][i % 5],
            message: "proxy/ssh.dial handled for user-\(i % 40)", caller: "srv/forward.go:\(i % 900)", component: ["proxy", "auth", "node"][i % 3],
            traceID: i % 4 == 0 ? String(format: "%032x", i) : nil, spanID: i % 4 == 0 ? String(format: "%016x", i) : nil,
            attributes: [("duration", "\(i % 97)ms"), ("host", "node-\(i % 50).example.com")])
        text += line.ndjson() + "\n"
    }
    let bytes = Array(text.utf8)
    Benchmark("Logs: split + parse + buffer 50,000 NDJSON lines", configuration: .init(metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal])) {
        benchmark in
        for _ in benchmark.scaledIterations {
            var splitter = LogLineSplitter()
            var buffer = LogBuffer()
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + 64 << 10)
                buffer.append(splitter.feed(bytes[offset..<end]), now: start)
                offset = end
            }
            blackHole(buffer.count)
        }
    }
    Benchmark("Logs frame 200x60 over 50,000 lines, regex filter", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
        var splitter = LogLineSplitter()
        var state = DashboardState(snapshot: .empty(target: "bench", interval: .seconds(2)), isEmbedded: false, now: start)
        state.tab = .logs
        state.logs = LogsState(hasSocket: true)
        state.logs.buffer.append(splitter.feed(bytes), now: start)
        state.logs.filter = LogFilter(minimumRank: 2, pattern: "user-1[0-9]")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(DashboardView.render(state, width: 200, height: 60))
        }
        benchmark.stopMeasurement()
    }
}
