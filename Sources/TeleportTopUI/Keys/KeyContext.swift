import TeleportCore

/// Where a key applies.
public enum KeyContext: String, Sendable, Hashable, CaseIterable {
    /// Every screen.
    case global
    /// Tables: section tabs and the raw browser.
    case table
    /// The Spans tab's feed and operations table.
    case spans
    /// The Profiles tab's checklist and captures.
    case profiles
    /// The pprof viewer.
    case profileViewer
    /// The profile viewer's flame graph.
    case flame
    /// Callers and callees of a function (the profile viewer's `P`).
    case peek
    /// The trace waterfall.
    case waterfall
    /// The histogram view.
    case histogram
    /// While typing a `/` filter.
    case filter
    /// The fleet table.
    case fleet
    /// The Logs screen.
    case logs
    /// The Findings screen.
    case findings
    /// A yes/no question (restore the log level, confirm a level).
    case question
    /// A replay: its keys come before every screen's.
    case replay
}
