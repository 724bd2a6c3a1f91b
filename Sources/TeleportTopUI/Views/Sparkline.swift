import TeleportCore

/// A sparkline: the latest points scaled between their minimum and maximum, one cell each.
public enum Sparkline {
    public static func cells(_ points: [Float], width: Int, symbols: Symbols) -> [Cell] {
        guard width > 0 else { return [] }
        let recent = Array(points.suffix(width))
        let finite = recent.filter { $0.isFinite }
        guard let low = finite.min(), let high = finite.max() else { return [] }
        let levels = symbols.levels
        return recent.map { point in
            guard point.isFinite else { return Cell(" ", role: .dim) }
            let level = high > low ? Double((point - low) / (high - low)) : (high > 0 ? 0.5 : 0)
            let index = min(levels.count - 1, Int(level * Double(levels.count - 1) + 0.5))
            return Cell(levels[index], role: StyleRole.chart(level: level))
        }
    }

    /// Draws a sparkline at (x, y).
    public static func draw(_ points: [Float], into screen: inout Screen, x: Int, y: Int, width: Int, symbols: Symbols) {
        for (i, cell) in cells(points, width: width, symbols: symbols).enumerated() where x + i < screen.width && y < screen.height {
            screen[x + i, y] = cell
        }
    }
}
