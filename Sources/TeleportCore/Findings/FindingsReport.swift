import Foundation

/// One evaluation's findings, ranked worst first, with what the history allowed.
public struct FindingsReport: Sendable, Hashable, Codable {
    /// Whether the history covered the baseline and the recent window.
    public enum Coverage: Sendable, Hashable, Codable {
        /// Changes were ranked.
        case full
        /// Less history than needed: only checks with absolute thresholds reported.
        case short(haveSeconds: Double, needSeconds: Double)
    }

    /// The scrape time evaluated at (never the wall clock).
    public var time: Date?
    public var coverage: Coverage
    public var findings: [Finding]
    /// The fixed span of scrape time changes were measured against (nil: the window just
    /// before the recent one).
    public var baseline: DateInterval?

    public init(time: Date?, coverage: Coverage, findings: [Finding], baseline: DateInterval? = nil) {
        self.time = time
        self.coverage = coverage
        self.findings = Finding.ranked(findings)
        self.baseline = baseline
    }

    public static let empty = FindingsReport(time: nil, coverage: .short(haveSeconds: 0, needSeconds: 0), findings: [])

    /// The worst severity present (nil: no finding).
    public var worst: FindingSeverity? { findings.map(\.severity).max() }

    /// A sentence about the coverage, for the text report (nil when full).
    public var coverageNote: String? {
        guard case .short(let have, let need) = coverage else { return nil }
        if let baseline {
            return "the baseline \(FindingFigure.clock(baseline.start, zone: false))-\(FindingFigure.clock(baseline.end)) is not in the "
                + "\(Int(have.rounded())) s of history held (or leaves no slot before the recent window): only absolute checks reported"
        }
        return "history \(Int(have.rounded())) s of the \(Int(need.rounded())) s a ranking of changes needs: only absolute checks reported"
    }
}
