import TeleportCore

/// What a cell is, not how it looks: a theme maps each role to colours and attributes.
public enum StyleRole: UInt8, Sendable, Hashable, CaseIterable {
    case text
    case dim
    case accent
    case border
    case selection
    case header
    case stateOK
    case stateRecovering
    case stateDegraded
    case stateStarting
    case stateUnreachable
    case error
    /// Chart levels, lowest to highest: a theme's gradient spread over eight steps.
    case chart0, chart1, chart2, chart3, chart4, chart5, chart6, chart7
    /// Flame graph frames, coloured by package (a stable hash picks one of the eight), and
    /// the frames a `/` search matches. Themes written before them get built-in defaults.
    case flame0, flame1, flame2, flame3, flame4, flame5, flame6, flame7
    case flameMatch
    /// A diff's flame graph: frames whose path grew, shrank, or changed less than the noise
    /// floor; and the colour-blind-safe pair used instead of grew/shrank when that is set.
    case flameGrew, flameShrank, flameSame, flameGrewSafe, flameShrankSafe
    /// Findings by severity (the Findings screen, the header's findings line, the fleet's
    /// findings column). Themes written before them get built-in defaults.
    case findingInfo, findingWarning, findingCritical

    /// The finding roles, least severe first.
    public static let findings: [StyleRole] = [.findingInfo, .findingWarning, .findingCritical]

    /// The flame roles, in order.
    public static let flames: [StyleRole] = [.flame0, .flame1, .flame2, .flame3, .flame4, .flame5, .flame6, .flame7]
    /// The diff roles, in order.
    public static let flameDiffs: [StyleRole] = [.flameGrew, .flameShrank, .flameSame, .flameGrewSafe, .flameShrankSafe]

    /// The chart role for a level in 0...1.
    public static func chart(level: Double) -> StyleRole {
        let steps: [StyleRole] = [.chart0, .chart1, .chart2, .chart3, .chart4, .chart5, .chart6, .chart7]
        guard level.isFinite else { return .chart0 }
        return steps[min(7, max(0, Int(level * 8)))]
    }
}
