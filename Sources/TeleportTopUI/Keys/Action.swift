import Foundation
import TeleportDiagnostics

/// What a key (or a new snapshot, or the clock) asks the dashboard to do.
public enum Action: Sendable, Hashable {
    case selectTab(Tab)
    case nextTab, previousTab
    case up, down, pageUp, pageDown, top, bottom
    case enter, back
    case startFilter, startLabelFilter, filterInput(Character), filterBackspace, filterDone, filterCancel
    case cycleSort
    case cycleView
    case toggleErrorsOnly, toggleFollow, toggleServiceFilter
    case fold, unfold
    case toggleKind, longer, shorter, cancelCapture
    case cycleSampleIndex, toggleLines, toggleGroups
    case togglePause
    case faster, slower
    case cycleTheme
    case injectFailure
    case toggleHelp
    case captureProfile
    case quit
    case tick(Date)
    /// A mouse click at a cell of a screen of the given size.
    case click(x: Int, y: Int, width: Int, height: Int)
}

/// Work the run loop does for the reducer, whose outcome comes back as actions or snapshots.
public enum Effect: Sendable, Hashable {
    case setInterval(Duration)
    case injectFailure
    case setTheme(String)
    /// Snapshots should carry the heatmap of this histogram series (nil: of none).
    case focusHistogram(HistogramSelection?)
    /// The span store should build span snapshots for this query.
    case spanQuery(SpanQuery)
    /// Span snapshots should carry this trace assembled (nil: none).
    case openTrace(TraceID?)
    /// Capture these profiles from the target, save them, report progress and outcome.
    case captureProfiles([ProfileCaptureRequest])
    /// Stop the running captures.
    case cancelCaptures
    /// Decode a saved profile and compute its report with these options.
    case loadProfile(path: String, options: TopOptions)
    case quit
}
