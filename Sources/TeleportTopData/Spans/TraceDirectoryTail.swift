import Foundation
import OTLPProto
import SwiftProtobuf
import TeleportCore
import TeleportOTLP

/// Follows a Teleport file-exporter directory (`--trace-dir`): every `*.trace` file there now
/// or later, each read from where it was left, one protojson `ResourceSpans` per line. A
/// partial last line waits for its end; rotation is just a new file; several writers may
/// share the directory. Each complete line is read exactly once.
public struct TraceDirectoryTail: Sendable {
    public let directory: String
    /// A line longer than this is skipped (and counted) rather than buffered without end.
    public static let maxLine = 64 << 20
    /// A pass reads at most this much of one file: a huge file is read over several passes,
    /// so what it holds (and a skipped line's warning) shows as it goes and stopping waits
    /// for one slice, not the whole file.
    public var maxPassBytes = 256 << 20

    /// What one pass found.
    public struct Pass: Sendable {
        public var decoded = OTLPSpans.Decoded()
        /// Lines that were not a `ResourceSpans` (with the first reason).
        public var badLines = 0
        public var problem: String?

        public init() {}
    }

    struct FileState {
        var offset: UInt64 = 0
        var pending: [UInt8] = []
        var skipping = false
    }

    private var files: [String: FileState] = [:]

    public init(directory: String) {
        self.directory = directory
    }

    /// Reads what is new in the directory.
    public mutating func poll() -> Pass {
        var pass = Pass()
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".trace") }.sorted() } catch {
            pass.problem = "trace directory \(Sanitized.quote(directory)) cannot be read: \(Sanitized.quote(error.localizedDescription))"
            return pass
        }
        for name in names {
            read(name, into: &pass)
        }
        return pass
    }

    mutating func read(_ name: String, into pass: inout Pass) {
        let path = directory + "/" + name
        var state = files[name] ?? FileState()
        defer { files[name] = state }
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        do {
            let size = try handle.seekToEnd()
            if size < state.offset { state = FileState() }  // truncated or replaced: start over
            guard size > state.offset else { return }
            try handle.seek(toOffset: state.offset)
            var readThisPass = 0
            while readThisPass < maxPassBytes, let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                state.offset += UInt64(chunk.count)
                readThisPass += chunk.count
                var start = chunk.startIndex
                while let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    if state.skipping {
                        state.skipping = false
                    } else {
                        state.pending.append(contentsOf: chunk[start..<newline])
                        Self.decode(state.pending, into: &pass)
                    }
                    state.pending.removeAll(keepingCapacity: true)
                    start = chunk.index(after: newline)
                }
                if !state.skipping { state.pending.append(contentsOf: chunk[start...]) }
                if state.pending.count > Self.maxLine {
                    state.pending.removeAll()
                    state.skipping = true
                    pass.badLines += 1
                    pass.problem = pass.problem ?? "\(Sanitized.quote(name)): a line over \(Self.maxLine) bytes was skipped"
                }
            }
        } catch {
            pass.problem = pass.problem ?? "\(Sanitized.quote(name)): \(Sanitized.quote(error.localizedDescription))"
        }
    }

    /// Decodes one line of a trace file (a protojson `ResourceSpans`) into `pass`.
    public static func decode(_ line: [UInt8], into pass: inout Pass) {
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { return }
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        do {
            let rs = try OTLPSpans.ResourceSpans(jsonUTF8Bytes: line, options: options)
            let decoded = OTLPSpans.records([rs], fromJSON: true)
            pass.decoded.spans += decoded.spans
            pass.decoded.rejected += decoded.rejected
            pass.decoded.reason = pass.decoded.reason ?? decoded.reason
        } catch {
            pass.badLines += 1
            pass.problem = pass.problem ?? "a line is not a ResourceSpans: \(Sanitized.quote(String(describing: error)))"
        }
    }
}
