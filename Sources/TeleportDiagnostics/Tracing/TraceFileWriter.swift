import Foundation
import OTLPProto
import SwiftProtobuf
import Synchronization
import TeleportCore
import TeleportOTLP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }
private func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }

/// Teleport's file:// exporter, byte for byte: each record is one protojson `ResourceSpans`
/// (lowerCamelCase fields, base64 IDs, 64-bit integers as strings) and a newline, appended
/// to `<unixNanoUTC>-<random>.trace` (0600) in a 0700 directory. Before a write, when the
/// bytes written plus the record would reach `limit` and the file is not empty, a new file
/// is started; a record larger than the limit goes alone into a fresh file. A record is
/// written with one write(2), never split across files; old files are never deleted, and
/// other writers may share the directory.
public final class TraceFileWriter: SpanSink {
    public let directory: String
    public let limit: Int

    struct State {
        var fd: Int32 = -1
        var written = 0
        var path: String?
        var files: [String] = []
    }

    private let state = Mutex(State())

    /// Creates the directory (0700) when it does not exist.
    public init(directory: String, limit: Int = TracingEndpoint.defaultFileLimit) throws {
        self.directory = directory
        self.limit = max(1, limit)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw TraceFileError("trace exporter path is not a directory: \(directory)") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw TraceFileError("cannot create trace directory \(directory): \(error.localizedDescription)")
            }
            chmod(directory, 0o700)
        }
    }

    deinit {
        state.withLock { if $0.fd >= 0 { close($0.fd) } }
    }

    /// The files this writer created, oldest first.
    public var files: [String] { state.withLock { $0.files } }

    /// Writes the spans as Teleport does: one line per `ResourceSpans`.
    public func export(_ spans: [SpanRecord]) async throws {
        try write(OTLPSpans.resourceSpans(spans))
    }

    /// Appends one line per message.
    public func write(_ messages: [OTLPSpans.ResourceSpans]) throws {
        for message in messages {
            var record: [UInt8]
            do { record = try message.jsonUTF8Bytes() } catch { throw TraceFileError("cannot encode spans: \(error)") }
            record.append(UInt8(ascii: "\n"))
            try append(record)
        }
    }

    /// Appends one record (a complete line), rotating first when it would reach the limit.
    public func append(_ record: [UInt8]) throws {
        try state.withLock { state in
            if state.fd >= 0 && state.written > 0 && state.written + record.count >= limit {
                close(state.fd)
                state.fd = -1
            }
            if state.fd < 0 { try open(&state) }
            var offset = 0
            while offset < record.count {
                let n = record.withUnsafeBytes { raw in raw.baseAddress.map { posixWrite(state.fd, $0 + offset, record.count - offset) } ?? -1 }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw TraceFileError("cannot write \(state.path ?? directory): \(String(cString: strerror(errno)))")
                }
                offset += n
            }
            state.written += record.count
        }
    }

    private func open(_ state: inout State) throws {
        let nanos = UInt64(max(0, Date().timeIntervalSince1970 * 1e9))
        for _ in 0..<16 {
            let path = "\(directory)/\(nanos)-\(Self.randomSuffix()).trace"
            let fd = posixOpen(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
            if fd >= 0 {
                fchmod(fd, 0o600)
                state.fd = fd
                state.written = 0
                state.path = path
                state.files.append(path)
                return
            }
            if errno != EEXIST { throw TraceFileError("cannot create \(path): \(String(cString: strerror(errno)))") }
        }
        throw TraceFileError("cannot create a trace file in \(directory)")
    }

    static func randomSuffix() -> String {
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        return String((0..<10).map { _ in digits[Int.random(in: 0..<digits.count)] })
    }
}

/// A trace file that could not be written.
public struct TraceFileError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
