import TeleportCore

/// A colour theme: how each `StyleRole` looks. Load one with `ThemeLoader`.
public struct Theme: Sendable, Hashable {
    public var name: String
    /// The colour behind cells whose role leaves `bg` as `.terminalDefault`.
    public var background: ThemeColor
    /// The styles the theme sets; a role missing here looks like `.text`.
    public var roles: [StyleRole: RoleStyle]
    /// The chart gradient, lowest level first (1 to 8 colours; empty: chart levels look like `.text`).
    public var chart: [ThemeColor]

    public init(name: String, background: ThemeColor = .terminalDefault, roles: [StyleRole: RoleStyle] = [:], chart: [ThemeColor] = []) {
        self.name = name
        self.background = background
        self.roles = roles
        self.chart = chart
    }

    /// How a role looks: its own style, else for a chart level its gradient colour (level k of
    /// N colours uses colour floor(k × N / 8)), else the text style; a default `bg` becomes
    /// `background`.
    public func style(for role: StyleRole) -> RoleStyle {
        var style: RoleStyle
        if let own = roles[role] {
            style = own
        } else if let level = Self.chartLevel(role), !chart.isEmpty {
            style = RoleStyle(fg: chart[min(chart.count - 1, level * chart.count / 8)])
        } else {
            style = roles[.text] ?? RoleStyle()
        }
        if style.bg == .terminalDefault { style.bg = background }
        return style
    }

    /// The chart level 0-7 of a chart role, nil for other roles.
    static func chartLevel(_ role: StyleRole) -> Int? {
        switch role {
        case .chart0: return 0
        case .chart1: return 1
        case .chart2: return 2
        case .chart3: return 3
        case .chart4: return 4
        case .chart5: return 5
        case .chart6: return 6
        case .chart7: return 7
        default: return nil
        }
    }

    /// No colour at all, attributes only, so the states stay apart on any terminal; the theme
    /// for `NO_COLOR`. The same as `themes/monochrome.yaml` (a test checks).
    public static let monochrome = Theme(
        name: "monochrome",
        roles: [
            .text: RoleStyle(),
            .dim: RoleStyle(dim: true),
            .accent: RoleStyle(bold: true),
            .border: RoleStyle(dim: true),
            .selection: RoleStyle(reverse: true),
            .header: RoleStyle(reverse: true),
            .stateOK: RoleStyle(bold: true),
            .stateRecovering: RoleStyle(bold: true, underline: true),
            .stateDegraded: RoleStyle(bold: true, reverse: true),
            .stateStarting: RoleStyle(underline: true),
            .stateUnreachable: RoleStyle(underline: true, reverse: true),
            .error: RoleStyle(bold: true, underline: true),
        ],
        chart: [.terminalDefault]
    )
}
