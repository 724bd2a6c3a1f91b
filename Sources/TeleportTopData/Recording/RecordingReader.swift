import Foundation

/// Where one frame lies: its segment, the offset of its payload, and its header's fields.
public struct FrameRef: Sendable, Hashable {
    public var segment: Int
    public var offset: Int
    public var kind: UInt8
    public var flags: UInt8
    public var aux: UInt32
    public var nanoseconds: Int64
    public var length: Int

    public var time: Date { Date(timeIntervalSince1970: Double(nanoseconds) / 1e9) }
}

/// Reads a recording (a directory of segments, or one segment file): scans every frame's
/// header and CRC into an index held in memory, and reads payloads on demand. A frame whose
/// CRC fails is skipped and counted; a torn tail (a frame cut short) ends the scan of its
/// segment, and `refresh` reads on from there when the file is still being written.
public final class RecordingReader: @unchecked Sendable {
    public struct Segment: Sendable {
        public var path: String
        public var header: RecordingFormat.Header
        /// Bytes scanned so far (the next frame starts here).
        public var scanned: Int
    }

    public let path: String
    public private(set) var segments: [Segment] = []
    /// Every whole frame, in file order (segments in order).
    public private(set) var frames: [FrameRef] = []
    /// Frames whose CRC failed (or whose header made no sense), skipped.
    public private(set) var skipped = 0
    /// Bytes at the end of the last segment that are not (yet) a whole frame.
    public private(set) var tornBytes = 0
    private var handles: [Int: FileHandle] = [:]
    /// Guards `handles` and `scrapeTargets` (payloads are read from several tasks at once).
    private let lock = NSLock()
    private let isDirectory: Bool

    /// Opens `path` and scans it; throws a one-line error for what is not a readable recording.
    public init(path: String) throws(RecordingError) {
        self.path = path
        var directory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &directory) else { throw .io("no such file or directory") }
        isDirectory = directory.boolValue
        try refresh()
        if segments.isEmpty { throw .empty(path) }
    }

    deinit {
        for handle in handles.values { try? handle.close() }
    }

    /// The segment files of a recording directory, oldest first.
    public static func segmentPaths(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix("." + RecordingFormat.segmentExtension) }.sorted().map { directory + "/" + $0 }
    }

    /// Reads what was appended since the last scan (new frames, new segments). Returns
    /// whether new frames were found.
    @discardableResult
    public func refresh() throws(RecordingError) -> Bool {
        let before = frames.count
        let paths = isDirectory ? Self.segmentPaths(in: path) : [path]
        for (index, file) in paths.enumerated() {
            if let known = segments.firstIndex(where: { $0.path == file }) {
                // Only the newest segment can still grow (retention may have removed older files: what was read stays).
                if known == segments.count - 1 { try scan(segment: known) }
                continue
            }
            guard segments.last.map({ file > $0.path }) ?? true else { continue }
            guard let data = FileManager.default.contents(atPath: file) else { throw .io("\(file): cannot be read") }
            let bytes = [UInt8](data)
            let (header, size): (RecordingFormat.Header, Int)
            do {
                (header, size) = try RecordingFormat.decodeHeader(bytes[...])
            } catch .truncatedHeader where index == paths.count - 1 && !segments.isEmpty {
                break  // a segment being started right now
            } catch {
                throw isDirectory ? .io("\(file): \(error)") : error
            }
            segments.append(Segment(path: file, header: header, scanned: size))
            scan(bytes: bytes, segment: segments.count - 1)
        }
        return frames.count > before
    }

    private func scan(segment index: Int) throws(RecordingError) {
        let segment = segments[index]
        guard let handle = FileHandle(forReadingAtPath: segment.path) else { return }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(segment.scanned))) != nil, let data = try? handle.readToEnd(), !data.isEmpty else { return }
        var bytes = [UInt8](repeating: 0, count: segment.scanned)
        bytes += data
        scan(bytes: bytes, segment: index)
    }

    /// Scans whole frames from the segment's `scanned` offset; `bytes` is the file from 0.
    private func scan(bytes: [UInt8], segment index: Int) {
        var position = segments[index].scanned
        let count = bytes.count
        while position < count {
            switch Self.frame(in: bytes, at: position) {
            case .whole(let ref):
                var ref = ref
                ref.segment = index
                frames.append(ref)
                position = ref.offset + ref.length
            case .cut:
                // A torn tail, unless a whole frame follows (then this one's length was corrupt).
                guard let next = Self.nextFrame(in: bytes, after: position) else {
                    segments[index].scanned = position
                    tornBytes = count - position
                    return
                }
                skipped += 1
                position = next
            case .corrupt(let next):
                skipped += 1
                position = next.flatMap { Self.frame(in: bytes, at: $0).isWhole ? $0 : nil } ?? Self.nextFrame(in: bytes, after: position) ?? count
            }
        }
        segments[index].scanned = position
        tornBytes = 0
    }

    enum Scan {
        case whole(FrameRef)
        case cut
        /// The frame is corrupt; `next` is where its length says the next one starts.
        case corrupt(next: Int?)

        var isWhole: Bool { if case .whole = self { return true } else { return false } }
    }

    /// The frame at `position` of `bytes`, if whole and its CRC holds.
    static func frame(in bytes: [UInt8], at position: Int) -> Scan {
        let size = RecordingFormat.frameHeaderSize
        guard bytes.count - position >= size else {
            // A header cut short: it must at least start as a frame does.
            return bytes[position..<min(bytes.count, position + 2)].elementsEqual(RecordingFormat.sync.prefix(bytes.count - position))
                ? .cut : .corrupt(next: nil)
        }
        guard bytes[position] == RecordingFormat.sync[0], bytes[position + 1] == RecordingFormat.sync[1] else { return .corrupt(next: nil) }
        let length = Int(UInt32(littleEndian: bytes, at: position + 16))
        guard length <= RecordingFormat.maxPayload else { return .corrupt(next: nil) }
        guard bytes.count - position - size >= length else { return .cut }
        let crc = bytes.withUnsafeBytes { raw -> UInt32 in
            let header = Zlib.crc32(UnsafeRawBufferPointer(rebasing: raw[(position + 2)..<(position + 20)]))
            return Zlib.crc32(UnsafeRawBufferPointer(rebasing: raw[(position + size)..<(position + size + length)]), continuing: header)
        }
        guard crc == UInt32(littleEndian: bytes, at: position + 20) else { return .corrupt(next: position + size + length) }
        return .whole(
            FrameRef(
                segment: 0, offset: position + size, kind: bytes[position + 2], flags: bytes[position + 3],
                aux: UInt32(littleEndian: bytes, at: position + 4), nanoseconds: Int64(bitPattern: UInt64(littleEndian: bytes, at: position + 8)),
                length: length))
    }

    /// The next position after `position` where a whole frame starts.
    static func nextFrame(in bytes: [UInt8], after position: Int) -> Int? {
        var p = position + 1
        while p + 1 < bytes.count {
            if bytes[p] == RecordingFormat.sync[0], bytes[p + 1] == RecordingFormat.sync[1], frame(in: bytes, at: p).isWhole { return p }
            p += 1
        }
        return nil
    }

    /// The fleet instance each scrape frame names (by frame index), read once per frame.
    private var scrapeTargets: [Int: String] = [:]

    /// The instance a scrape frame names (empty: the one target), from its metadata alone.
    public func scrapeTarget(at index: Int) -> String? {
        if let known = lock.withLock({ scrapeTargets[index] }) { return known }
        let ref = frames[index]
        guard ref.kind == FrameKind.scrape.rawValue, ref.length >= 4, let head = try? payload(ref, prefix: 4) else { return nil }
        let length = Int(UInt32(littleEndian: head, at: 0))
        guard length <= ref.length - 4, let meta = try? payload(ref, prefix: 4 + length),
            let record = try? ScrapeRecord.decoder.decode(ScrapeRecord.self, from: Data(meta[4...]))
        else { return nil }
        lock.withLock { scrapeTargets[index] = record.target }
        return record.target
    }

    /// A frame's payload (its first `prefix` bytes when given). Safe from several tasks at
    /// once (a Prometheus fleet's replay asks its queries in parallel): `pread` at the frame's
    /// offset, no shared file position.
    public func payload(_ ref: FrameRef, prefix: Int? = nil) throws(RecordingError) -> [UInt8] {
        let path = segments[ref.segment].path
        let fd: Int32? = lock.withLock {
            if let open = handles[ref.segment] { return open.fileDescriptor }
            guard let opened = FileHandle(forReadingAtPath: path) else { return nil }
            handles[ref.segment] = opened
            return opened.fileDescriptor
        }
        guard let fd else { throw .io("\(path): cannot be read") }
        let wanted = min(ref.length, prefix ?? ref.length)
        var bytes = [UInt8](repeating: 0, count: wanted)
        var done = 0
        while done < wanted {
            let n = bytes.withUnsafeMutableBytes { raw in raw.baseAddress.map { pread(fd, $0 + done, wanted - done, off_t(ref.offset + done)) } ?? -1 }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw .io("\(path): cut short (removed?)") }
            done += n
        }
        return bytes
    }

    /// The frame a reference points at.
    public func frame(_ ref: FrameRef) throws(RecordingError) -> RecordedFrame {
        RecordedFrame(kind: ref.kind, flags: ref.flags, aux: ref.aux, nanoseconds: ref.nanoseconds, payload: try payload(ref))
    }
}
