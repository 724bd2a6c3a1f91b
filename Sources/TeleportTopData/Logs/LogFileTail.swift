import Foundation
import TeleportCore

/// Follows a Teleport log file as `tail -F` does: the last `backlog` bytes first, then what
/// is appended; a file replaced (new inode) or truncated (smaller than what was read) is
/// read again from its start, with a marker line. Lines are JSON or Teleport's text form.
public struct LogFileTail: Sendable {
    public let path: String
    public let backlog: Int
    public let pollInterval: Duration

    public init(path: String, backlog: Int = 256 << 10, pollInterval: Duration = .milliseconds(250)) {
        self.path = path
        self.backlog = backlog
        self.pollInterval = pollInterval
    }

    /// Runs until cancelled.
    public func run(onLines: @escaping @Sendable ([LogLine]) -> Void, onStatus: @escaping @Sendable (LogSourceStatus) -> Void) async {
        var handle: FileHandle?
        var inode: UInt64 = 0
        var offset: UInt64 = 0
        var splitter = LogLineSplitter()
        var reported: LogSourceStatus?
        func say(_ status: LogSourceStatus) {
            if status != reported { onStatus(status) }
            reported = status
        }
        while !Task.isCancelled {
            var info = stat()
            if stat(path, &info) != 0 {
                say(.retrying(reason: "\(path): \(String(cString: strerror(errno)))", retry: pollInterval.seconds))
                try? handle?.close()
                handle = nil
            } else {
                let size = UInt64(info.st_size)
                if handle == nil || UInt64(info.st_ino) != inode || size < offset {
                    let rotated = handle != nil
                    try? handle?.close()
                    handle = FileHandle(forReadingAtPath: path)
                    inode = UInt64(info.st_ino)
                    splitter = LogLineSplitter()
                    if rotated {
                        offset = 0
                        onLines([LogLine(time: Date(), level: "WARN", message: "log file rotated: reading \(path) from its start", component: "teleport-top")])
                    } else {
                        offset = size > UInt64(backlog) ? size - UInt64(backlog) : 0
                    }
                    try? handle?.seek(toOffset: offset)
                    if offset > 0 { _ = splitter.feed(try? handle?.readLine()) }  // skip the partial first line
                    offset = (try? handle?.offset()) ?? offset
                    say(.streaming(source: path))
                }
                if let handle, size > offset {
                    while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                        offset += UInt64(chunk.count)
                        let lines = splitter.feed(chunk)
                        if !lines.isEmpty { onLines(lines) }
                        if Task.isCancelled { return }
                    }
                }
            }
            try? await Task.sleep(for: pollInterval)
        }
    }
}

extension FileHandle {
    /// The bytes up to and including the next newline (nil at the end).
    fileprivate func readLine() throws -> [UInt8]? {
        var line: [UInt8] = []
        while let byte = try read(upToCount: 1), let first = byte.first {
            line.append(first)
            if first == 0x0A { return line }
        }
        return line.isEmpty ? nil : line
    }
}

extension LogLineSplitter {
    /// Feeds nothing when there is nothing.
    fileprivate mutating func feed(_ bytes: [UInt8]??) -> [LogLine] {
        guard let inner = bytes, let bytes = inner else { return [] }
        return feed(bytes)
    }
}
