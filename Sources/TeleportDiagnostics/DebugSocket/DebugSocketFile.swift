import Foundation
import TeleportCore

#if canImport(Glibc)
    import Glibc
#endif

/// Prepares `<data_dir>/debug.sock` as Teleport's debug service does: the directory is
/// created 0700 when missing; a socket file left by a dead process is removed; a socket a
/// live process answers on is an error, and so is a path that is not a socket.
public enum DebugSocketFile {
    /// Makes the path ready to bind.
    public static func prepare(socketPath path: String) throws(DebugSocketError) {
        let directory = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            } catch {
                throw DebugSocketError(path: path, reason: "cannot create \(directory): \(error.localizedDescription)")
            }
        } else if !isDirectory.boolValue {
            throw DebugSocketError(path: path, reason: "\(directory) is not a directory")
        }
        guard path.utf8.count < 108 else { throw DebugSocketError(path: path, reason: "the path is longer than a unix socket allows (107 bytes)") }
        var info = stat()
        guard lstat(path, &info) == 0 else { return }  // nothing there
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw DebugSocketError(path: path, reason: "the path exists and is not a socket")
        }
        if answers(path) {
            throw DebugSocketError(path: path, reason: "another process is serving on this socket")
        }
        unlink(path)
    }

    /// Whether a process accepts connections on the socket.
    public static func answers(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }
}

/// The debug socket cannot be served at its path.
public struct DebugSocketError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "debug socket \(path): \(reason)" }
}
