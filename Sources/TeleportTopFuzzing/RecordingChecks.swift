import Foundation
import TeleportCore
import TeleportTopData

/// Checks of the recording reader: a segment file made of the bytes opens (or is a
/// one-line error), every frame indexed reads back, every scrape inflates or fails
/// cleanly, and a second reader of the same file gives the same frames.
enum RecordingChecks {
    /// The per-process scratch file the bytes are written to.
    nonisolated(unsafe) static var file: String = {
        let directory = NSTemporaryDirectory() + "teleport-top-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/input." + RecordingFormat.segmentExtension
    }()

    static func recording(_ bytes: [UInt8]) -> [String] {
        guard FileManager.default.createFile(atPath: file, contents: Data(bytes)) else { return ["recording: cannot write \(file)"] }
        defer { try? FileManager.default.removeItem(atPath: file) }
        let first: RecordingReader
        do { first = try RecordingReader(path: file) } catch {
            return ConfigChecks.oneLine(error.description, "recording")
        }
        var broken: [String] = []
        var payloads: [[UInt8]] = []
        for ref in first.frames {
            do {
                let frame = try first.frame(ref)
                if frame.kind != ref.kind || frame.nanoseconds != ref.nanoseconds || frame.payload.count != ref.length {
                    broken.append("recording: a frame read back differs from its index entry")
                }
                payloads.append(frame.payload)
            } catch {
                broken.append("recording: an indexed frame does not read back: \(error)")
                payloads.append([])
            }
        }
        let playback = RecordingPlayback(reader: first)
        var targets: [String?] = [nil]
        targets += playback.instances.prefix(8).map { Optional($0) }
        for target in targets {
            let member = RecordingPlayback(reader: first, target: target)
            member.bodyLimit = 8 << 20
            for position in member.scrapes.indices.prefix(64) {
                _ = try? member.scrape(at: position)
                _ = try? member.outcome(at: position)
            }
            _ = member.changes()
        }
        do {
            let second = try RecordingReader(path: file)
            if second.frames != first.frames || second.skipped != first.skipped || second.tornBytes != first.tornBytes {
                broken.append("recording: read twice, the frames differ")
            } else {
                for (ref, payload) in zip(second.frames, payloads) where (try? second.frame(ref).payload) != payload {
                    broken.append("recording: read twice, a payload differs")
                    break
                }
            }
        } catch {
            broken.append("recording: opened once, the second open fails: \(error)")
        }
        return broken
    }
}
