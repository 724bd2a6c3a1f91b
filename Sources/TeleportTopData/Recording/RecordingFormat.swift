import Foundation

/// The recording file format (docs/recording.md): a segment header, then append-only frames,
/// each with a sync mark, its kind, flags, an auxiliary word, its time, its length and a
/// CRC-32 over all of that and the payload.
public enum RecordingFormat {
    /// The first eight bytes of every segment.
    public static let magic: [UInt8] = [0x89, 0x54, 0x54, 0x4F, 0x50, 0x52, 0x45, 0x43]  // "\x89TTOPREC"
    /// The version this build writes and the newest it reads (1: the header's sources as
    /// prefixed lines; 2: typed, `RecordedSources`).
    public static let version: UInt16 = 2
    /// Every frame starts with these two bytes (a reader finds the next frame after a torn or
    /// corrupt one by them and a CRC that holds).
    public static let sync: [UInt8] = [0xF7, 0x5E]
    /// sync 2, kind 1, flags 1, aux 4, time 8, length 4, crc 4.
    public static let frameHeaderSize = 24
    /// The largest payload a reader accepts (a longer length field is corruption).
    public static let maxPayload = 256 << 20
    /// The largest segment header a reader accepts.
    public static let maxHeader = 1 << 20
    /// The extension of segment files.
    public static let segmentExtension = "ttrec"

    /// What each segment says about the recording.
    public struct Header: Codable, Sendable, Hashable {
        /// When the segment was started.
        public var created: Date
        /// The segment's number in its recording (1 for the first).
        public var segment: Int
        /// What was recorded: one target or a fleet, the log stream, the span sources.
        public var sources: RecordedSources
        /// The scrape interval and history the recorder ran with.
        public var intervalSeconds: Double
        public var historySeconds: Double
        /// The writer's version (teleport-top's).
        public var writer: String

        public init(created: Date, segment: Int, sources: RecordedSources, intervalSeconds: Double, historySeconds: Double, writer: String) {
            self.created = created
            self.segment = segment
            self.sources = sources
            self.intervalSeconds = intervalSeconds
            self.historySeconds = historySeconds
            self.writer = writer
        }

        /// A header whose sources are given as version 1's lines (`target NAME`...).
        public init(created: Date, segment: Int, sources lines: [String], intervalSeconds: Double, historySeconds: Double, writer: String) {
            self.init(
                created: created, segment: segment, sources: RecordedSources(lines: lines), intervalSeconds: intervalSeconds,
                historySeconds: historySeconds, writer: writer)
        }
    }

    /// Version 1's header: the same, its sources as prefixed lines.
    struct HeaderV1: Codable {
        var created: Date
        var segment: Int
        var sources: [String]
        var intervalSeconds: Double
        var historySeconds: Double
        var writer: String

        var current: Header {
            Header(
                created: created, segment: segment, sources: RecordedSources(lines: sources), intervalSeconds: intervalSeconds,
                historySeconds: historySeconds, writer: writer)
        }
    }

    /// A segment's header bytes: magic, version, length, JSON, CRC-32 of version..JSON.
    /// `as` 1 writes the version 1 form (what an older teleport-top wrote; tests read it).
    public static func encode(_ header: Header, as format: UInt16 = version) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        let encoded: Data?
        if format == 1 {
            encoded = try? encoder.encode(
                HeaderV1(
                    created: header.created, segment: header.segment, sources: header.sources.lines, intervalSeconds: header.intervalSeconds,
                    historySeconds: header.historySeconds, writer: header.writer))
        } else {
            encoded = try? encoder.encode(header)
        }
        let json = Array(encoded ?? Data("{}".utf8))
        var body: [UInt8] = []
        body.appendLittleEndian(format)
        body.appendLittleEndian(UInt32(json.count))
        body += json
        return magic + body + littleEndianBytes(Zlib.crc32(body))
    }

    /// Reads a segment header from the front of `bytes`; returns it and its size.
    public static func decodeHeader(_ bytes: ArraySlice<UInt8>) throws(RecordingError) -> (Header, Int) {
        let start = bytes.startIndex
        guard bytes.count >= magic.count else {
            throw bytes.elementsEqual(magic.prefix(bytes.count)) ? .truncatedHeader : .notARecording
        }
        guard Array(bytes[start..<start + magic.count]) == magic else { throw .notARecording }
        guard bytes.count >= magic.count + 6 else { throw .truncatedHeader }
        let version = UInt16(littleEndian: bytes, at: start + 8)
        guard version <= Self.version, version >= 1 else { throw .newerVersion(Int(version)) }
        let length = Int(UInt32(littleEndian: bytes, at: start + 10))
        guard length <= maxHeader else { throw .corruptHeader("header length \(length)") }
        let total = magic.count + 6 + length + 4
        guard bytes.count >= total else { throw .truncatedHeader }
        let body = Array(bytes[start + 8..<start + 14 + length])
        guard Zlib.crc32(body) == UInt32(littleEndian: bytes, at: start + 14 + length) else { throw .corruptHeader("CRC mismatch") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        do {
            if version == 1 { return (try decoder.decode(HeaderV1.self, from: Data(body[6...])).current, total) }
            return (try decoder.decode(Header.self, from: Data(body[6...])), total)
        } catch {
            throw .corruptHeader("unreadable JSON")
        }
    }

    /// A whole frame's bytes (handed to the kernel in one write).
    public static func encode(_ frame: RecordedFrame) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(frameHeaderSize + frame.payload.count)
        bytes += sync
        bytes.append(frame.kind)
        bytes.append(frame.flags)
        bytes.appendLittleEndian(frame.aux)
        bytes.appendLittleEndian(UInt64(bitPattern: frame.nanoseconds))
        bytes.appendLittleEndian(UInt32(frame.payload.count))
        var crc = bytes.withUnsafeBytes { Zlib.crc32(UnsafeRawBufferPointer(rebasing: $0[2..<20])) }
        crc = Zlib.crc32(frame.payload, continuing: crc)
        bytes.appendLittleEndian(crc)
        bytes += frame.payload
        return bytes
    }

    static func littleEndianBytes(_ value: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendLittleEndian(value)
        return bytes
    }
}

/// What a recording cannot be opened for (one line each).
public enum RecordingError: Error, Sendable, Hashable, CustomStringConvertible {
    case notARecording
    case truncatedHeader
    case corruptHeader(String)
    case newerVersion(Int)
    case empty(String)
    case io(String)

    public var description: String {
        switch self {
        case .notARecording: return "not a teleport-top recording (no TTOPREC magic)"
        case .truncatedHeader: return "the recording's header is cut short"
        case .corruptHeader(let why): return "the recording's header is corrupt: \(why)"
        case .newerVersion(let v):
            return "the recording is format version \(v); this teleport-top reads up to \(RecordingFormat.version): use a newer teleport-top"
        case .empty(let path): return "no recording segments (*.\(RecordingFormat.segmentExtension)) in \(path)"
        case .io(let why): return why
        }
    }
}

/// One frame: its kind (unknown kinds are kept, and skipped by readers that do not know them),
/// flags, auxiliary word, time and payload.
public struct RecordedFrame: Sendable, Hashable {
    public var kind: UInt8
    public var flags: UInt8
    public var aux: UInt32
    /// Nanoseconds since 1970 (UTC).
    public var nanoseconds: Int64
    public var payload: [UInt8]

    public init(kind: UInt8, flags: UInt8 = 0, aux: UInt32 = 0, time: Date, payload: [UInt8]) {
        self.kind = kind
        self.flags = flags
        self.aux = aux
        self.nanoseconds = Int64((time.timeIntervalSince1970 * 1e9).rounded())
        self.payload = payload
    }

    public init(kind: UInt8, flags: UInt8, aux: UInt32, nanoseconds: Int64, payload: [UInt8]) {
        self.kind = kind
        self.flags = flags
        self.aux = aux
        self.nanoseconds = nanoseconds
        self.payload = payload
    }

    public var time: Date { Date(timeIntervalSince1970: Double(nanoseconds) / 1e9) }
}

/// The frame kinds this version writes.
public enum FrameKind: UInt8, Sendable, CaseIterable {
    /// A scrape's outcome: metadata and the `/metrics` body, zlib against the previous body.
    case scrape = 1
    /// A span batch: an OTLP ExportTraceServiceRequest (protobuf), zlib.
    case spans = 2
    /// Log lines: NDJSON as the log stream sends it, zlib.
    case logs = 3
    /// A captured profile: metadata and the file.
    case profile = 4
    /// A Prometheus server's answer (a fleet read from Prometheus): the request and the body, zlib.
    case prometheus = 5
    /// A dashboard event worth replaying: a pace change, an injected failure, a recorder notice.
    case note = 6
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

extension FixedWidthInteger {
    init<C: Collection<UInt8>>(littleEndian bytes: C, at index: C.Index) {
        var value: Self = 0
        var i = index
        for shift in stride(from: 0, to: Self.bitWidth, by: 8) {
            value |= Self(truncatingIfNeeded: bytes[i]) << shift
            i = bytes.index(after: i)
        }
        self = value
    }
}
