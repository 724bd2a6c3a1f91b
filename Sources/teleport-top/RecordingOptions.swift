import ArgumentParser
import Foundation
import TeleportCore
import TeleportTopData

/// How a recording is cut into segments and bounded (the `record` command and `--record`).
struct RecordingLimitOptions: ParsableArguments {
    @Option(
        name: .customLong("segment-size"), help: "Recording: start a new segment file past this size, e.g. 64MiB.",
        transform: TargetOptions.byteCount)
    var segmentSize: Int = 64 << 20

    @Option(name: .customLong("max-size"), help: "Recording: remove the oldest segments past this total, e.g. 1GiB.", transform: TargetOptions.byteCount)
    var maxSize: Int = 1 << 30

    @Option(name: .customLong("max-age"), help: "Recording: remove segments older than this, e.g. 7d, 12h.", transform: RecordingLimitOptions.age)
    var maxAge: TimeInterval = 7 * 86_400

    static func age(_ text: String) throws -> TimeInterval {
        if text.hasSuffix("d") {
            let number = text.dropLast()
            guard number.allSatisfy({ $0.isASCIIDigit || $0 == "." }), let days = Double(number), days > 0, days <= 36_500 else {
                throw ValidationError(InputError(text, "not an age: days (7d, 0.5d, at most 36500d) or a duration (12h, 90m)").description)
            }
            return days * 86_400
        }
        return try TargetOptions.duration(text).seconds
    }

    var limits: RecordingWriter.Limits {
        RecordingWriter.Limits(segmentSize: max(64 << 10, segmentSize), maxSize: maxSize, maxAge: maxAge)
    }

    /// A recorder writing into `path`; notices (disk full, resumed) go to `onNotice`.
    func recorder(path: String, sources: RecordedSources, interval: Duration, history: Duration, onNotice: @escaping @Sendable (String) -> Void) throws
        -> Recorder
    {
        guard segmentSize > 0, maxSize >= segmentSize else { throw fail("--max-size must be at least --segment-size") }
        do {
            let writer = try RecordingWriter(
                directory: path, limits: limits,
                header: { number in
                    RecordingFormat.Header(
                        created: Date(), segment: number, sources: sources, intervalSeconds: interval.seconds,
                        historySeconds: history.seconds, writer: TeleportTopVersion.current)
                }, onNotice: onNotice)
            return Recorder(writer: writer)
        } catch {
            throw fail("--record \(path): \(error)")
        }
    }
}
