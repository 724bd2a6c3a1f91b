/// What a click on a drawn region means: the views name it while they draw, so a click is
/// looked up where it landed and no layout is computed twice.
public enum HitTarget: Sendable, Hashable {
    /// A tab of the tab bar.
    case tab(Tab)
    /// A view of tab 2's view bar.
    case authView(AuthView)
    /// A view of tab 8's view bar.
    case spansView(SpansTabState.View)
    /// Row i of a metrics table (section tabs, raw browser).
    case tableRow(Int)
    /// Row i of the span feed or the operations table.
    case spanRow(Int)
    /// Row i of the open trace's waterfall.
    case waterfallRow(Int)
    /// Row i of the Profiles tab: the kinds of the checklist, then the captures.
    case profileRow(Int)
    /// Row i of the profile viewer's table (or its goroutine groups).
    case viewerRow(Int)
    /// A frame (call tree node) of the flame graph.
    case flameFrame(Int32)
    /// Row i of the fleet table.
    case fleetRow(Int)
    /// The fleet's entry of the tab bar.
    case fleetTab
    /// Finding i of the Findings screen (its two lines).
    case findingRow(Int)
}

/// A rectangle of the screen and what a click there means.
public struct HitRegion: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    public var target: HitTarget

    public init(x: Int, y: Int, width: Int, height: Int = 1, target: HitTarget) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.target = target
    }

    public func contains(x: Int, y: Int) -> Bool {
        x >= self.x && x < self.x + width && y >= self.y && y < self.y + height
    }
}

extension Screen {
    /// Notes that the cells at (x, y), `width` wide and `height` high, mean `target` to a click.
    public mutating func mark(_ target: HitTarget, x: Int = 0, y: Int, width: Int? = nil, height: Int = 1) {
        guard y >= 0, y < self.height else { return }
        regions.append(HitRegion(x: x, y: y, width: width ?? self.width - x, height: height, target: target))
    }

    /// Marks a whole row.
    public mutating func mark(row y: Int, _ target: HitTarget) { mark(target, y: y) }

    /// What a click at (x, y) means: the last region drawn there (views drawn later lie on top).
    public func target(atX x: Int, y: Int) -> HitTarget? {
        regions.last { $0.contains(x: x, y: y) }?.target
    }
}
