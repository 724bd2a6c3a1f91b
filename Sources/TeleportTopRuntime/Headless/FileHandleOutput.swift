import Foundation

/// Writing to stdout and stderr without buffering surprises.
public enum FileHandleOutput {
    public static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Writes to standard output for a stream that runs until stopped (`logs`): a reader
    /// that went away (`| head`, a broken pipe) ends the program quietly with status 0.
    public static func streamOutput(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                exit(errno == EPIPE ? 0 : 1)
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
