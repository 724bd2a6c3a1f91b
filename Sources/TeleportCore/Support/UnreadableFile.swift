import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Why a file named on the command line cannot be read: its absolute path and the system's
/// reason ("/etc/x/fleet.yaml: cannot be read: No such file or directory").
public enum UnreadableFile {
    public static func message(_ path: String) -> String {
        "\(Sanitized.quote(absolute(path))): cannot be read: \(reason(path))"
    }

    /// The path made absolute (relative to the working directory) and standardized.
    public static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The system's reason (`strerror`), or "is a directory".
    public static func reason(_ path: String) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR { return "is a directory" }
        return "read failed"
    }
}
