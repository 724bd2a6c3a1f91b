import Foundation

/// How far a series' recent window moved from its baseline: medians of slots, the
/// baseline's spread, and the two measures a change must pass (docs/findings.md).
struct ChangeScore: Sendable, Hashable {
    var baseline: Double
    var recent: Double
    /// The baseline's scaled MAD.
    var spread: Double
    /// Shift of the medians in units of the spread.
    var z: Double
    /// |log2((|recent| + floor) / (|baseline| + floor))|: the ranking across units.
    var magnitude: Double
    /// The first recent slot from which every slot lies beyond the band (nil: none).
    var sinceSlot: Int?

    /// Scores `slots` (baseline slots then recent ones) against `floor`; nil when either
    /// window has too few points (under half its slots) to tell, or when the magnitude is
    /// under `minMagnitude` (the spread is not computed then: most series move little).
    static func score(_ slots: [Double], baselineSlots: Int, floor: Double, minMagnitude: Double = 0) -> ChangeScore? {
        slots.withUnsafeBufferPointer { score($0, baselineSlots: baselineSlots, floor: floor, minMagnitude: minMagnitude) }
    }

    /// `score` of slots read in place.
    static func score(_ slots: UnsafeBufferPointer<Double>, baselineSlots: Int, floor: Double, minMagnitude: Double = 0) -> ChangeScore? {
        let split = min(baselineSlots, slots.count)
        // Medians on a scratch buffer (this runs for every series of a 41k-series target at
        // each evaluation: nothing is allocated).
        let figures = withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, slots.count)) { scratch -> (Double, Double, Double, Double)? in
            let recentCount = RobustStats.keep(slots[split...], into: scratch)
            guard recentCount * 2 > slots.count - split, let r = RobustStats.medianInPlace(scratch, count: recentCount) else { return nil }
            let baselineCount = RobustStats.keep(slots[0..<split], into: scratch)
            guard baselineCount * 2 >= split, let b = RobustStats.medianInPlace(scratch, count: baselineCount) else { return nil }
            let magnitude: Double
            if (r >= 0) == (b >= 0) {
                magnitude = abs(log2((abs(r) + floor) / (abs(b) + floor)))
            } else {
                magnitude = log2(1 + abs(r - b) / floor)
            }
            guard magnitude >= minMagnitude else { return nil }
            for i in 0..<baselineCount { scratch[i] = abs(scratch[i] - b) }
            guard let mad = RobustStats.medianInPlace(scratch, count: baselineCount) else { return nil }
            return (b, r, mad * 1.4826, magnitude)
        }
        guard let (b, r, mad, magnitude) = figures else { return nil }
        let spread = max(mad, floor * 1e-3)
        let z = abs(r - b) / spread
        // Since: walking back from the newest slot while slots stay beyond 3 spreads on the
        // side of the shift (slots without points pass).
        var since: Int?
        let up = r > b
        var k = slots.count - 1
        while k >= baselineSlots {
            let v = slots[k]
            if v.isNaN {
                k -= 1
                continue
            }
            let beyond = up ? v > b + 3 * spread : v < b - 3 * spread
            guard beyond else { break }
            since = k
            k -= 1
        }
        return ChangeScore(baseline: b, recent: r, spread: spread, z: z, magnitude: magnitude, sinceSlot: since)
    }

    /// Whether it opens a finding, or keeps an open one open.
    func passes(_ thresholds: ChangeThresholds, open: Bool) -> Bool {
        open
            ? z >= thresholds.keepZ && magnitude >= thresholds.keepMagnitude
            : z >= thresholds.openZ && magnitude >= thresholds.openMagnitude
    }
}
