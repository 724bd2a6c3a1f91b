import Foundation
import Synchronization

package struct DeadlineExceeded: Error, CustomStringConvertible {
    package let command: String
    package let seconds: Double
    package var description: String { "\(command) did not finish within \(seconds)s (killed)" }
}

/// Runs a command to completion like `run`, but kills it and throws when it takes longer
/// than `timeout`, so a hung peer fails the test instead of hanging the suite. Standard
/// output is returned as bytes too (for binary output).
@discardableResult
package func runWithDeadline(
    _ executable: String, _ arguments: [String], timeout: Duration = .seconds(120), environment: [String: String]? = nil,
    directory: URL? = nil
) throws -> (status: Int32, stdout: String, stderr: String, data: Data) {
    let process = Process()
    if let directory { process.currentDirectoryURL = directory }
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    try process.run()
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
    let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
    if finished.wait(timeout: .now() + seconds) == .timedOut {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        _ = group.wait(timeout: .now() + 5)
        throw DeadlineExceeded(command: ([executable] + arguments).joined(separator: " "), seconds: seconds)
    }
    process.waitUntilExit()
    _ = group.wait(timeout: .now() + 30)
    let data = outData.withLock { $0 }
    return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errData.withLock { $0 }, as: UTF8.self), data)
}

/// `runWithDeadline` on a thread outside Swift concurrency's pool, awaited without blocking
/// it: the pool's threads (two on a 2-core machine) stay free for the in-process servers
/// other tests run meanwhile.
@discardableResult
package func runWithDeadlineOffPool(
    _ executable: String, _ arguments: [String], timeout: Duration = .seconds(120), environment: [String: String]? = nil
) async throws -> (status: Int32, stdout: String, stderr: String, data: Data) {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try runWithDeadline(executable, arguments, timeout: timeout, environment: environment) })
        }
    }
}
