import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopUI

/// The dashboard's `B`: a diagnostics bundle of what the dashboard holds (the open
/// instance's store, the history its recorder keeps, the spans held, the Logs screen's
/// lines) plus fresh profiles, written into the profile folder. Progress, the path and
/// failures are posted as `.bundle` events; the same files as `teleport-top bundle`.
public struct DashboardBundler: Sendable {
    public struct Options: Sendable {
        /// The header's name of the source.
        public var label: String
        public var isEmbedded: Bool
        /// The history the recorder keeps (what is bundled of it).
        public var history: Duration
        public var profileSeconds: Int
        /// The folder bundles are written to (created 0700 when missing).
        public var directory: String
        /// `-c`: the teleport.yaml bundled (redacted).
        public var configPath: String?
        /// The command line the dashboard was started with.
        public var command: String

        public init(
            label: String, isEmbedded: Bool, history: Duration, profileSeconds: Int, directory: String, configPath: String?, command: String
        ) {
            self.label = label
            self.isEmbedded = isEmbedded
            self.history = history
            self.profileSeconds = profileSeconds
            self.directory = directory
            self.configPath = configPath
            self.command = command
        }
    }

    public var options: Options
    public var source: any FleetSource
    public var spans: SpanStore
    /// The folder of the recording the dashboard keeps (its `--record` one, or its own).
    public var recordingDirectory: String?

    public init(options: Options, source: any FleetSource, spans: SpanStore, recordingDirectory: String?) {
        self.options = options
        self.source = source
        self.spans = spans
        self.recordingDirectory = recordingDirectory
    }

    /// Collects and writes the bundle; every step and the outcome go to `post`.
    public func write(_ request: BundleRequest, post: @escaping @Sendable (DashboardEvent) -> Void) async {
        let created = Date()
        let id = await source.focusedID() ?? 0
        guard let store = await source.store(for: id) else {
            post(.bundle(.failed("no instance is open", at: Date())))
            return
        }
        // A fleet's open instance goes by its own name.
        let name =
            source.seam.shape == .single ? options.label : source.initialRows.first { $0.id == id }.map { "\($0.name) of \(options.label)" } ?? options.label
        var manifest = BundleManifest(created: created, command: options.command + "  (then B in the dashboard)", source: name)
        post(.bundle(.running("snapshot and findings")))
        let sourceName = options.isEmbedded ? "embedded" : options.label.hasPrefix("/") ? "debug-socket" : "diag-addr"
        let snapshot = await BundleFiles.addSnapshotAndFindings(&manifest, store: store, sourceName: sourceName, label: name, now: Date())
        post(.bundle(.running("history")))
        if let directory = recordingDirectory, let reader = try? RecordingReader(path: directory), let end = reader.frames.last?.time {
            BundleFiles.addRecording(&manifest, reader: reader, from: end.addingTimeInterval(-options.history.seconds), window: options.history)
        } else {
            manifest.fail("recording/", "the dashboard's history could not be read back")
        }
        if let client = source.client(for: id) {
            let outcomes = await BundleProfiles(client: client, seconds: options.profileSeconds).collect { step in post(.bundle(.running(step))) }
            BundleProfiles.add(outcomes, to: &manifest)
        } else {
            manifest.leaveOut("profiles/", "the open instance is not reached directly (read from Prometheus)")
        }
        if request.hasLogSource && request.logLines.isEmpty {
            manifest.leaveOut("logs.ndjson", "no log line held: the log stream opens with the Logs screen (L) or --logs")
        } else {
            BundleFiles.addLogs(
                &manifest, lines: request.hasLogSource ? request.logLines : nil,
                why: "no log source: the log stream is served by the debug socket (--debug-socket or -c), or --tail-log FILE")
        }
        BundleFiles.addSpans(&manifest, spans: await spans.held(), why: "no span source")
        BundleFiles.addConfig(&manifest, path: options.configPath)
        BundleFiles.addVersions(&manifest, builds: [("target", snapshot.build)])
        post(.bundle(.running("writing")))
        do {
            try FileManager.default.createDirectory(atPath: options.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            post(.bundle(.failed("cannot create \(options.directory): \(error.localizedDescription)", at: Date())))
            return
        }
        let path = (options.directory as NSString).appendingPathComponent(BundleOutput.defaultName(created))
        do {
            let bytes = try manifest.archive()
            try BundleOutput().save(bytes, to: path)
            post(.bundle(.done(path: path, at: Date())))
        } catch let error as BundleOutput.Failure {
            post(.bundle(.failed(error.description, at: Date())))
        } catch {
            post(.bundle(.failed("cannot make the archive: \(error)", at: Date())))
        }
    }
}
