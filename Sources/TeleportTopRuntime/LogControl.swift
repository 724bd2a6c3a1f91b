import Foundation
import Synchronization
import TeleportCore
import TeleportTopData
import TeleportTopUI

/// The dashboard's hold on a target's logs and log level, through its debug socket: one log
/// stream at most (opened on first use), the level read and set with Teleport's answers, and
/// what teleport-top changed, so it can be put back.
public final class LogControl: Sendable {
    public let client: DiagClient
    let stream: LogStreamClient
    let queue: EventQueue
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let levels = Mutex<(original: String?, current: String?, kept: Bool)>((nil, nil, false))

    public init(client: DiagClient, queue: EventQueue) {
        self.client = client
        self.stream = LogStreamClient(client: client)
        self.queue = queue
    }

    /// Opens the stream (or, when open, reconnects it at another minimum level).
    public func open(level: String?) {
        let started = task.withLock { current -> Bool in
            guard current == nil else { return true }
            current = Task { [stream, queue] in
                await stream.run(level: level, onLines: { queue.post(.logLines($0)) }, onStatus: { queue.post(.logStatus($0)) })
            }
            return false
        }
        if started { stream.setLevel(level) }
    }

    /// Reads the level (`GET /log-level`) and posts it.
    public func readLevel() async {
        let level = await read()
        if let level {
            levels.withLock {
                if $0.original == nil { $0.original = level }
                $0.current = level
            }
        }
        queue.post(.logLevel(level: level, answer: nil))
    }

    func read() async -> String? {
        guard let answer = try? await client.get("/log-level", timeout: .seconds(5)), answer.status == 200 else { return nil }
        return String(decoding: answer.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }

    /// Sets the level and posts Teleport's answer and the level read back.
    public func set(_ level: String, restoring: Bool) async {
        do {
            let answer = try await client.send("/log-level", method: .PUT, body: level, timeout: .seconds(5))
            let text = String(decoding: answer.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let now = await read()
            levels.withLock { $0.current = now ?? $0.current }
            queue.post(.logLevel(level: now, answer: answer.status == 200 ? text : "HTTP \(answer.status): \(text)"))
        } catch {
            queue.post(.notice("could not set the log level: \(error)"))
        }
    }

    /// The user chose to keep the changed level.
    public func keep() { levels.withLock { $0.kept = true } }

    /// When the level teleport-top changed is still in force (kept on purpose, or restoring
    /// failed or could not be tried): the command that restores it, printed on exit.
    public var restoreCommand: String? {
        let (original, current) = levels.withLock { ($0.original, $0.current) }
        guard let original, let current, original != current else { return nil }
        var socket = ""
        if case .socket(let path) = client.target { socket = " --debug-socket \(path)" }
        return "teleport-top log-level\(socket) \(original)"
    }

    public func stop() {
        task.withLock { $0?.cancel() }
    }
}

/// A fleet's hold on logs: the open instance's `LogControl` (one at a time; opening another
/// instance closes the previous one's stream).
public final class FleetLogs: Sendable {
    let queue: EventQueue
    private let control = Mutex<LogControl?>(nil)

    public init(queue: EventQueue) { self.queue = queue }

    /// The open instance's control, if its socket is known.
    public var current: LogControl? { control.withLock { $0 } }

    /// Switches to an instance's socket (nil: none): the previous stream stops; the level is read.
    public func focus(_ client: DiagClient?) async {
        let next = client.map { LogControl(client: $0, queue: queue) }
        let previous = control.withLock { current -> LogControl? in
            defer { current = next }
            return current
        }
        previous?.stop()
        if let next { await next.readLevel() }
    }
}
