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
        } else if let fallback = Self.flameDefaults[role] ?? Self.findingDefaults[role] {
            style = fallback
        } else {
            style = roles[.text] ?? RoleStyle()
        }
        if style.bg == .terminalDefault { style.bg = background }
        return style
    }

    /// How the flame roles look in a theme that does not set them (one written before they
    /// existed): warm backgrounds with black text, matches in magenta.
    public static let flameDefaults: [StyleRole: RoleStyle] = {
        let colours: [ThemeColor] = [
            .rgb(0xd7, 0x5f, 0x5f), .rgb(0xd7, 0x87, 0x5f), .rgb(0xd7, 0xaf, 0x5f), .rgb(0xaf, 0xaf, 0x5f),
            .rgb(0xff, 0x87, 0x5f), .rgb(0xff, 0xaf, 0x5f), .rgb(0xd7, 0x87, 0x87), .rgb(0xff, 0xd7, 0x87),
        ]
        var roles: [StyleRole: RoleStyle] = [:]
        for (role, colour) in zip(StyleRole.flames, colours) { roles[role] = RoleStyle(fg: .rgb(0, 0, 0), bg: colour) }
        roles[.flameMatch] = RoleStyle(fg: .rgb(0, 0, 0), bg: .rgb(0xd7, 0x5f, 0xd7), bold: true)
        // Diffs: red grew, green shrank, grey unchanged; colour-blind safe: Okabe-Ito's
        // vermilion and blue.
        roles[.flameGrew] = RoleStyle(fg: .rgb(0, 0, 0), bg: .rgb(0xff, 0x5f, 0x5f))
        roles[.flameShrank] = RoleStyle(fg: .rgb(0, 0, 0), bg: .rgb(0x5f, 0xd7, 0x5f))
        roles[.flameSame] = RoleStyle(fg: .rgb(0, 0, 0), bg: .rgb(0x9e, 0x9e, 0x9e))
        roles[.flameGrewSafe] = RoleStyle(fg: .rgb(0, 0, 0), bg: .rgb(0xd5, 0x5e, 0x00))
        roles[.flameShrankSafe] = RoleStyle(fg: .rgb(0, 0, 0), bg: .rgb(0x56, 0xb4, 0xe9))
        return roles
    }()

    /// How the finding roles look in a theme that does not set them: those of `default.yaml`.
    public static let findingDefaults: [StyleRole: RoleStyle] = [
        .findingInfo: RoleStyle(fg: .rgb(0x5f, 0xaf, 0xd7)),
        .findingWarning: RoleStyle(fg: .rgb(0xff, 0xaf, 0x00), bold: true),
        .findingCritical: RoleStyle(fg: .rgb(0xff, 0x5f, 0x5f), bold: true, reverse: true),
    ]

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
            .flame0: RoleStyle(), .flame1: RoleStyle(), .flame2: RoleStyle(), .flame3: RoleStyle(),
            .flame4: RoleStyle(), .flame5: RoleStyle(), .flame6: RoleStyle(), .flame7: RoleStyle(),
            .flameMatch: RoleStyle(bold: true, underline: true, reverse: true),
            .flameGrew: RoleStyle(bold: true, reverse: true), .flameShrank: RoleStyle(underline: true), .flameSame: RoleStyle(dim: true),
            .flameGrewSafe: RoleStyle(bold: true, reverse: true), .flameShrankSafe: RoleStyle(underline: true),
            .findingInfo: RoleStyle(), .findingWarning: RoleStyle(bold: true), .findingCritical: RoleStyle(bold: true, reverse: true),
        ],
        chart: [.terminalDefault]
    )
}
