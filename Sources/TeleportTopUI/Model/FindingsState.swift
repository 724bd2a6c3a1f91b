import Foundation
import TeleportCore

/// What the findings engine said of one instance (0: the one target), with the series of
/// its findings for the sparklines, by finding key.
public struct FindingsEvent: Sendable {
    public var instance: Int
    public var report: FindingsReport
    public var traces: [String: FindingTrace]

    public init(instance: Int, report: FindingsReport, traces: [String: FindingTrace] = [:]) {
        self.instance = instance
        self.report = report
        self.traces = traces
    }
}

/// A stretch of time a finding was open, as the dashboard saw it (the Overview's strip).
public struct FindingEpisode: Sendable, Hashable {
    public var key: String
    public var severity: FindingSeverity
    public var since: Date
    /// When it cleared (nil: open).
    public var until: Date?
}

/// An instance's findings in a figure: how many are open (muted ones left out) and the worst.
public struct FindingsSummary: Sendable, Hashable {
    public var count: Int
    public var worst: FindingSeverity?

    public init(count: Int = 0, worst: FindingSeverity? = nil) {
        self.count = count
        self.worst = worst
    }
}

/// The Findings screen and the findings shown on the others: every instance's latest report,
/// what the user muted, the cursor, where Enter went (Esc comes back), the baseline asked for.
public struct FindingsState: Sendable {
    /// The dashboard's session evaluates findings: the header's findings line and the
    /// Overview's strip are drawn.
    public var enabled = false
    /// The latest report of each instance (0: the one target).
    public var reports: [Int: FindingsReport] = [:]
    /// Each instance's traces, by finding key.
    public var traces: [Int: [String: FindingTrace]] = [:]
    /// Each instance's findings over the session (newest last, bounded).
    public var episodes: [Int: [FindingEpisode]] = [:]
    /// Findings muted for the session, by key (a key names its instance).
    public var muted: Set<String> = []
    /// The selected finding's key (the cursor stays on it as the list changes).
    public var selectedKey: String?
    /// The first row shown (a list longer than the screen).
    public var offset = 0
    /// Set by Enter: Esc on the evidence comes back to the same finding.
    public var evidence: EvidenceReturn?
    /// The fixed baseline asked for with `b` (nil: the rolling one before the recent window).
    public var baseline: DateInterval?
    /// The `b` prompt's text.
    public var baselineText = ""

    public init() {}

    /// The most episodes kept per instance.
    static let maxEpisodes = 500
}

/// Where the evidence of a finding was opened from, and what the jump changed (put back on Esc).
public struct EvidenceReturn: Sendable {
    /// The tab the evidence is on (leaving it by another way forgets the return).
    public var tab: Tab
    public var key: String
    var tables: TablesState
    var selection: [Tab: Int]
    var spansQuery: SpanQuery
    var spansView: SpansTabState.View
}
