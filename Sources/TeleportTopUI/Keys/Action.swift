import Foundation
import TeleportCore

/// What a key (or a click, or the clock) asks the dashboard to do.
public enum Action: Sendable, Hashable {
    case selectTab(Tab)
    case nextTab, previousTab
    case up, down, pageUp, pageDown, top, bottom
    case enter, back
    case startFilter, startLabelFilter
    case filterInput(Character)
    case filterBackspace, filterDone, filterCancel
    case cycleSort
    case cycleView
    case toggleErrorsOnly, toggleFollow, toggleServiceFilter
    case fold, unfold
    case toggleKind, longer, shorter, cancelCapture
    case cycleSampleIndex, toggleLines, toggleGroups
    /// The profile viewer: the flame graph or the table; callers and callees of a function;
    /// the frame to the left or right in the flame graph.
    case toggleFlame, peek, left, right
    /// Profiles: mark a capture as its kind's baseline; the diff against it; pprof's -normalize.
    case markBaseline, toggleDiff, toggleNormalize
    case togglePause
    case faster, slower
    case cycleTheme
    case injectFailure
    case retryNow
    case toggleHelp
    case captureProfile
    /// Write a diagnostics bundle (`B`).
    case writeBundle
    /// Back to the fleet table.
    case showFleet
    /// A Prometheus-read instance polled directly, or back to PromQL.
    case toggleDirect
    /// Logs: next minimum level, the component filter, write the lines shown, open the
    /// line's trace, the level picker, answers to a question.
    case cycleLevel, startComponentFilter, writeLines, openTrace, levelPicker, answerYes, answerNo
    /// Findings: mute or unmute the selected one, type a baseline.
    case toggleMute, startBaseline
    /// A replay key, and `:` (type a time to jump to).
    case replay(ReplayCommand)
    case startJump
    case quit
    case tick(Date)
    /// A click on a region a view drew (looked up in the screen's hit map).
    case click(HitTarget)
}

/// Work the effect runner does for the reducers; what it finds comes back as events.
public enum Effect: Sendable, Hashable {
    case setInterval(Duration)
    /// Scrape now instead of waiting for the next tick or retry.
    case retryNow
    case injectFailure
    /// Load this theme (answered by `.theme`).
    case loadTheme(String)
    /// The heatmap of this histogram series (answered by `.heatmap` with the same request).
    case queryHeatmap(request: Int, HistogramSelection)
    /// The span store's picture for this query and open trace (answered by `.spans`).
    case querySpans(request: Int, SpanQuery, trace: TraceID?)
    /// Capture these profiles from the target, save them, report progress and outcome.
    case captureProfiles([ProfileCaptureRequest])
    /// Stop the running captures.
    case cancelCaptures
    /// Decode a saved profile and compute its report with these options (answered by `.report`).
    case loadProfile(request: Int, path: String, options: TopOptions, diff: ProfileDiffRequest? = nil)
    /// Decode a saved profile and build its call tree for the flame graph (answered by `.flame`).
    case loadFlame(request: Int, path: String, options: TopOptions, diff: ProfileDiffRequest? = nil)
    /// Decode a saved profile and compute `go tool pprof -peek SYMBOL` (answered by `.peek`).
    case peekProfile(request: Int, path: String, options: TopOptions, symbol: String, diff: ProfileDiffRequest? = nil)
    /// Open the log stream (at most one per target), or reopen it at another minimum level.
    case openLogs(level: String?)
    /// Set the process's log level (answered by `.logLevel`); `restoring`: teleport-top puts back what it changed.
    case setLogLevel(String, restoring: Bool)
    /// Keep the changed level at exit (the user said no to restoring it).
    case keepLogLevel
    /// Write these lines to a new file (0600) in the profile directory; answered by `.notice`.
    case writeLogs([LogLine])
    /// Open a fleet instance's dashboard (its snapshots come as scrapes), nil: none.
    case focusInstance(Int?)
    /// Refresh a fleet instance now.
    case retryInstance(Int)
    /// Switch a Prometheus-read instance to direct polling, or back (answered by `.notice`).
    case toggleDirect(Int)
    /// Fail a heartbeat of an embedded fleet instance.
    case injectFailureInstance(Int)
    /// Compare the findings' recent window with this fixed span of scrape time (nil: the
    /// rolling baseline before it).
    case setFindingsBaseline(DateInterval?)
    /// Move a replay's time cursor, play, pause, change its speed (answered by `.replay`).
    case replay(ReplayCommand)
    /// Write a diagnostics bundle of what the dashboard holds (`B`).
    case writeBundle(BundleRequest)
    case quit
}
