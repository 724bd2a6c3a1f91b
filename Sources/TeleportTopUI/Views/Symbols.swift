import TeleportCore

/// Glyph sets for charts (`--symbols`): braille and block need a font with them; ascii
/// works everywhere.
public enum Symbols: String, Sendable, Hashable, CaseIterable {
    case block
    case braille
    case ascii

    /// Eight levels, lowest to highest, for sparklines and bars.
    var levels: [Character] {
        switch self {
        case .block: return ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        case .braille: return ["⣀", "⣀", "⣤", "⣤", "⣶", "⣶", "⣿", "⣿"]
        case .ascii: return ["_", ".", "-", "-", "=", "+", "*", "#"]
        }
    }

    /// Four densities for heatmap cells, lightest first.
    var shades: [Character] {
        self == .ascii ? [".", ":", "*", "#"] : ["░", "▒", "▓", "█"]
    }

    /// A full cell for bars.
    var full: Character { self == .ascii ? "#" : "█" }
    /// A state timeline cell.
    var timeline: Character { self == .ascii ? "#" : "█" }
}
