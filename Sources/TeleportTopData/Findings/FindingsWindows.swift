import Foundation

/// The windows the findings engine reads: a recent window compared with a baseline several
/// times longer just before it, both cut into slots of equal time (docs/findings.md).
public struct FindingsWindows: Sendable, Hashable {
    /// Seconds of the recent window.
    public var recent: Double
    /// Seconds of the baseline before it.
    public var baseline: Double
    /// Seconds per slot (a slot's rate or mean is one point of the medians).
    public var slot: Double

    public init(recent: Double = 60, baseline: Double = 240, slot: Double = 10) {
        self.slot = max(slot, 0.001)
        self.recent = max(recent, self.slot)
        self.baseline = max(baseline, self.slot)
    }

    /// The history a full ranking needs.
    public var total: Double { recent + baseline }
    var recentSlots: Int { max(1, Int((recent / slot).rounded())) }
    var baselineSlots: Int { max(1, Int((baseline / slot).rounded())) }
    var slots: Int { recentSlots + baselineSlots }
}
