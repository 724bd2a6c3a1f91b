import Foundation
import TeleportCore

/// Everything a view needs: the snapshot shown, where the user is, each screen's own state,
/// and the session's settings. A value: the reducers make new states, views read them.
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
    /// The first line of a help longer than the screen.
    public var helpOffset = 0
    /// The theme in force (the run loop applies it to the terminal when it changes) and its name.
    public var theme: Theme?
    public var themeName = "default"
    /// NO_COLOR is set: the theme stays monochrome.
    public var noColor = false
    /// `--color-blind-safe`: a diff's flame graph paints growth and shrinkage with the
    /// `flame-grew-safe` / `flame-shrank-safe` roles (vermilion and blue) instead of red and green.
    public var colorBlindSafe = false
    /// The metric tables (section tabs 2-7 and the raw browser): sort, filters, expansions, tab 2's view.
    public var tables = TablesState()
    /// The histogram view, when one is open.
    public var histogram: HistogramSelection?
    /// The heatmap of `histogram`, as the store last answered it.
    public var heatmap: Heatmap?
    /// The span store's picture shown on the Spans tab (held while paused), and the newest.
    public var spans: SpanSnapshot = .empty
    public var latestSpans: SpanSnapshot = .empty
    /// The Spans tab's view, query, follow mode and waterfall.
    public var spansTab = SpansTabState()
    /// The Profiles tab: checklist, duration, captures, viewer.
    public var profiles = ProfilesTabState()
    /// The filter being typed in the hint bar, if any.
    public var editing: FilterField?
    /// A replay's status (nil: live), and the `:` time being typed.
    public var replay: ReplayStatus?
    public var replayJump = ""
    public var editingFilter: Bool { editing != nil }
    /// Table rows of the last computation (see `TableRows`).
    public let rowsMemo = RowsMemo()
    /// The cursor of each tab's list.
    public var selection: [Tab: Int] = [:]
    /// Request ids of the answers this state waits for (older answers are dropped).
    public var requests = RequestIDs()
    /// Events the run loop's queue dropped because their source sent faster than they could
    /// be shown (shown in the header when not zero).
    public var droppedEvents = 0
    /// The interval last asked for with `+`/`-` (the next step starts from it, not from the
    /// snapshot's, which lags until the next scrape).
    public var requestedInterval: Duration?
    /// A short message for the status line (an effect's outcome).
    public var message: String?
    /// The wall clock of the last tick (ages and countdowns are computed from it).
    public var now: Date
    public var quit = false
    /// `teleport-top pprof FILE` on a terminal: only the profile viewer, whose Esc quits.
    public var fileViewer = false
    /// The width of the last frame drawn: what the flame graph's ←/→/↓ are measured against.
    public var columns = 80
    /// The Logs screen and the process's log level.
    public var logs = LogsState()
    /// The diagnostics bundle being written or last written (`B`).
    public var bundle: BundleStatus?
    /// Several instances: the fleet table, and which instance's dashboard is open.
    public var fleet: FleetState?
    /// The findings of every instance, and the Findings screen's own state.
    public var findings = FindingsState()
    /// Whether the fleet table is on screen (a fleet with no instance open).
    public var showsFleet: Bool { fleet != nil && fleet?.open == nil }

    public init(snapshot: MetricsSnapshot, isEmbedded: Bool, now: Date) {
        self.snapshot = snapshot
        self.latest = snapshot
        self.isEmbedded = isEmbedded
        self.now = now
    }

    public var selectedRow: Int { selection[tab] ?? 0 }
}

/// The metric tables' own state.
public struct TablesState: Sendable, Hashable {
    public var sort: SortMode = .name
    /// Text of the `/` filter (a regular expression; a leading `!` inverts it).
    public var filter = ""
    /// Text of the `f` label filter (`name=value, name=~regex, ...`).
    public var labelFilter = ""
    /// Families expanded into their series.
    public var expanded: Set<String> = []
    /// Tab 2's view: the family table or one of tctl top's boxes.
    public var authView: AuthView = .families

    public init() {}
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

/// Numbers requests to the data side; each kind of answer is accepted only for the newest
/// request of its kind, so a slow older answer never replaces a newer one.
public struct RequestIDs: Sendable, Hashable {
    private var last = 0
    /// The newest heatmap request.
    public var heatmap: Int?
    /// The newest span query, and whether spans arrived since it was sent.
    public var spans: Int?
    public var spansAnswered = true
    public var spansStale = false
    /// The newest span query was sent because the user changed the query (a filter, the order):
    /// its answer is shown even while paused (a pause freezes new spans, not the user's own filter).
    public var spansAskedByUser = false

    public init() {}

    /// A new id, larger than every earlier one.
    public mutating func next() -> Int {
        last += 1
        return last
    }
}
