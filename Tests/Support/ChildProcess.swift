import Foundation
import Synchronization

/// A process started by a test: its output lines are collected as they arrive, it can be
/// waited on with a deadline, and it is stopped when the test ends.
package final class ChildProcess: Sendable {
    package let process: Process
    private let stdin = Pipe()
    private let stdoutLines = LineBuffer()
    private let stderrLines = LineBuffer()

    package init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = environment
        }
        let out = Pipe()
        let err = Pipe()
        process.standardInput = stdin
        process.standardOutput = out
        process.standardError = err
        self.process = process
        Self.collect(out, into: stdoutLines)
        Self.collect(err, into: stderrLines)
        try process.run()
    }

    private static func collect(_ pipe: Pipe, into lines: LineBuffer) {
        let partial = Mutex<[UInt8]>([])
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            partial.withLock { buffer in
                buffer.append(contentsOf: data)
                while let newline = buffer.firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[..<newline], as: UTF8.self)
                    buffer.removeSubrange(...newline)
                    lines.lines.withLock { $0.append(line) }
                }
            }
        }
    }

    package var stdout: [String] { stdoutLines.lines.withLock { $0 } }
    package var stderr: [String] { stderrLines.lines.withLock { $0 } }

    /// Waits until a line of stdout (or stderr) satisfies `match`; returns it.
    package func waitForLine(inStderr: Bool = false, timeout: Duration = .seconds(60), where match: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = (inStderr ? stderr : stdout).first(where: match) { return line }
            if !process.isRunning {
                try await Task.sleep(for: .milliseconds(50))
                if let line = (inStderr ? stderr : stdout).first(where: match) { return line }
                throw ChildProcessError.exited(status: process.terminationStatus, stderr: stderr.suffix(20).joined(separator: "\n"))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ChildProcessError.timeout(stderr: stderr.suffix(20).joined(separator: "\n"))
    }

    /// Sends a signal and waits for the exit; returns the exit status.
    @discardableResult
    package func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(20)) async -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

package final class LineBuffer: Sendable {
    package let lines = Mutex<[String]>([])
}

package enum ChildProcessError: Error, CustomStringConvertible {
    case exited(status: Int32, stderr: String)
    case timeout(stderr: String)

    package var description: String {
        switch self {
        case .exited(let status, let stderr): return "process exited with \(status):\n\(stderr)"
        case .timeout(let stderr): return "timed out waiting for the process:\n\(stderr)"
        }
    }
}

/// Runs a command to completion and returns its exit status and output.
package func run(
    _ executable: String, _ arguments: [String], input: Data? = nil, environment: [String: String]? = nil, directory: URL? = nil
) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    if let directory { process.currentDirectoryURL = directory }
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    let inPipe = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inPipe
    try process.run()
    if let input { inPipe.fileHandleForWriting.write(input) }
    try? inPipe.fileHandleForWriting.close()
    let outData = Mutex(Data())
    let errData = Mutex(Data())
    let group = DispatchGroup()
    group.enter()
    Thread.detachNewThread {  // not a global queue: its threads are the concurrency pool's (2 here)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        outData.withLock { $0 = data }
        group.leave()
    }
    group.enter()
    Thread.detachNewThread {  // not a global queue: its threads are the concurrency pool's (2 here)
        let data = err.fileHandleForReading.readDataToEndOfFile()
        errData.withLock { $0 = data }
        group.leave()
    }
    group.wait()
    process.waitUntilExit()
    return (
        process.terminationStatus,
        String(decoding: outData.withLock { $0 }, as: UTF8.self),
        String(decoding: errData.withLock { $0 }, as: UTF8.self)
    )
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later; Swift's Glibc module
/// does not declare it); else each descriptor open now is closed by name.
private func closeFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, lowest)
        return
    }
    for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
        if let fd = Int32(name), fd >= lowest { posix_spawn_file_actions_addclose(&actions, fd) }
    }
}

/// Runs a command with /dev/null as its standard streams and waits for it with waitpid (for
/// commands that leave a daemon behind, like `tmux new-session -d`), every other descriptor closed.
package func spawnAndWait(_ executable: String, _ arguments: [String]) -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
    // Nothing else: a pipe another test thread has open at this moment would otherwise be held
    // by the daemon for ever, and the reader of that pipe would never see its end (a hung test).
    closeFrom(&actions, 3)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for arg in argv { free(arg) } }
    // The calling thread blocks most signals (the concurrency runtime's and NIO's threads do):
    // inherited, a tmux server could never reap its shell nor its shell die of SIGHUP, so
    // `kill-server` would leave both running. Empty mask, default dispositions.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGCHLD, SIGPIPE, SIGUSR1, SIGUSR2, SIGWINCH] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    guard posix_spawn(&pid, executable, &actions, &attributes, argv, environ) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status >> 8) & 0xFF
}
