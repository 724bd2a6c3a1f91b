/// One stack of two goroutine profiles compared: how many goroutines had it in the baseline,
/// how many now. Ranked by growth, a leak (the same stack parked again and again) comes first.
public struct GoroutineGroupChange: Sendable, Hashable {
    /// Leaf first, as `GoroutineGroup.frames`.
    public var frames: [GoroutineGroup.Frame]
    public var count: Int64
    public var baseCount: Int64
    /// `count - baseCount`.
    public var change: Int64 { count &- baseCount }

    public init(frames: [GoroutineGroup.Frame], count: Int64, baseCount: Int64) {
        self.frames = frames
        self.count = count
        self.baseCount = baseCount
    }

    /// The stacks of both profiles (grouped as `GoroutineGroup.groups`), matched by their
    /// frames (function, file, line), ordered by growth (largest first), then by the count
    /// now, then by the frames; stacks whose count did not change come after those that did.
    public static func changes(new: PprofProfile, base: PprofProfile, sampleTypeIndex: Int = 0) -> [GoroutineGroupChange] {
        let newGroups = GoroutineGroup.groups(new, sampleTypeIndex: sampleTypeIndex)
        let baseGroups = GoroutineGroup.groups(base, sampleTypeIndex: sampleTypeIndex)
        var index: [[GoroutineGroup.Frame]: Int] = [:]
        var changes: [GoroutineGroupChange] = []
        for group in newGroups {
            index[group.frames] = changes.count
            changes.append(GoroutineGroupChange(frames: group.frames, count: group.count, baseCount: 0))
        }
        for group in baseGroups {
            if let i = index[group.frames] {
                changes[i].baseCount &+= group.count
            } else {
                index[group.frames] = changes.count
                changes.append(GoroutineGroupChange(frames: group.frames, count: 0, baseCount: group.count))
            }
        }
        // Positions in the groups' own order (count, then frames) break the remaining ties.
        let order = Dictionary(uniqueKeysWithValues: changes.enumerated().map { ($0.element.frames, $0.offset) })
        changes.sort { a, b in
            if (a.change != 0) != (b.change != 0) { return a.change != 0 }
            if a.change != b.change { return a.change > b.change }
            if a.count != b.count { return a.count > b.count }
            return order[a.frames, default: 0] < order[b.frames, default: 0]
        }
        return changes
    }
}
