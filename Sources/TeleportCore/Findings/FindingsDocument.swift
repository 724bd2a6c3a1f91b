import Foundation

/// `teleport-top check --json`: the findings ranked worst first (docs/findings.md). Strings
/// that came from the target are sanitized.
public struct FindingsDocument: Sendable, Codable, Equatable {
    public struct Item: Sendable, Codable, Equatable {
        public var instance: String?
        public var severity: FindingSeverity
        public var check: String
        public var title: String
        public var family: String?
        /// Label name to value.
        public var labels: [String: String]
        public var since: Date?
        public var value: Double?
        public var baseline: Double?
        public var evidence: String

        public init(_ finding: Finding) {
            instance = finding.instance.map(Sanitized.quote)
            severity = finding.severity
            check = finding.check
            title = Sanitized.quote(finding.title)
            family = finding.family.map(Sanitized.quote)
            labels = Dictionary(finding.labels.map { (Sanitized.quote($0.name), Sanitized.quote($0.value)) }, uniquingKeysWith: { a, _ in a })
            since = finding.since
            value = finding.value.flatMap { $0.isFinite ? $0 : nil }
            baseline = finding.baseline.flatMap { $0.isFinite ? $0 : nil }
            evidence = Sanitized.quote(finding.evidence)
        }
    }

    /// What was read (`diag-addr 127.0.0.1:3000`, `embedded`, `recording DIR`).
    public var source: String
    /// The newest scrape evaluated.
    public var time: Date?
    /// Seconds of history the ranking of changes had, and needed.
    public var historySeconds: Double?
    public var neededSeconds: Double
    /// `ok`, `warning`, `critical`: the worst severity (info counts as ok).
    public var status: String
    public var findings: [Item]

    enum CodingKeys: String, CodingKey {
        case source, time, status, findings
        case historySeconds = "history_seconds"
        case neededSeconds = "needed_seconds"
    }

    public init(source: String, time: Date?, historySeconds: Double?, neededSeconds: Double, findings: [Finding]) {
        self.source = Sanitized.quote(source)
        self.time = time
        self.historySeconds = historySeconds
        self.neededSeconds = neededSeconds
        let worst = findings.map(\.severity).max() ?? .info
        status = worst == .info ? "ok" : worst.rawValue
        self.findings = Finding.ranked(findings).map(Item.init)
    }
}
