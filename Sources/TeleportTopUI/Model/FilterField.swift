import TeleportCore

/// Which filter the hint bar is editing: the `/` regular expression or the `f` label matchers.
public enum FilterField: Sendable, Hashable {
    case regex
    case labels
    /// The Logs screen's component filter.
    case component
    /// A replay's `:` time.
    case replayTime
    /// The Findings screen's `b` baseline window.
    case baseline
}
