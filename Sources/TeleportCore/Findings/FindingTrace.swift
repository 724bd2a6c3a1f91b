import Foundation

/// A finding's series over the findings windows, one point per slot: the baseline's slots,
/// then the recent window's (NaN: no point in that slot). The Findings screen draws it as a
/// sparkline against the baseline's band.
public struct FindingTrace: Sendable, Hashable {
    public var points: [Double]
    /// How many of the first points are the baseline's.
    public var baselineSlots: Int

    public init(points: [Double], baselineSlots: Int) {
        self.points = points
        self.baselineSlots = max(0, min(baselineSlots, points.count))
    }

    /// The baseline's band: median ± 3 spreads (1.4826 × MAD) of its points; nil without any.
    public var band: ClosedRange<Double>? {
        let base = points.prefix(baselineSlots).filter(\.isFinite).sorted()
        guard !base.isEmpty else { return nil }
        let median = Self.median(base)
        let spread = 1.4826 * Self.median(base.map { abs($0 - median) }.sorted())
        return (median - 3 * spread)...(median + 3 * spread)
    }

    static func median(_ sorted: [Double]) -> Double {
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}
