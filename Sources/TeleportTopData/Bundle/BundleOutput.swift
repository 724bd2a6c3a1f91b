import Foundation
import TeleportCore

/// Writes a bundle's bytes where `-o` says: `-` is standard output; any other path is
/// written whole to a temporary file beside it (0600, `O_EXCL`), fsynced, then renamed into
/// place, so the final name never holds part of a bundle. A write that fails (a full disk,
/// a file-size limit) removes the temporary file and says why in one line.
public struct BundleOutput: Sendable {
    /// Why the bundle was not written.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// `write(2)`, injectable so a test can fill the disk at any byte.
    public typealias Write = @Sendable (_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int

    public var write: Write

    public init(write: @escaping Write = { fd, bytes in bytes.baseAddress.map { Foundation.write(fd, $0, bytes.count) } ?? 0 }) {
        self.write = write
    }

    /// The default file name in the current folder: `teleport-top-bundle-<UTC stamp>.tar.gz`.
    public static func defaultName(_ created: Date) -> String {
        "teleport-top-bundle-\(BundleManifest.stamp(created)).tar.gz"
    }

    /// Writes `bytes` to `path` (`-`: standard output); returns the path written.
    @discardableResult
    public func save(_ bytes: [UInt8], to path: String) throws(Failure) -> String {
        if path == "-" {
            if let failure = writeAll(STDOUT_FILENO, bytes) { throw Failure(description: "cannot write the bundle to standard output: \(failure)") }
            return path
        }
        try Self.check(path)
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot write \(Sanitized.quote(path)): \(Self.errnoText())") }
        var failure = fchmod(fd, 0o600) == 0 ? nil : Self.errnoText()
        if failure == nil { failure = writeAll(fd, bytes) }
        if failure == nil && fsync(fd) != 0 { failure = Self.errnoText() }
        if close(fd) != 0 && failure == nil { failure = Self.errnoText() }
        if failure == nil && rename(temporary, path) != 0 { failure = Self.errnoText() }
        if let failure {
            unlink(temporary)
            throw Failure(description: "cannot write \(Sanitized.quote(path)): \(failure)")
        }
        return path
    }

    /// Checks that `path` can be written (its folder exists, it is not a folder), before
    /// anything is collected; `-` always can.
    public static func check(_ path: String) throws(Failure) {
        guard path != "-" else { return }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw Failure(description: "cannot write \(Sanitized.quote(path)): the folder \(Sanitized.quote(folder)) does not exist")
        }
        guard isDirectory.boolValue else { throw Failure(description: "cannot write \(Sanitized.quote(path)): \(Sanitized.quote(folder)) is not a folder") }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw Failure(description: "cannot write \(Sanitized.quote(path)): it is a folder")
        }
    }

    /// Writes all of `bytes`; nil on success, else why not.
    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> String? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in write(fd, UnsafeRawBufferPointer(rebasing: raw[offset...])) }
            if written < 0 {
                if errno == EINTR { continue }
                return Self.errnoText()
            }
            if written == 0 { return "the write made no progress" }
            offset += written
        }
        return nil
    }

    static func errnoText() -> String {
        switch errno {
        case ENOSPC: return "no space left on the device (disk full)"
        case EFBIG: return "file too large (a file-size limit was reached)"
        case let code: return String(cString: strerror(code))
        }
    }
}
