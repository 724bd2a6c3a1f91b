import Foundation
import Synchronization
import TeleportDiagnostics
import TeleportTopUI

/// Runs the dashboard's profile work off the UI thread: captures (one batch at a time, in
/// order, cancellable, with a countdown), saving, and decoding + top-N for the viewer. Every
/// outcome goes back to the loop as an event.
final class ProfileRunner: Sendable {
    let client: DiagClient
    let directory: ProfileDirectory
    let events: EventQueue<ProfileEvent>
    private let running = Mutex<Task<Void, Never>?>(nil)

    init(client: DiagClient, directory: ProfileDirectory, events: EventQueue<ProfileEvent>) {
        self.client = client
        self.directory = directory
        self.events = events
    }

    func capture(_ requests: [ProfileCaptureRequest]) {
        let task = Task { [client, directory, events] in
            for request in requests {
                if Task.isCancelled {
                    events.put(.cancelled(id: request.id))
                    continue
                }
                let capture = ProfileCapture(kind: request.kind, seconds: request.seconds)
                do {
                    let captured = try await capture.run(client: client, tick: .milliseconds(500)) { progress in
                        events.put(.progress(id: request.id, remaining: progress.remaining.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }))
                    }
                    let saved = try directory.save(captured)
                    events.put(.saved(id: request.id, path: saved.path, bytes: saved.bytes))
                } catch ProfileCaptureError.cancelled {
                    events.put(.cancelled(id: request.id))
                } catch {
                    events.put(.failed(id: request.id, message: "\(request.kind.rawValue): \(error)"))
                }
            }
        }
        running.withLock { $0 = task }
    }

    func cancel() {
        running.withLock { $0?.cancel() }
    }

    func load(path: String, options: TopOptions) {
        Task.detached { [events] in
            events.put(.viewer(Self.report(path: path, options: options)))
        }
    }

    static func report(path: String, options: TopOptions) -> ProfileViewerData {
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
