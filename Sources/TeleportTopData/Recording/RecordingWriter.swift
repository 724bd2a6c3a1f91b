import Foundation
import Synchronization

/// Appends frames to a recording directory: each frame handed to the kernel in one write as
/// it is made, fsync every `syncEvery`, files 0600. Segments of `segmentSize`, each readable on
/// its own; the oldest are removed past `maxSize` or `maxAge`. On a full disk it drops frames,
/// says so once, and resumes when a write succeeds again. The one place files are appended
/// to rather than written whole through a rename (docs/recording.md).
public final class RecordingWriter: Sendable {
    public struct Limits: Sendable, Hashable {
        public var segmentSize: Int
        public var maxSize: Int
        public var maxAge: TimeInterval

        public init(segmentSize: Int = 64 << 20, maxSize: Int = 1 << 30, maxAge: TimeInterval = 7 * 86_400) {
            self.segmentSize = segmentSize
            self.maxSize = maxSize
            self.maxAge = maxAge
        }
    }

    /// What became of an appended frame.
    public enum Appended: Sendable, Hashable {
        case written
        /// Not written (the disk is full or the file cannot be written); the reason.
        case dropped(String)
    }

    private struct State {
        var fd: Int32 = -1
        var segment = 0
        var size = 0
        var framesInSegment = 0
        var lastSync = Date.distantPast
        var failing: String?
        var lost = 0
        var closed = false
    }

    public let directory: String
    public let limits: Limits
    private let header: @Sendable (Int) -> RecordingFormat.Header
    private let state = Mutex(State())
    private let onNotice: @Sendable (String) -> Void
    public let syncEvery: TimeInterval

    /// A writer into `directory` (created 0700 if missing; an existing recording is continued
    /// in a new segment). `header` makes each segment's header from its number.
    public init(
        directory: String, limits: Limits = .init(), syncEvery: TimeInterval = 5,
        header: @escaping @Sendable (Int) -> RecordingFormat.Header, onNotice: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(RecordingError) {
        self.directory = directory
        self.limits = limits
        self.syncEvery = syncEvery
        self.header = header
        self.onNotice = onNotice
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .io("\(directory): exists and is not a recording directory") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw .io("\(directory): cannot be created: \(error.localizedDescription)")
            }
        }
        let existing = RecordingReader.segmentPaths(in: directory)
        let last = existing.last.flatMap { Int(($0 as NSString).lastPathComponent.prefix(while: { $0.isNumber })) } ?? 0
        try state.withLock { (state) throws(RecordingError) in
            state.segment = last
            if let failure = openSegment(&state) { throw .io(failure) }
            removeOld()
        }
    }

    deinit { close() }

    /// The number of the segment being written (a frame that depends on an earlier one must
    /// not cross into a new segment: the caller checks this before and after).
    public var segment: Int { state.withLock { $0.segment } }

    /// Starts the next segment now if the current one is full (or none is open); returns the
    /// segment the next frame goes to, or -1 when none can be opened (the disk is full).
    public func prepare() -> Int {
        state.withLock { state in
            guard !state.closed else { return -1 }
            var rotated = false
            if state.fd >= 0, state.size >= limits.segmentSize, state.framesInSegment > 0 {
                closeSegment(&state)
                rotated = true
            }
            if state.fd < 0 {
                if let failure = openSegment(&state) {
                    failing(&state, failure)
                    return -1
                }
                if rotated { removeOld() }
            }
            return state.segment
        }
    }

    /// Appends one frame, whole, in one write.
    @discardableResult
    public func append(_ frame: RecordedFrame) -> Appended {
        let bytes = RecordingFormat.encode(frame)
        return state.withLock { state -> Appended in
            guard !state.closed else { return .dropped("the recording is closed") }
            if state.fd < 0, let failure = openSegment(&state) { return drop(&state, failure) }
            if let failure = write(state.fd, bytes) {
                _ = ftruncate(state.fd, off_t(state.size))  // no torn frame in the middle of the file
                return drop(&state, failure)
            }
            state.size += bytes.count
            state.framesInSegment += 1
            if let failing = state.failing {
                onNotice("recording resumed (\(state.lost) frames lost while \(failing))")
                state.failing = nil
                state.lost = 0
            }
            if Date().timeIntervalSince(state.lastSync) >= syncEvery {
                fsync(state.fd)
                state.lastSync = Date()
            }
            return .written
        }
    }

    /// Flushes to disk and closes the segment.
    public func close() {
        state.withLock { state in
            closeSegment(&state)
            state.closed = true
        }
    }

    private func drop(_ state: inout State, _ failure: String) -> Appended {
        failing(&state, failure)
        state.lost += 1
        return .dropped(failure)
    }

    /// Says once that writing fails (until a write succeeds again).
    private func failing(_ state: inout State, _ failure: String) {
        if state.failing == nil { onNotice("recording paused: \(failure); the dashboard goes on, recording resumes when it can write") }
        state.failing = failure
    }

    /// Opens the next segment and writes its header; nil on success, else why not.
    private func openSegment(_ state: inout State) -> String? {
        let number = state.segment + 1
        let path = "\(directory)/\(String(format: "%06d", number)).\(RecordingFormat.segmentExtension)"
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return "\(path): \(String(cString: strerror(errno)))" }
        let bytes = RecordingFormat.encode(header(number))
        if let failure = write(fd, bytes) {
            Foundation.close(fd)
            unlink(path)
            return failure
        }
        state.fd = fd
        state.segment = number
        state.size = bytes.count
        state.framesInSegment = 0
        state.lastSync = Date()
        return nil
    }

    private func closeSegment(_ state: inout State) {
        guard state.fd >= 0 else { return }
        fsync(state.fd)
        Foundation.close(state.fd)
        state.fd = -1
    }

    /// Removes the oldest segments while the recording is larger than `maxSize` or they are
    /// older than `maxAge` (never the one being written).
    private func removeOld() {
        let paths = RecordingReader.segmentPaths(in: directory)
        var sizes: [(path: String, size: Int, modified: Date)] = paths.map { path in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            return (path, (attributes?[.size] as? Int) ?? 0, (attributes?[.modificationDate] as? Date) ?? Date())
        }
        var total = sizes.reduce(0) { $0 + $1.size }
        let now = Date()
        while sizes.count > 1, total > limits.maxSize || now.timeIntervalSince(sizes[0].modified) > limits.maxAge {
            unlink(sizes[0].path)
            total -= sizes[0].size
            sizes.removeFirst()
        }
    }

    /// Writes all of `bytes`; nil on success, else why not.
    private func write(_ fd: Int32, _ bytes: [UInt8]) -> String? {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in raw.baseAddress.map { Foundation.write(fd, $0 + written, raw.count - written) } ?? -1 }
            if n < 0 {
                if errno == EINTR { continue }
                return errno == ENOSPC ? "disk full" : String(cString: strerror(errno))
            }
            written += n
        }
        return nil
    }
}
