/// The profiles a Go process serves under `/debug/pprof/` (net/http/pprof), as Teleport's
/// `teleport debug profile` names them.
public enum ProfileKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// CPU profile over `?seconds=N`.
    case profile
    /// Go execution trace over `?seconds=N` (not pprof format: saved, never decoded).
    case trace
    case heap
    case allocs
    case goroutine
    case block
    case mutex
    case threadcreate
    /// The process's command line, NUL-separated text.
    case cmdline

    /// `profile` and `trace` always run for a duration (`teleport debug profile` uses 10 s
    /// when none is given); the others are snapshots, or deltas over `?seconds=N`.
    public var isTimed: Bool { self == .profile || self == .trace }

    /// The duration Teleport uses when none is given: 10 s for timed kinds, none for snapshots.
    public var defaultSeconds: Int? { isTimed ? 10 : nil }

    /// Whether the body is a pprof profile (gzip-compressed profile.proto).
    public var isPprof: Bool { self != .trace && self != .cmdline }

    /// The extension of a saved capture: `.pb.gz`, `.trace` for the execution trace, `.txt`
    /// for the command line.
    public var fileExtension: String {
        switch self {
        case .trace: return "trace"
        case .cmdline: return "txt"
        default: return "pb.gz"
        }
    }

    /// What the dashboard calls it.
    public var title: String {
        switch self {
        case .profile: return "CPU"
        case .trace: return "execution trace"
        case .heap: return "heap"
        case .allocs: return "allocations"
        case .goroutine: return "goroutines"
        case .block: return "blocking"
        case .mutex: return "mutex contention"
        case .threadcreate: return "thread creation"
        case .cmdline: return "command line"
        }
    }

    /// The request path: `/debug/pprof/<name>`, with `?seconds=N` when `seconds` > 0.
    public func path(seconds: Int?) -> String {
        let base = "/debug/pprof/\(rawValue)"
        guard let seconds, seconds > 0 else { return base }
        return base + "?seconds=\(seconds)"
    }
}

/// Where captured profiles go unless told otherwise.
public enum ProfileFiles {
    public static let defaultDirectory = "./teleport-top-profiles"
}
