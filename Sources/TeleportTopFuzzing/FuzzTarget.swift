import Foundation

/// One reader of untrusted bytes (from a peer, a file or a person typing) under fuzzing: `check` runs the bytes through it (as the
/// dashboard would) and returns the invariants the result broke (none for a clean run; an
/// error thrown by the reader is a clean run). libFuzzer traps on a broken invariant; the
/// unit tests replay every committed corpus file and crash input through the same checks.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case exposition
    case otlpProtobuf = "otlp-protobuf"
    case otlpJSON = "otlp-json"
    case traceFile = "trace-file"
    case pprof
    case teleportYAML = "teleport-yaml"
    case theme
    case targets
    case logLines = "log-lines"
    case prometheus
    case recording
    case time
    case duration
    case size
    case matchers
    case selector
    case regex
    case baseline

    /// Runs `bytes` through the reader; the broken invariants, described.
    public func check(_ bytes: [UInt8]) -> [String] {
        switch self {
        case .exposition: return ParserChecks.exposition(bytes)
        case .otlpProtobuf: return ParserChecks.otlpProtobuf(bytes)
        case .otlpJSON: return ParserChecks.otlpJSON(bytes)
        case .traceFile: return ParserChecks.traceFile(bytes)
        case .pprof: return ProfileChecks.pprof(bytes)
        case .teleportYAML: return ConfigChecks.teleportYAML(bytes)
        case .theme: return ConfigChecks.theme(bytes)
        case .targets: return ConfigChecks.targets(bytes)
        case .logLines: return LogChecks.logLines(bytes)
        case .prometheus: return ParserChecks.prometheus(bytes)
        case .recording: return RecordingChecks.recording(bytes)
        case .time: return InputChecks.time(bytes)
        case .duration: return InputChecks.duration(bytes)
        case .size: return InputChecks.size(bytes)
        case .matchers: return InputChecks.matchers(bytes)
        case .selector: return InputChecks.selector(bytes)
        case .regex: return InputChecks.regex(bytes)
        case .baseline: return InputChecks.baseline(bytes)
        }
    }
}
