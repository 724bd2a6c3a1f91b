import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

@Suite("Themes")
struct ThemeTests {
    static let themesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes")

    static let stateRoles: [StyleRole] = [.stateOK, .stateRecovering, .stateDegraded, .stateStarting, .stateUnreachable]
    static let chartRoles: [StyleRole] = [.chart0, .chart1, .chart2, .chart3, .chart4, .chart5, .chart6, .chart7]

    // MARK: Built-in themes

    @Test("Every built-in theme parses, sets every role and a chart", arguments: ThemeLoader.builtinNames)
    func builtinParses(name: String) throws {
        let theme = try #require(try ThemeLoader.builtinTheme(name))
        #expect(theme.name == name)
        #expect(ThemeLoader.builtin(name) == theme)
        #expect(Set(theme.roles.keys) == Set(ThemeParser.roleKeys.map(\.role)), "\(name) should set every role")
        #expect((1...8).contains(theme.chart.count))
        for role in StyleRole.allCases {
            let style = theme.style(for: role)
            if let own = theme.roles[role] {
                #expect(style.fg == own.fg)
            }
        }
        // The five states must not look alike.
        let states = Self.stateRoles.map(theme.style(for:))
        #expect(Set(states).count == states.count, "\(name): two states share a style")
        if name != "monochrome" {
            #expect(theme.style(for: .text).fg != .terminalDefault)
            #expect(theme.style(for: .chart0) != theme.style(for: .chart7))
        }
    }

    @Test("The embedded copies equal themes/*.yaml byte for byte (run Scripts/embed-resources.sh)")
    func embeddedMatchesFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesDirectory.path)
            .filter { $0.hasSuffix(".yaml") }
        let names = Set(files.map { String($0.dropLast(".yaml".count)) })
        #expect(names == Set(ThemeLoader.embedded.keys))
        #expect(Set(ThemeLoader.builtinNames).isSubset(of: names))
        for file in files {
            let text = try String(contentsOf: Self.themesDirectory.appendingPathComponent(file), encoding: .utf8)
            let name = String(file.dropLast(".yaml".count))
            #expect(ThemeLoader.embedded[name] == text, "themes/\(file) differs from its embedded copy")
        }
    }

    @Test("The files in themes/ load from disk the same as the embedded copies", arguments: ThemeLoader.builtinNames)
    func filesLoad(name: String) throws {
        let theme = try ThemeLoader.load(path: Self.themesDirectory.appendingPathComponent(name + ".yaml").path)
        #expect(theme == ThemeLoader.builtin(name))
    }

    @Test("The default theme is the one in the brief")
    func defaultTheme() throws {
        let theme = ThemeLoader.defaultTheme
        #expect(theme.name == "default")
        #expect(theme.background == .terminalDefault)
        #expect(theme.style(for: .text) == RoleStyle(fg: .rgb(0xd0, 0xd0, 0xd0)))
        #expect(theme.style(for: .dim) == RoleStyle(fg: .index(244)))
        #expect(theme.style(for: .header) == RoleStyle(fg: .rgb(255, 255, 255), bg: .index(236), bold: true))
        #expect(theme.style(for: .stateUnreachable) == RoleStyle(fg: .rgb(255, 255, 255), bg: .index(201), bold: true))
        #expect(theme.style(for: .chart0).fg == .rgb(0x00, 0x5f, 0x87))
        #expect(theme.style(for: .chart7).fg == .rgb(0xff, 0x87, 0x00))
    }

    @Test("Every role a theme file can set has one key, and every non-chart role has a key")
    func roleKeys() {
        let roles = ThemeParser.roleKeys.map(\.role)
        #expect(Set(roles).count == roles.count)
        #expect(Set(ThemeParser.roleKeys.map(\.key)).count == roles.count)
        #expect(Set(roles) == Set(StyleRole.allCases.filter { Theme.chartLevel($0) == nil }))
    }

    // MARK: Monochrome and NO_COLOR

    @Test("Monochrome uses no colour, matches monochrome.yaml and keeps the states apart")
    func monochrome() throws {
        let theme = Theme.monochrome
        #expect(ThemeLoader.builtin("monochrome") == theme)
        #expect(theme.background == .terminalDefault)
        for role in StyleRole.allCases {
            #expect(theme.style(for: role).fg == .terminalDefault, "\(role)")
            #expect(theme.style(for: role).bg == .terminalDefault, "\(role)")
        }
        #expect(theme.chart.allSatisfy { $0 == .terminalDefault })
        let states = Self.stateRoles.map(theme.style(for:))
        #expect(Set(states).count == 5)
        #expect(!states.contains(RoleStyle()), "a state must be marked by an attribute")
    }

    @Test("NO_COLOR forces monochrome whatever is asked; an empty NO_COLOR does not")
    func noColor() throws {
        let environment = ["NO_COLOR": "1"]
        #expect(try ThemeLoader.resolve(nil, environment: environment) == .monochrome)
        #expect(try ThemeLoader.resolve("light", environment: environment) == .monochrome)
        #expect(try ThemeLoader.resolve("/no/such/theme.yaml", environment: environment) == .monochrome)
        #expect(try ThemeLoader.resolve("light", environment: ["NO_COLOR": ""]).name == "light")
        #expect(try ThemeLoader.resolve("light", environment: ["TERM": "xterm"]).name == "light")
    }

    @Test("resolve: nil is the default, names are built-ins, anything else a path")
    func resolve() throws {
        #expect(try ThemeLoader.resolve(nil, environment: [:]) == ThemeLoader.builtin("default"))
        #expect(try ThemeLoader.resolve("", environment: [:]) == ThemeLoader.builtin("default"))
        for name in ThemeLoader.builtinNames {
            #expect(try ThemeLoader.resolve(name, environment: [:]).name == name)
        }
        let error = #expect(throws: ThemeError.self) { try ThemeLoader.resolve("solarized", environment: [:]) }
        #expect(error?.source == "solarized")
        #expect(error?.description.contains("default, light, high-contrast or monochrome") == true)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("theme-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("mine.yaml").path
        try "roles:\n  text: {fg: 100}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let theme = try ThemeLoader.resolve(path, environment: [:])
        #expect(theme.name == "mine", "without name: the file name")
        #expect(theme.style(for: .accent) == RoleStyle(fg: .index(100)))

        let missing = #expect(throws: ThemeError.self) { try ThemeLoader.resolve(directory.path + "/gone.yaml", environment: [:]) }
        #expect(missing?.source == directory.path + "/gone.yaml")
        #expect(missing?.line == 0)
        #expect(missing?.description.contains("cannot be read: No such file or directory") == true, "\(String(describing: missing))")
    }

    @Test("T cycles through the built-ins and back; other names go to the first")
    func cycling() {
        #expect(ThemeLoader.cycled(after: "default") == "light")
        #expect(ThemeLoader.cycled(after: "light") == "high-contrast")
        #expect(ThemeLoader.cycled(after: "high-contrast") == "monochrome")
        #expect(ThemeLoader.cycled(after: "monochrome") == "default")
        #expect(ThemeLoader.cycled(after: "mine") == "default")
    }

    // MARK: Colours

    @Test(
        "Colour text parses",
        arguments: [
            ("#ff0000", ThemeColor.rgb(255, 0, 0)), ("#5FaFfF", .rgb(0x5f, 0xaf, 0xff)), ("#000000", .rgb(0, 0, 0)),
            ("0", .index(0)), ("244", .index(244)), ("255", .index(255)), ("007", .index(7)),
            ("default", .terminalDefault), ("DEFAULT", .terminalDefault),
        ] as [(String, ThemeColor)]
    )
    func colourParses(text: String, expected: ThemeColor) {
        #expect(ThemeColor(text: text) == expected)
    }

    @Test("Not colours", arguments: ["#12345", "#1234567", "#gg0000", "ff0000", "#", "", "256", "300", "-1", "+5", "1.5", "red", " 12", "0x10"])
    func notColours(text: String) {
        #expect(ThemeColor(text: text) == nil)
    }

    @Test("Colours print as a theme file writes them")
    func colourDescription() {
        #expect(ThemeColor.rgb(0x05, 0xaf, 0xff).description == "#05afff")
        #expect(ThemeColor.index(9).description == "9")
        #expect(ThemeColor.terminalDefault.description == "default")
    }

    struct Nearest: Sendable, CustomTestStringConvertible {
        var colour: ThemeColor
        var index256: Int
        var index16: Int
        var index8: Int
        init(_ colour: ThemeColor, _ index256: Int, _ index16: Int, _ index8: Int) {
            (self.colour, self.index256, self.index16, self.index8) = (colour, index256, index16, index8)
        }
        var testDescription: String { colour.description }
    }

    static let nearestCases: [Nearest] = [
        //       colour                   256  16  8
        Nearest(.rgb(255, 0, 0), 196, 9, 1),
        Nearest(.rgb(0x80, 0x80, 0x80), 244, 8, 7),  // grey 128 is entry 244 exactly
        Nearest(.rgb(0xd0, 0xd0, 0xd0), 252, 7, 7),  // 8 + 10 * 20 = 208
        Nearest(.rgb(0, 0, 0), 16, 0, 0),
        Nearest(.rgb(255, 255, 255), 231, 15, 7),
        Nearest(.rgb(0x5f, 0xaf, 0x5f), 71, 2, 2),  // cube (1, 3, 1)
        Nearest(.rgb(0x5f, 0xaf, 0xff), 75, 12, 4),  // cube (1, 3, 5); hue 210° falls in blue's sixth
        Nearest(.rgb(0x12, 0x34, 0x56), 23, 4, 4),  // cube (0, 1, 1) at distance 2254 beats grey 236 at 2360
        Nearest(.rgb(0x87, 0xff, 0x87), 120, 10, 2),  // light green stays green (squared distance says cyan)
        Nearest(.rgb(0xd7, 0xaf, 0x00), 178, 3, 3),
        Nearest(.rgb(0x0a, 0x0a, 0x0a), 232, 0, 0),  // grey 8 is nearer than cube black
        Nearest(.rgb(0x58, 0x58, 0x58), 240, 8, 0),
        Nearest(.index(196), 196, 9, 1),
        Nearest(.index(244), 244, 8, 7),
        Nearest(.index(236), 236, 0, 0),
        Nearest(.index(9), 9, 9, 1),
        Nearest(.index(12), 12, 12, 4),
        Nearest(.index(3), 3, 3, 3),
        Nearest(.index(201), 201, 13, 5),
    ]

    @Test("Nearest 256/16/8-colour entries", arguments: Self.nearestCases)
    func nearest(_ expected: Nearest) {
        #expect(expected.colour.nearestIndex256() == expected.index256)
        #expect(expected.colour.nearestIndex16() == expected.index16)
        #expect(expected.colour.nearestIndex8() == expected.index8)
    }

    @Test("The default colour has no palette entry")
    func defaultHasNoIndex() {
        #expect(ThemeColor.terminalDefault.nearestIndex256() == nil)
        #expect(ThemeColor.terminalDefault.nearestIndex16() == nil)
        #expect(ThemeColor.terminalDefault.nearestIndex8() == nil)
    }

    @Test("Every cube and grey entry's RGB maps back to itself")
    func paletteRoundTrip() {
        for index in 16...255 {
            let rgb = XtermPalette.rgb(index)
            #expect(ThemeColor.rgb(rgb.red, rgb.green, rgb.blue).nearestIndex256() == index, "entry \(index)")
        }
        func components(_ index: Int) -> [UInt8] {
            let rgb = XtermPalette.rgb(index)
            return [rgb.red, rgb.green, rgb.blue]
        }
        #expect(components(16) == [0, 0, 0])
        #expect(components(21) == [0, 0, 255])
        #expect(components(67) == [95, 135, 175])
        #expect(components(231) == [255, 255, 255])
        #expect(components(232) == [8, 8, 8])
        #expect(components(255) == [238, 238, 238])
        #expect(components(9) == [255, 0, 0])
    }

    @Test("Every palette entry fits 16 and 8 colours")
    func smallPalettesInRange() {
        for index in 0...255 {
            let colour = ThemeColor.index(UInt8(index))
            #expect((0..<16).contains(colour.nearestIndex16() ?? -1), "entry \(index)")
            #expect((0..<8).contains(colour.nearestIndex8() ?? -1), "entry \(index)")
        }
    }

    // MARK: Styles

    @Test(
        "The chart gradient spreads over 8 levels: level k uses colour floor(k × N / 8)",
        arguments: [
            (1, [0, 0, 0, 0, 0, 0, 0, 0]),
            (2, [0, 0, 0, 0, 1, 1, 1, 1]),
            (3, [0, 0, 0, 1, 1, 1, 2, 2]),
            (5, [0, 0, 1, 1, 2, 3, 3, 4]),
            (8, [0, 1, 2, 3, 4, 5, 6, 7]),
        ]
    )
    func chartSpread(count: Int, expected: [Int]) throws {
        let colours = (0..<count).map { "\(100 + $0)" }.joined(separator: ", ")
        let theme = try ThemeLoader.parse(yaml: "background: 17\nchart: [\(colours)]\n", source: "t.yaml")
        let levels = Self.chartRoles.map { theme.style(for: $0) }
        #expect(levels.map(\.fg) == expected.map { ThemeColor.index(UInt8(100 + $0)) })
        #expect(levels.allSatisfy { $0.bg == .index(17) && !$0.bold })
    }

    @Test("Missing roles and a missing chart look like text; a default bg becomes the background")
    func fallbacks() throws {
        let theme = try ThemeLoader.parse(
            yaml: """
                background: "#101010"
                roles:
                  text: {fg: 250, underline: true}
                  error: {fg: 196, bg: default, bold: true}
                  header: {fg: 15, bg: 4}
                """,
            source: "t.yaml")
        let text = RoleStyle(fg: .index(250), bg: .rgb(16, 16, 16), underline: true)
        for role in StyleRole.allCases where ![.error, .header, .text].contains(role) && Theme.flameDefaults[role] == nil && Theme.findingDefaults[role] == nil
        {
            #expect(theme.style(for: role) == text, "\(role)")
        }
        // The flame roles came later: a theme without them gets the built-in colours, and
        // the eight package colours differ from each other and from a match.
        for role in StyleRole.flames + [.flameMatch] {
            var expected = try #require(Theme.flameDefaults[role])
            expected.bg = expected.bg == .terminalDefault ? .rgb(16, 16, 16) : expected.bg
            #expect(theme.style(for: role) == expected, "\(role)")
        }
        #expect(Set((StyleRole.flames + [.flameMatch]).map { theme.style(for: $0) }).count == 9)
        #expect(ThemeLoader.defaultTheme.style(for: .flame3) == Theme.flameDefaults[.flame3])
        #expect(theme.style(for: .text) == text)
        #expect(theme.style(for: .error) == RoleStyle(fg: .index(196), bg: .rgb(16, 16, 16), bold: true))
        #expect(theme.style(for: .header) == RoleStyle(fg: .index(15), bg: .index(4)))
        #expect(Theme(name: "empty").style(for: .chart3) == RoleStyle())
    }

    @Test("Attributes parse")
    func attributes() throws {
        let theme = try ThemeLoader.parse(
            yaml: "roles:\n  accent: {bold: true, underline: True, reverse: false, dim: TRUE}\n", source: "t.yaml")
        #expect(theme.style(for: .accent) == RoleStyle(bold: true, underline: true, dim: true))
        #expect(theme.name == "t")
    }

    // MARK: Broken themes

    struct Broken: Sendable, CustomTestStringConvertible {
        var label: String
        var yaml: String
        var line: Int
        var key: String
        var reason: String
        var testDescription: String { label }
    }

    static let broken: [Broken] = [
        Broken(
            label: "bad colour", yaml: "name: x\nroles:\n  text: {fg: \"#12345\"}\n", line: 3, key: "roles.text.fg",
            reason: ##""#12345" is not a colour (use "#rrggbb", 0-255 or default)"##),
        Broken(
            label: "colour name", yaml: "roles:\n  text:\n    fg: red\n", line: 3, key: "roles.text.fg",
            reason: #""red" is not a colour"#),
        Broken(
            label: "index 300", yaml: "name: x\n\nroles:\n  dim: {fg: 300}\n", line: 4, key: "roles.dim.fg",
            reason: "300 is out of range (a colour index is 0-255)"),
        Broken(
            label: "unquoted #rrggbb is a comment", yaml: "roles:\n  text:\n    fg: #d0d0d0\n", line: 3, key: "roles.text.fg",
            reason: ##"no colour given (an unquoted # starts a comment: write "#rrggbb" in quotes)"##),
        Broken(
            label: "bad background", yaml: "background: transparent\n", line: 1, key: "background",
            reason: #""transparent" is not a colour"#),
        Broken(
            label: "unknown role", yaml: "roles:\n  text: {fg: 1}\n  warning: {fg: 3}\n", line: 3, key: "roles.warning",
            reason:
                "unknown role (expected text, dim, accent, border, selection, header, ok, recovering, degraded, starting, unreachable, error, flame0, flame1, flame2, flame3, flame4, flame5, flame6, flame7, flame-match, flame-grew, flame-shrank, flame-same, flame-grew-safe, flame-shrank-safe, finding-info, finding-warning or finding-critical)"
        ),
        Broken(label: "Swift role name", yaml: "roles:\n  stateOK: {fg: 1}\n", line: 2, key: "roles.stateOK", reason: "unknown role"),
        Broken(
            label: "unknown attribute key", yaml: "roles:\n  text:\n    fg: 1\n    blink: true\n", line: 4, key: "roles.text.blink",
            reason: "unknown attribute (expected fg, bg, bold, underline, reverse or dim)"),
        Broken(
            label: "unknown top-level key", yaml: "name: x\ncolours: {}\n", line: 2, key: "colours",
            reason: "unknown key (expected name, background, roles or chart)"),
        Broken(
            label: "attribute not a boolean", yaml: "roles:\n  text: {bold: yes}\n", line: 2, key: "roles.text.bold",
            reason: #"must be true or false, not "yes""#),
        Broken(
            label: "quoted boolean", yaml: "roles:\n\n  text: {bold: \"true\"}\n", line: 3, key: "roles.text.bold",
            reason: "must be true or false"),
        Broken(
            label: "role not a mapping", yaml: "roles:\n  text: \"#ffffff\"\n", line: 2, key: "roles.text",
            reason: ##"must be a mapping like {fg: "#d0d0d0", bold: true}, not "#ffffff""##),
        Broken(label: "roles a list", yaml: "name: x\nroles:\n  - text\n", line: 3, key: "roles", reason: "must be a mapping of role names"),
        Broken(label: "colour a list", yaml: "roles:\n  text: {fg: [1, 2]}\n", line: 2, key: "roles.text.fg", reason: "not a list"),
        Broken(label: "name a mapping", yaml: "name: {a: 1}\n", line: 1, key: "name", reason: "must be a non-empty name, not a mapping"),
        Broken(label: "chart not a list", yaml: "chart: \"#ffffff\"\n", line: 1, key: "chart", reason: "must be a list of 1 to 8 colours"),
        Broken(label: "empty chart", yaml: "name: x\nchart: []\n", line: 2, key: "chart", reason: "must be a list of 1 to 8 colours"),
        Broken(
            label: "nine chart colours", yaml: "chart:\n" + (1...9).map { "  - \($0)\n" }.joined(), line: 10, key: "chart[8]",
            reason: "at most 8"),
        Broken(label: "bad chart colour", yaml: "chart:\n  - 1\n  - \"#xyzxyz\"\n", line: 3, key: "chart[1]", reason: "is not a colour"),
        Broken(label: "top level a list", yaml: "- text\n", line: 1, key: "", reason: "a theme must be a mapping"),
        Broken(label: "duplicate key", yaml: "roles:\n  text: {fg: 1}\n  text: {fg: 2}\n", line: 2, key: "text", reason: "duplicate key"),
        Broken(
            label: "YAML syntax error: unclosed flow mapping", yaml: "name: x\nroles:\n  text: {fg: 1\n  dim: {fg: 2}\n", line: 4, key: "",
            reason: "YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping at line 3)"),
        Broken(
            label: "YAML syntax error: bad indentation", yaml: "name: x\nroles:\n  text: {fg: 1}\n dim: {fg: 2}\n", line: 4, key: "",
            reason: "YAML syntax error"),
        Broken(
            label: "YAML syntax error: tab", yaml: "name: x\nroles:\n\ttext: {fg: 1}\n", line: 3, key: "",
            reason: "YAML syntax error: found character that cannot start any token"),
        Broken(label: "empty file", yaml: "", line: 0, key: "", reason: "the theme is empty"),
        Broken(label: "only comments", yaml: "# nothing here\n", line: 0, key: "", reason: "the theme is empty"),
    ]

    @Test("A broken theme names its line and key", arguments: Self.broken)
    func brokenTheme(_ case: Broken) {
        let error = #expect(throws: ThemeError.self) { try ThemeLoader.parse(yaml: `case`.yaml, source: "themes/broken.yaml") }
        #expect(error?.source == "themes/broken.yaml")
        #expect(error?.line == `case`.line, "\(error?.description ?? "")")
        #expect(error?.key == `case`.key, "\(error?.description ?? "")")
        #expect(error?.reason.contains(`case`.reason) == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("\n") == false)
    }

    @Test("The error message reads file, line, key, reason")
    func errorDescription() throws {
        let error = #expect(throws: ThemeError.self) {
            try ThemeLoader.parse(yaml: "name: broken\n\n\n\n\nroles:\n  text: {fg: \"#12345\"}\n", source: "themes/broken.yaml")
        }
        #expect(
            error?.description
                == ##"themes/broken.yaml line 7: roles.text.fg: "#12345" is not a colour (use "#rrggbb", 0-255 or default)"##)
        #expect(ThemeError(source: "x.yaml", line: 0, key: "", reason: "the theme is empty").description == "x.yaml: the theme is empty")
    }

    @Test("Control characters from a theme file never reach the message")
    func errorSanitized() {
        let error = #expect(throws: ThemeError.self) {
            try ThemeLoader.parse(yaml: "roles:\n  text: {fg: \"\\e[31m\"}\n", source: "t.yaml")
        }
        #expect(error?.description.unicodeScalars.contains { $0.value == 0x1B } == false)
        #expect(error?.description.contains(#"\e[31m"#) == true)
    }
}
