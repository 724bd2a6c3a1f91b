import ArgumentParser
import Foundation
import TeleportCore
import TeleportTopData

/// `teleport-top recording-bench SOURCE` (hidden; Scripts/measure-recording.sh runs it):
/// writes a long recording from a short real one (its scrape bodies again and again, 2 s
/// apart) and times opening it and seeking in it.
struct RecordingBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recording-bench",
        abstract: "Time opening and seeking in a long recording made from a short one's scrapes.",
        shouldDisplay: false
    )

    @Argument(help: "A short recording whose scrape bodies are repeated.")
    var source: String

    @Option(help: "Hours of recording to write.")
    var hours: Double = 24

    @Option(help: "Seconds between scrapes.")
    var interval: Double = 2

    @Option(help: "Seeks to time.")
    var seeks: Int = 20

    func run() async throws {
        let short: RecordingPlayback
        do { short = try RecordingPlayback(path: source) } catch { throw fail("\(source): \(error)") }
        var bodies: [[UInt8]] = []
        for position in short.scrapes.indices {
            if let scrape = try? short.scrape(at: position), scrape.record.failure == nil { bodies.append(scrape.body) }
        }
        guard !bodies.isEmpty else { throw fail("\(source): no scrape bodies") }
        let directory = NSTemporaryDirectory() + "teleport-top-bench-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let count = Int(hours * 3600 / interval)
        let t0 = Date().addingTimeInterval(-hours * 3600)
        let writer = try RecordingWriter(
            directory: directory, limits: .init(segmentSize: 64 << 20, maxSize: 1 << 40, maxAge: 1e9),
            header: { number in
                RecordingFormat.Header(created: t0, segment: number, sources: ["target bench"], intervalSeconds: interval, historySeconds: 600, writer: "bench")
            })
        let recorder = Recorder(writer: writer)
        let writeStart = ContinuousClock.now
        for i in 0..<count {
            // Bodies cycle; the cycle is long enough that values move as they did.
            let body = bodies[i % bodies.count]
            let families = (try? ExpositionParser().parse(body)) ?? []
            let time = t0.addingTimeInterval(Double(i) * interval)
            recorder.scrape(
                .success(
                    ScrapeResult(
                        time: time, duration: .milliseconds(4), bytes: body.count, families: families, body: body,
                        contentType: "text/plain; version=0.0.4")), interval: .seconds(interval))
        }
        recorder.close()
        let writeSeconds = (ContinuousClock.now - writeStart).seconds
        let size = RecordingReader.segmentPaths(in: directory).reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        let openStart = ContinuousClock.now
        let playback = try RecordingPlayback(path: directory)
        let openSeconds = (ContinuousClock.now - openStart).seconds
        var times: [Double] = []
        var generator = SplitMix64(seed: 42)
        for _ in 0..<seeks {
            let at = t0.addingTimeInterval(Double(generator.next() % UInt64(hours * 3600)))
            let start = ContinuousClock.now
            let (store, _) = try await playback.store(at: at, target: "bench", history: .seconds(600))
            _ = await store.snapshot()
            times.append((ContinuousClock.now - start).seconds)
        }
        times.sort()
        let body = bodies.map(\.count).reduce(0, +) / bodies.count
        print(
            String(
                format: "%d scrapes (%.1f h at %.0f s, bodies of %.1f KB) written in %.1f s: %.1f MB (%.0f bytes a scrape)", count, hours, interval,
                Double(body) / 1000, writeSeconds, Double(size) / 1e6, Double(size) / Double(count)))
        print(String(format: "open (scan and CRC of every frame): %.0f ms", openSeconds * 1000))
        print(String(format: "seek + snapshot, %d random times: median %.0f ms, max %.0f ms", seeks, times[times.count / 2] * 1000, (times.last ?? 0) * 1000))
    }
}
