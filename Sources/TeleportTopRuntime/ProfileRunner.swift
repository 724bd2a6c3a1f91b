import Foundation
import Synchronization
import TeleportCore
import TeleportTopData
import TeleportTopUI

/// The dashboard's profile work, off the UI thread: captures (one batch at a time, in
/// order, cancellable, with a countdown) and saving; and decoding + top-N for the viewer.
/// Every outcome goes back into the event queue.
public final class ProfileRunner: Sendable {
    private let currentClient: Mutex<DiagClient?>
    let directory: ProfileDirectory?
    let queue: EventQueue
    private let running = Mutex<Task<Void, Never>?>(nil)

    /// A runner capturing from `client` into `directory` (none: reports only, as for `pprof FILE`).
    public init(client: DiagClient?, directory: ProfileDirectory?, queue: EventQueue) {
        self.currentClient = Mutex(client)
        self.directory = directory
        self.queue = queue
    }

    /// The client captures go to (a fleet's open or selected instance).
    public var client: DiagClient? { currentClient.withLock { $0 } }

    /// Captures from now on go to `client`.
    public func setClient(_ client: DiagClient?) {
        currentClient.withLock { $0 = client }
    }

    public func capture(_ requests: [ProfileCaptureRequest]) {
        guard let client, let directory else {
            for request in requests { queue.post(.profile(.failed(id: request.id, message: "no target to capture from"))) }
            return
        }
        let task = Task { [queue] in
            for request in requests {
                if Task.isCancelled {
                    queue.post(.profile(.cancelled(id: request.id)))
                    continue
                }
                let capture = ProfileCapture(kind: request.kind, seconds: request.seconds)
                do {
                    let captured = try await capture.run(client: client, tick: .milliseconds(500)) { progress in
                        queue.post(.profile(.progress(id: request.id, remaining: progress.remaining.map(\.seconds))))
                    }
                    let saved = try directory.save(captured)
                    queue.post(.profile(.saved(id: request.id, path: saved.path, bytes: saved.bytes)))
                } catch ProfileCaptureError.cancelled {
                    queue.post(.profile(.cancelled(id: request.id)))
                } catch {
                    queue.post(.profile(.failed(id: request.id, message: "\(request.kind.rawValue): \(error)")))
                }
            }
        }
        running.withLock { $0 = task }
    }

    public func cancel() {
        running.withLock { $0?.cancel() }
    }

    /// Decodes and reports off the loop's thread; the answer carries the request's id.
    public func load(request: Int, path: String, options: TopOptions) {
        Task.detached { [queue] in
            queue.post(.report(request: request, Self.report(path: path, options: options)))
        }
    }

    /// Decodes and builds the call tree for the flame graph off the loop's thread.
    public func loadFlame(request: Int, path: String, options: TopOptions) {
        Task.detached { [queue] in
            queue.post(.flame(request: request, options: options, Self.flame(path: path, options: options)))
        }
    }

    public static func flame(path: String, options: TopOptions) -> Result<CallTree, PprofFailure> {
        do {
            return .success(try CallTree(PprofDecoder.decode(contentsOf: path), options: options))
        } catch {
            return .failure(PprofFailure("\(error)"))
        }
    }

    /// Decodes and computes `go tool pprof -peek SYMBOL` off the loop's thread.
    public func peek(request: Int, path: String, options: TopOptions, symbol: String) {
        Task.detached { [queue] in
            let result: Result<PeekReport, PprofFailure>
            do {
                let report = try PeekReport(PprofDecoder.decode(contentsOf: path), symbol: symbol, options: options)
                result = report.entries.isEmpty ? .failure(PprofFailure("no function matches \(symbol)")) : .success(report)
            } catch {
                result = .failure(PprofFailure("\(error)"))
            }
            queue.post(.peek(request: request, result))
        }
    }

    public static func report(path: String, options: TopOptions) -> ProfileViewerData {
        do {
            let profile = try PprofDecoder.decode(contentsOf: path)
            let types = profile.sampleTypes.map(\.type)
            let groups = profile.sampleTypes.first?.type == "goroutine" ? GoroutineGroup.groups(profile) : []
            do {
                let report = try TopReport(profile, options: options)
                return ProfileViewerData(path: path, options: options, report: report, groups: groups, sampleTypes: types, error: nil)
            } catch {
                return ProfileViewerData(path: path, options: options, report: nil, groups: groups, sampleTypes: types, error: "\(error)")
            }
        } catch {
            return ProfileViewerData(path: path, options: options, report: nil, groups: [], sampleTypes: [], error: "\(error)")
        }
    }
}
