import TeleportCore

/// When a change opens and when it clears (docs/findings.md gives the figures behind them).
public struct ChangeThresholds: Sendable, Hashable {
    /// Robust z (shift of the recent median over the baseline's scaled MAD) to open.
    public var openZ = 5.0
    /// Magnitude (|log2| of the ratio of the two medians, each plus the floor) to open: 0.75 is 1.68×.
    public var openMagnitude = 0.75
    /// What an open finding must keep to stay open (hysteresis): 3 and 0.45 (1.37×).
    public var keepZ = 3.0
    public var keepMagnitude = 0.45
    /// Evaluations an open finding may miss before it clears.
    public var clearAfter = 2

    public init() {}

    /// The absolute floor a change is measured against: below it values count as noise
    /// (a rate under 1/s, a latency under 1 ms, a size under 1 MiB).
    static func floor(name: String, isRate: Bool) -> Double {
        switch FindingFigure.unit(of: name) {
        case .seconds: isRate ? 0.01 : 0.001
        case .bytes: isRate ? 1024 : 1_048_576
        case .plain: 1
        }
    }
}
