/// How a diff's flame graph tells change: a frame whose path grew or shrank by more than
/// the noise floor is painted as such, anything within it as unchanged, so one sample more
/// (0 → 1) is never a hot spot; frames with samples on one side only are told apart.
public struct FlameDiffShading: Sendable, Hashable {
    public enum Shade: Sendable, Hashable {
        case grew, shrank, same
    }

    /// Which captures a frame's path has samples in.
    public enum Side: Sendable, Hashable {
        case both
        /// Only in the capture shown (new since the baseline).
        case newOnly
        /// Only in the baseline (gone since).
        case baseOnly
    }

    /// The share of the larger capture's total a change must reach.
    public static let floorShare = 0.01
    /// The samples a change must reach, whatever the totals.
    public static let floorSamples: Int64 = 2

    /// Changes smaller than this (in the sample type's unit) are noise.
    public let floor: Int64

    /// The floor of a diff tree: 1% of the larger of the two captures' totals, and at least
    /// two of its smallest samples.
    public init(_ tree: CallTree) {
        let root = tree.nodes.first
        let base = root?.baseTotal ?? 0
        let new = (root?.total ?? 0) &- base
        let share = Int64((Double(max(new, base)) * Self.floorShare).rounded(.up))
        floor = max(share, Self.floorSamples &* tree.smallestSample, 1)
    }

    public init(floor: Int64) {
        self.floor = floor
    }

    public func shade(_ node: CallTree.Node) -> Shade {
        let magnitude = node.delta < 0 ? 0 &- node.delta : node.delta
        if magnitude < floor { return .same }
        return node.delta > 0 ? .grew : .shrank
    }

    public static func side(_ node: CallTree.Node) -> Side {
        if node.baseTotal == 0 { return .newOnly }
        if node.baseTotal == node.total { return .baseOnly }
        return .both
    }
}
