import Foundation

/// Where Teleport's debug socket lives: `<data_dir>/debug.sock`, and the data directory
/// teleport-top's own engines use. Names only; the engine's `DebugSocketFile` does the I/O.
public enum DebugSocketPath {
    /// The socket path inside a data directory.
    public static func socketPath(dataDir: String) -> String {
        (dataDir as NSString).appendingPathComponent("debug.sock")
    }

    /// The data directory `serve` uses when neither `--data-dir` nor a config names one: a
    /// per-user runtime directory.
    public static func defaultDataDir() -> String {
        if let runtime = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            return (runtime as NSString).appendingPathComponent("teleport-top")
        }
        return "/tmp/teleport-top-\(getuid())"
    }
}
