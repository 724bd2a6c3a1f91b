/// Why a report cannot be made from a profile, worded as `go tool pprof` words it.
public enum PprofReportError: Error, Sendable, Hashable, CustomStringConvertible {
    case noSampleTypes
    case sampleIndexOutOfRange(String, last: Int)
    case unknownSampleType(String, known: [String])
    case badFocus(pattern: String, detail: String)
    /// Two profiles that cannot be compared (pprof's `compatible`).
    case incompatible(String)

    public var description: String {
        switch self {
        case .noSampleTypes: return "profile has no samples"
        case .sampleIndexOutOfRange(let selector, let last):
            return "sample_index \(Sanitized.quote(selector)) is outside the range [0..\(last)]"
        case .unknownSampleType(let selector, let known):
            return "sample_index \"\(Sanitized.quote(selector))\" must be one of: [\(Sanitized.quote(known.joined(separator: " ")))]"
        case .badFocus(let pattern, let detail):
            return "parsing focus regexp \"\(Sanitized.quote(pattern))\": \(Sanitized.quote(detail))"
        case .incompatible(let detail): return Sanitized.quote(detail)
        }
    }
}
