/// The state teleport-top observes of a target: Teleport's four, plus unreachable (the
/// last scrape failed) and unknown (the target reports no state: a plain exporter).
public enum ObservedState: String, Sendable, Hashable, Codable, CaseIterable {
    case ok
    case recovering
    case degraded
    case starting
    case unreachable
    case unknown

    public init(_ state: ProcessState) {
        switch state {
        case .ok: self = .ok
        case .recovering: self = .recovering
        case .degraded: self = .degraded
        case .starting: self = .starting
        }
    }

    /// Upper-case label for badges.
    public var label: String { rawValue.uppercased() }
}
