import Foundation
import TeleportCore

/// The Profiles tab: the checklist of kinds (as `tctl debug live` offers it), the capture
/// duration, the session's captures, and the viewer of one of them.
public struct ProfilesTabState: Sendable {
    /// Kinds in the checklist's order.
    public static let kinds: [ProfileKind] = [.profile, .heap, .goroutine, .allocs, .block, .mutex, .threadcreate, .trace, .cmdline]

    public var checked: Set<ProfileKind> = [.goroutine, .heap, .profile]
    /// The duration of the checklist's timed captures (←/→ change it).
    public var seconds: Int
    /// The `p` key's CPU capture length (`--profile-seconds`; the checklist's ←/→ leave it).
    public var oneKeySeconds: Int
    /// The row under the cursor: the kinds first, then the captures.
    public var cursor = 0
    public var captures: [ProfileCaptureEntry] = []
    /// Where captures are saved (for the screen).
    public var directory: String
    /// The capture whose viewer opens by itself when it is done (the `p` key's).
    public var autoOpen: Int?
    public var viewer: ProfileViewerState?
    /// The baseline of each kind for the session (`b`): later captures of the kind diff against it (`D`).
    public var baselines: [ProfileKind: ProfileBaseline] = [:]
    private(set) var nextID = 1

    public init(seconds: Int = 30, directory: String = ProfileFiles.defaultDirectory) {
        self.seconds = seconds
        self.oneKeySeconds = seconds
        self.directory = directory
    }

    /// Registers captures about to start and returns their IDs.
    mutating func begin(_ kinds: [ProfileKind], seconds: Int, now: Date, instance: Int? = nil, pid: Int? = nil) -> [ProfileCaptureRequest] {
        kinds.map { kind in
            let id = nextID
            nextID += 1
            let timed = kind.isTimed
            captures.append(
                ProfileCaptureEntry(
                    id: id, kind: kind, seconds: timed ? seconds : nil, started: now, status: .running(remaining: timed ? Double(seconds) : nil),
                    instance: instance, pid: pid))
            return ProfileCaptureRequest(id: id, kind: kind, seconds: timed ? seconds : nil)
        }
    }

    /// Adds a capture that is already saved (a replay's).
    mutating func addSaved(kind: ProfileKind, started: Date, path: String, bytes: Int) {
        captures.append(ProfileCaptureEntry(id: nextID, kind: kind, seconds: nil, started: started, status: .saved(path: path, bytes: bytes)))
        nextID += 1
    }

    /// Whether a saved file is the baseline of its kind.
    public func isBaseline(path: String, kind: ProfileKind) -> Bool { baselines[kind]?.path == path }

    /// The captures of what is on screen: a fleet instance's own (`instance`, the open one),
    /// and those not tied to an instance (a single target's, a replay's).
    public func shown(for instance: Int?) -> [ProfileCaptureEntry] {
        captures.filter { $0.instance == nil || $0.instance == instance }
    }

    public var isCapturing: Bool { captures.contains { if case .running = $0.status { return true } else { return false } } }
}

/// One capture of the session.
public struct ProfileCaptureEntry: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        /// Seconds left of a timed capture (nil: waiting for a snapshot).
        case running(remaining: Double?)
        case saved(path: String, bytes: Int)
        case failed(String)
        case cancelled
    }

    public var id: Int
    public var kind: ProfileKind
    public var seconds: Int?
    public var started: Date
    public var status: Status
    /// The fleet instance it was taken of (nil: the single target, or a replay's).
    public var instance: Int?
    /// The target's pid when the capture started (from /readyz), if known.
    public var pid: Int?
}

/// A capture marked as the baseline of its kind (`b`): what `D` compares later captures with.
public struct ProfileBaseline: Sendable, Hashable {
    public var path: String
    public var kind: ProfileKind
    /// When it was taken (nil: unknown, a file opened by name).
    public var started: Date?
    /// The process it was taken of, if known: `-base` needs the same one.
    public var pid: Int?

    public init(path: String, kind: ProfileKind, started: Date? = nil, pid: Int? = nil) {
        self.path = path
        self.kind = kind
        self.started = started
        self.pid = pid
    }
}

/// What a diff report is asked for: the baseline file, pprof's meaning, `-normalize`.
public struct ProfileDiffRequest: Sendable, Hashable {
    public var basePath: String
    public var meaning: DiffMeaning
    public var normalize: Bool

    public init(basePath: String, meaning: DiffMeaning, normalize: Bool = false) {
        self.basePath = basePath
        self.meaning = meaning
        self.normalize = normalize
    }
}

/// What the run loop is asked to capture.
public struct ProfileCaptureRequest: Sendable, Hashable {
    public var id: Int
    public var kind: ProfileKind
    public var seconds: Int?
}

/// The viewer: one saved profile, its top-N under the chosen options.
public struct ProfileViewerState: Sendable {
    public var path: String
    public var kind: ProfileKind
    public var options: TopOptions
    /// Whether a goroutine profile shows grouped stacks (else the top-N table).
    public var groups = true
    public var row = 0
    public var data: ProfileViewerData?
    /// The report asked for last: only its answer is shown.
    public var request: Int?
    /// The flame graph (`F`): kept when the table is shown again, so `F` comes straight back.
    public var flame: FlameViewState?
    /// Whether the flame graph is on screen (else the table).
    public var showsFlame = false
    /// Callers and callees of a function, while they are shown (`P`).
    public var peek: PeekViewState?
    /// When the capture was taken and of which process (for the baseline and `-base`).
    public var started: Date?
    public var pid: Int?
    /// Whether the diff against the kind's baseline is shown (`D`), and with `-normalize` (`%`).
    public var showsDiff = false
    public var normalize = false
    /// pprof's meaning when it was named (`teleport-top pprof --base OLD FILE`); else chosen
    /// by kind and pid.
    public var meaning: DiffMeaning?

    public init(path: String, kind: ProfileKind, options: TopOptions = TopOptions(), started: Date? = nil, pid: Int? = nil) {
        self.path = path
        self.kind = kind
        self.options = options
        self.groups = kind == .goroutine
        self.started = started
        self.pid = pid
    }

    /// The diff to show against `baseline` (nil: none, the capture itself): `-base` for a
    /// cumulative kind of the same process, else `-diff_base`.
    public func diff(against baseline: ProfileBaseline?) -> ProfileDiffRequest? {
        guard showsDiff, let baseline, baseline.path != path else { return nil }
        let samePID = pid != nil && pid == baseline.pid
        return ProfileDiffRequest(
            basePath: baseline.path, meaning: meaning ?? DiffMeaning.preferred(kind: kind, samePID: samePID), normalize: normalize)
    }
}

/// A decoded profile's report for the viewer (computed off the UI thread).
public struct ProfileViewerData: Sendable {
    public var path: String
    public var options: TopOptions
    public var report: TopReport?
    public var groups: [GoroutineGroup]
    public var sampleTypes: [String]
    public var error: String?
    /// The diff this report is of (nil: the capture alone).
    public var diff: ProfileDiffRequest?
    /// A goroutine diff's stacks, ranked by growth.
    public var groupChanges: [GoroutineGroupChange]

    public init(
        path: String, options: TopOptions, report: TopReport?, groups: [GoroutineGroup], sampleTypes: [String], error: String?,
        diff: ProfileDiffRequest? = nil, groupChanges: [GoroutineGroupChange] = []
    ) {
        self.path = path
        self.options = options
        self.report = report
        self.groups = groups
        self.sampleTypes = sampleTypes
        self.error = error
        self.diff = diff
        self.groupChanges = groupChanges
    }
}

/// What the effect runner reports about captures.
public enum ProfileEvent: Sendable {
    case progress(id: Int, remaining: Double?)
    case saved(id: Int, path: String, bytes: Int)
    case failed(id: Int, message: String)
    case cancelled(id: Int)
    /// A capture a replay found in the recording (already saved, at `path`).
    case replayed(kind: ProfileKind, started: Date, path: String, bytes: Int)
}
