import Foundation
import TeleportCore

/// The last part of a recording as one segment file of its own (what a diagnostics bundle
/// carries): the first segment's header (renumbered 1), then every frame from `start` on,
/// copied as they are, except that the first scrape of each target that was compressed
/// against a body before the cut is compressed again alone. So `replay` and `snapshot
/// --from` read the cut as they read the whole, and the store at its end is the same as
/// long as the cut holds the history before that end.
public enum RecordingCut {
    /// What was cut.
    public struct Cut: Sendable {
        /// The segment file's bytes (`000001.ttrec`).
        public var bytes: [UInt8]
        public var frames: Int
        public var scrapes: Int
        public var first: Date?
        public var last: Date?
    }

    /// The frames of `reader` at or after `start` as one segment.
    public static func segment(_ reader: RecordingReader, from start: Date) throws(RecordingError) -> Cut {
        let low = Int64((start.timeIntervalSince1970 * 1e9).rounded(.down))
        guard let firstIndex = reader.frames.firstIndex(where: { $0.nanoseconds >= low }) else {
            var header = reader.segments[0].header
            header.segment = 1
            return Cut(bytes: RecordingFormat.encode(header), frames: 0, scrapes: 0, first: nil, last: nil)
        }
        var header = reader.segments[reader.frames[firstIndex].segment].header
        header.segment = 1
        var bytes = RecordingFormat.encode(header)
        // One playback per target, made when its first scrape of the cut needs its body.
        var playbacks: [String: RecordingPlayback] = [:]
        var standing = Set<String>()
        var scrapes = 0
        let isFleet = !header.sources.instances.isEmpty
        for index in firstIndex..<reader.frames.count {
            let ref = reader.frames[index]
            var frame = try reader.frame(ref)
            if ref.kind == FrameKind.scrape.rawValue {
                scrapes += 1
                let target = reader.scrapeTarget(at: index) ?? ""
                if ref.flags & ScrapeRecord.failed == 0, !standing.contains(target) {
                    standing.insert(target)
                    if ref.flags & ScrapeRecord.compressedAgainstPrevious != 0 {
                        let playback = playbacks[target] ?? RecordingPlayback(reader: reader, target: isFleet ? target : nil)
                        playbacks[target] = playback
                        guard let position = playback.scrapes.firstIndex(of: index) else { throw .io("a scrape of the cut is not indexed") }
                        let body = try playback.scrape(at: position).body
                        let (_, bodyStart) = try RecordingPlayback.meta(frame.payload)
                        frame.payload = Array(frame.payload[..<bodyStart]) + Zlib.compress(body)
                        frame.flags &= ~ScrapeRecord.compressedAgainstPrevious
                    }
                }
            }
            bytes += RecordingFormat.encode(frame)
        }
        return Cut(
            bytes: bytes, frames: reader.frames.count - firstIndex, scrapes: scrapes, first: reader.frames[firstIndex].time,
            last: reader.frames.last?.time)
    }
}
