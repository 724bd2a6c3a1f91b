import Foundation

/// How bad a finding is. `info` is a change worth a look; `warning` and `critical` are
/// Teleport's known signs of trouble (the exit codes of `check`: 0, 1, 2).
public enum FindingSeverity: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    case info
    case warning
    case critical

    var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .critical: 2
        }
    }

    public static func < (lhs: FindingSeverity, rhs: FindingSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// One thing the findings engine says: what is wrong or what changed, since when, the figure
/// and its baseline, and the evidence it read. Strings that came from the target (label
/// values, family names) are kept raw: sanitize them before output.
public struct Finding: Sendable, Hashable, Codable {
    /// The fleet instance it concerns (nil for one target).
    public var instance: String?
    public var severity: FindingSeverity
    /// The check's name (`changed`, `new-series`, `backend-latency`, ...).
    public var check: String
    /// The sentence a person needs.
    public var title: String
    public var family: String?
    public var labels: [Label]
    /// When the condition began, as far as the history tells.
    public var since: Date?
    public var value: Double?
    public var baseline: Double?
    /// What was read, in a line.
    public var evidence: String
    /// How far from normal (the order within a severity; larger first).
    public var score: Double

    public init(
        instance: String? = nil, severity: FindingSeverity, check: String, title: String, family: String? = nil, labels: [Label] = [],
        since: Date? = nil, value: Double? = nil, baseline: Double? = nil, evidence: String, score: Double
    ) {
        self.instance = instance
        self.severity = severity
        self.check = check
        self.title = title
        self.family = family
        self.labels = labels
        self.since = since
        self.value = value
        self.baseline = baseline
        self.evidence = evidence
        self.score = score
    }

    /// The identity a finding keeps from one evaluation to the next (hysteresis, muting).
    public var key: String {
        ([instance ?? "", check, family ?? ""] + labels.map { "\($0.name)=\($0.value)" }).joined(separator: "\u{1F}")
    }

    /// Worst first: severity, then score, then check and family for a stable order.
    public static func ranked(_ findings: [Finding]) -> [Finding] {
        findings.sorted { a, b in
            if a.severity != b.severity { return a.severity > b.severity }
            if a.score != b.score { return a.score > b.score }
            if a.check != b.check { return a.check < b.check }
            return a.key < b.key
        }
    }
}
