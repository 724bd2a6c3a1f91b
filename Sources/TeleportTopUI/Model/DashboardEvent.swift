import Foundation
import TeleportCore

/// Everything that reaches the dashboard, in one ordered stream: input, the clock, and what
/// the data side produced or answered. Plain values, so a recording can write them down.
public enum DashboardEvent: Sendable {
    case input(InputEvent)
    case tick(Date)
    /// A poll's outcome (with the raw answer) and the store's snapshot after folding it.
    case scrape(ScrapeEvent)
    /// Spans, sources or warnings arrived at the span store (how many spans since the last such event).
    case spansArrived(Int)
    /// The span store's answer to a span query.
    case spans(request: Int, SpanSnapshot)
    /// The metric store's answer to a heatmap query (nil: no such histogram).
    case heatmap(request: Int, Heatmap?)
    /// A capture's progress or outcome.
    case profile(ProfileEvent)
    /// A decoded profile's report, for a viewer request.
    case report(request: Int, ProfileViewerData)
    /// A decoded profile's call tree for the flame graph (or why there is none).
    case flame(request: Int, options: TopOptions, diff: ProfileDiffRequest?, Result<CallTree, PprofFailure>)
    /// Callers and callees of a function (or why there are none).
    case peek(request: Int, Result<PeekReport, PprofFailure>)
    /// A theme was loaded (nil: no theme of that name).
    case theme(name: String, Theme?)
    /// Log lines arrived (from the log stream or a tailed file).
    case logLines([LogLine])
    /// The log source's status changed.
    case logStatus(LogSourceStatus)
    /// The process's log level (read, or set: `answer` is Teleport's reply).
    case logLevel(level: String?, answer: String?)
    /// A short notice for the status line (an effect's outcome).
    case notice(String)
    /// A fleet instance's row changed.
    case fleetRow(FleetRow)
    /// The fleet source's trouble or warnings (nil: all well).
    case fleetStatus(String?)
    /// The engine behind a Prometheus-API fleet, as the headers name it (`via
    /// VictoriaMetrics, 30s behind`; nil: not known).
    case fleetEngine(String?)
    /// Where a replay stands (after every move of its cursor).
    case replay(ReplayStatus)
    /// An instance's findings, as the engine last evaluated them.
    case findings(FindingsEvent)
    /// The diagnostics bundle's progress, path or failure (`B`).
    case bundle(BundleStatus)
}

/// What the terminal reports.
public enum InputEvent: Sendable, Hashable {
    case key(KeyCode)
    /// A click at a cell.
    case click(x: Int, y: Int)
    case wheelUp, wheelDown
    case resize
    /// SIGTERM or SIGHUP: quit now (restoring a log level teleport-top changed, without asking,
    /// unless `--restore-log-level no`).
    case terminate
}

/// One poll: its outcome as the client saw it (a success holds the raw body, its times and
/// the parsed families) and the store's snapshot after folding it in.
public struct ScrapeEvent: Sendable {
    /// Nil when a fleet instance's snapshot is handed over as it is opened.
    public var outcome: Result<ScrapeResult, ScrapeFailure>?
    public var snapshot: MetricsSnapshot
    /// The fleet instance it belongs to (nil: the one target).
    public var instance: Int?

    public init(outcome: Result<ScrapeResult, ScrapeFailure>?, snapshot: MetricsSnapshot, instance: Int? = nil) {
        self.outcome = outcome
        self.snapshot = snapshot
        self.instance = instance
    }
}
