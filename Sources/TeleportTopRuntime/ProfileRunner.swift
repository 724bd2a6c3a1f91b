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
    public func load(request: Int, path: String, options: TopOptions, diff: ProfileDiffRequest? = nil) {
        Task.detached { [queue] in
            queue.post(.report(request: request, Self.report(path: path, options: options, diff: diff)))
        }
    }

    /// Decodes and builds the call tree for the flame graph off the loop's thread.
    public func loadFlame(request: Int, path: String, options: TopOptions, diff: ProfileDiffRequest? = nil) {
        Task.detached { [queue] in
            queue.post(.flame(request: request, options: options, diff: diff, Self.flame(path: path, options: options, diff: diff)))
        }
    }

    /// The profile at `path`, or its diff against a baseline (`ProfileDiff.combine`).
    static func profile(path: String, diff: ProfileDiffRequest?, meaning: DiffMeaning? = nil) throws -> PprofProfile {
        let profile = try PprofDecoder.decode(contentsOf: path)
        guard let diff else { return profile }
        let base = try PprofDecoder.decode(contentsOf: diff.basePath)
        return try ProfileDiff.combine(new: profile, base: base, meaning: meaning ?? diff.meaning, normalize: diff.normalize)
    }

    /// A diff's flame tree keeps both captures' samples apart (laid out by magnitude, coloured
    /// by change); its shares are of the diff's total under the meaning asked for.
    public static func flame(path: String, options: TopOptions, diff: ProfileDiffRequest? = nil) -> Result<CallTree, PprofFailure> {
        do {
            guard let diff else { return .success(try CallTree(PprofDecoder.decode(contentsOf: path), options: options)) }
            let sides = try profile(path: path, diff: diff, meaning: .diffBase)
            var total: Int64?
            if diff.meaning == .base {
                let combined = try profile(path: path, diff: diff)
                total = combined.total(sampleTypeIndex: try combined.sampleTypeIndex(options.sampleIndex))
            }
            return .success(try CallTree(sides, options: options, diff: true, total: total))
        } catch {
            return .failure(PprofFailure("\(error)"))
        }
    }

    /// Decodes and computes `go tool pprof -peek SYMBOL` off the loop's thread.
    public func peek(request: Int, path: String, options: TopOptions, symbol: String, diff: ProfileDiffRequest? = nil) {
        Task.detached { [queue] in
            let result: Result<PeekReport, PprofFailure>
            do {
                let report = try PeekReport(Self.profile(path: path, diff: diff), symbol: symbol, options: options)
                result = report.entries.isEmpty ? .failure(PprofFailure("no function matches \(symbol)")) : .success(report)
            } catch {
                result = .failure(PprofFailure("\(error)"))
            }
            queue.post(.peek(request: request, result))
        }
    }

    public static func report(path: String, options: TopOptions, diff: ProfileDiffRequest? = nil) -> ProfileViewerData {
        do {
            let new = try PprofDecoder.decode(contentsOf: path)
            let types = new.sampleTypes.map(\.type)
            let isGoroutine = new.sampleTypes.first?.type == "goroutine"
            var profile = new
            var changes: [GoroutineGroupChange] = []
            if let diff {
                let base = try PprofDecoder.decode(contentsOf: diff.basePath)
                profile = try ProfileDiff.combine(new: new, base: base, meaning: diff.meaning, normalize: diff.normalize)
                if isGoroutine {
                    var scaled = new
                    if diff.normalize { ProfileDiff.normalize(&scaled, to: base) }
                    changes = GoroutineGroupChange.changes(new: scaled, base: base)
                }
            }
            let groups = isGoroutine && diff == nil ? GoroutineGroup.groups(profile) : []
            do {
                let report = try TopReport(profile, options: options)
                return ProfileViewerData(
                    path: path, options: options, report: report, groups: groups, sampleTypes: types, error: nil, diff: diff, groupChanges: changes)
            } catch {
                return ProfileViewerData(
                    path: path, options: options, report: nil, groups: groups, sampleTypes: types, error: "\(error)", diff: diff, groupChanges: changes)
            }
        } catch {
            return ProfileViewerData(path: path, options: options, report: nil, groups: [], sampleTypes: [], error: "\(error)", diff: diff)
        }
    }
}
