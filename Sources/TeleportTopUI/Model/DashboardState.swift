import Foundation
import TeleportDiagnostics

/// Everything a view needs: the snapshot shown, where the user is, and the session's settings.
/// A value: the reducer makes new states, views read them.
public struct DashboardState: Sendable {
    /// The snapshot on screen (held while paused).
    public var snapshot: MetricsSnapshot
    /// The newest snapshot (the one shown when not paused).
    public var latest: MetricsSnapshot
    /// "embedded" when the data comes from the in-process simulation.
    public var isEmbedded: Bool
    public var tab: Tab = .overview
    public var paused = false
    public var showHelp = false
    public var themeName = "default"
    public var sort: SortMode = .name
    /// The span store's picture shown on the Spans tab (held while paused), and the newest.
    public var spans: SpanSnapshot = .empty
    public var latestSpans: SpanSnapshot = .empty
    /// The Spans tab's view, query, follow mode and waterfall.
    public var spansTab = SpansTabState()
    /// The Profiles tab: checklist, duration, captures, viewer.
    public var profiles = ProfilesTabState()
    /// Tab 2's view: the family table or one of tctl top's boxes.
    public var authView: AuthView = .families
    /// Text of the `/` filter (a regular expression; a leading `!` inverts it).
    public var filter = ""
    /// Text of the `f` label filter (`name=value, name=~regex, ...`).
    public var labelFilter = ""
    /// The filter being typed in the hint bar, if any.
    public var editing: FilterField?
    public var editingFilter: Bool { editing != nil }
    /// Table rows of the last computation (see `TableRows`).
    public let rowsMemo = RowsMemo()
    /// Selected row per tab.
    public var selection: [Tab: Int] = [:]
    /// Families expanded into their series, per tab.
    public var expanded: Set<String> = []
    /// The histogram open in the histogram view, if any.
    public var histogram: HistogramSelection?
    /// A short message for the status line (an effect's outcome).
    public var message: String?
    /// The wall clock of the last tick (ages and countdowns are computed from it).
    public var now: Date
    public var quit = false
    /// `teleport-top pprof FILE` on a terminal: only the profile viewer, whose Esc quits.
    public var fileViewer = false

    public init(snapshot: MetricsSnapshot, isEmbedded: Bool, now: Date) {
        self.snapshot = snapshot
        self.latest = snapshot
        self.isEmbedded = isEmbedded
        self.now = now
    }

    public var selectedRow: Int { selection[tab] ?? 0 }
}

/// Which histogram series the histogram view shows.
public struct HistogramSelection: Sendable, Hashable {
    public var family: String
    public var labels: [Label]

    public init(family: String, labels: [Label]) {
        self.family = family
        self.labels = labels
    }
}
