import TeleportCore
import Yams

/// Builds a `Theme` from the YAML node tree, so every problem names its line and key.
struct ThemeParser {
    /// The file name or label used in errors.
    let source: String

    /// The YAML keys of the roles a theme file sets (the chart levels come from `chart`).
    static let roleKeys: [(key: String, role: StyleRole)] = [
        ("text", .text), ("dim", .dim), ("accent", .accent), ("border", .border), ("selection", .selection),
        ("header", .header), ("ok", .stateOK), ("recovering", .stateRecovering), ("degraded", .stateDegraded),
        ("starting", .stateStarting), ("unreachable", .stateUnreachable), ("error", .error),
        ("flame0", .flame0), ("flame1", .flame1), ("flame2", .flame2), ("flame3", .flame3), ("flame4", .flame4),
        ("flame5", .flame5), ("flame6", .flame6), ("flame7", .flame7), ("flame-match", .flameMatch),
        ("flame-grew", .flameGrew), ("flame-shrank", .flameShrank), ("flame-same", .flameSame), ("flame-grew-safe", .flameGrewSafe),
        ("flame-shrank-safe", .flameShrankSafe),
        ("finding-info", .findingInfo), ("finding-warning", .findingWarning), ("finding-critical", .findingCritical),
    ]
    static let topKeys = ["name", "background", "roles", "chart"]
    static let attributeKeys = ["fg", "bg", "bold", "underline", "reverse", "dim"]
    static let colourHint = "(use \"#rrggbb\", 0-255 or default)"

    func parse(yaml: String) throws(ThemeError) -> Theme {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, yaml: yaml)
        } catch {
            throw ThemeError(source: source, line: 0, key: "", reason: "not valid YAML: \(error)")
        }
        guard let root, !Self.isNull(root) else {
            throw ThemeError(source: source, line: 0, key: "", reason: "the theme is empty (expected name, background, roles and chart)")
        }
        guard case .mapping(let mapping) = root else {
            throw failure(root, key: "", "a theme must be a mapping of name, background, roles and chart")
        }
        var theme = Theme(name: defaultName)
        for (keyNode, value) in mapping {
            let key = try name(of: keyNode, in: "")
            switch key {
            case "name": theme.name = try string(value, key: key)
            case "background": theme.background = try colour(value, key: key)
            case "roles": theme.roles = try roles(value)
            case "chart": theme.chart = try chart(value)
            default: throw failure(keyNode, key: key, "unknown key (expected \(Self.list(Self.topKeys)))")
            }
        }
        return theme
    }

    /// The file's name without directories or `.yaml`/`.yml`: the name of a theme without `name`.
    var defaultName: String {
        var name = Substring(source.split(separator: "/").last ?? Substring(source))
        for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) {
            name = name.dropLast(suffix.count)
        }
        return name.isEmpty ? source : String(name)
    }

    private func roles(_ node: Node) throws(ThemeError) -> [StyleRole: RoleStyle] {
        guard case .mapping(let mapping) = node else {
            throw failure(node, key: "roles", "must be a mapping of role names to styles, like text: {fg: 252}")
        }
        var roles: [StyleRole: RoleStyle] = [:]
        for (keyNode, value) in mapping {
            let key = try name(of: keyNode, in: "roles")
            guard let role = Self.roleKeys.first(where: { $0.key == key })?.role else {
                throw failure(keyNode, key: "roles." + key, "unknown role (expected \(Self.list(Self.roleKeys.map(\.key))))")
            }
            roles[role] = try style(value, key: "roles." + key)
        }
        return roles
    }

    private func style(_ node: Node, key path: String) throws(ThemeError) -> RoleStyle {
        guard case .mapping(let mapping) = node else {
            throw failure(node, key: path, "must be a mapping like {fg: \"#d0d0d0\", bold: true}, not \(describe(node))")
        }
        var style = RoleStyle()
        for (keyNode, value) in mapping {
            let name = try name(of: keyNode, in: path)
            let key = path + "." + name
            switch name {
            case "fg": style.fg = try colour(value, key: key)
            case "bg": style.bg = try colour(value, key: key)
            case "bold": style.bold = try bool(value, key: key)
            case "underline": style.underline = try bool(value, key: key)
            case "reverse": style.reverse = try bool(value, key: key)
            case "dim": style.dim = try bool(value, key: key)
            default: throw failure(keyNode, key: key, "unknown attribute (expected \(Self.list(Self.attributeKeys)))")
            }
        }
        return style
    }

    private func chart(_ node: Node) throws(ThemeError) -> [ThemeColor] {
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            throw failure(node, key: "chart", "must be a list of 1 to 8 colours, like [\"#005f87\", \"#ff8700\"]")
        }
        var colours: [ThemeColor] = []
        for (offset, element) in sequence.enumerated() {
            let key = "chart[\(offset)]"
            guard offset < 8 else { throw failure(element, key: key, "too many colours: a chart has at most 8") }
            colours.append(try colour(element, key: key))
        }
        return colours
    }

    private func colour(_ node: Node, key: String) throws(ThemeError) -> ThemeColor {
        guard case .scalar(let scalar) = node else {
            throw failure(node, key: key, "must be a colour \(Self.colourHint), not \(describe(node))")
        }
        if Self.isNull(node) {
            throw failure(node, key: key, "no colour given (an unquoted # starts a comment: write \"#rrggbb\" in quotes)")
        }
        if let colour = ThemeColor(text: scalar.string) { return colour }
        let text = scalar.string
        if text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            throw failure(node, key: key, "\(Self.clip(text)) is out of range (a colour index is 0-255)")
        }
        throw failure(node, key: key, "\"\(Self.clip(text))\" is not a colour \(Self.colourHint)")
    }

    private func bool(_ node: Node, key: String) throws(ThemeError) -> Bool {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        throw failure(node, key: key, "must be true or false, not \(describe(node))")
    }

    private func string(_ node: Node, key: String) throws(ThemeError) -> String {
        guard case .scalar(let scalar) = node, !Self.isNull(node), !scalar.string.isEmpty else {
            throw failure(node, key: key, "must be a non-empty name, not \(describe(node))")
        }
        return scalar.string
    }

    /// A mapping key as text; keys must be scalars.
    private func name(of node: Node, in path: String) throws(ThemeError) -> String {
        guard case .scalar(let scalar) = node else {
            throw failure(node, key: path, "a key must be a plain name, not \(describe(node))")
        }
        return scalar.string
    }

    private func failure(_ node: Node, key: String, _ reason: String) -> ThemeError {
        ThemeError(source: source, line: node.mark?.line ?? 0, key: key, reason: reason)
    }

    /// What a node is, for errors: `"red"`, `1`, `a list`, `a mapping`, `nothing`.
    private func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if Self.isNull(node) { return "nothing" }
            return scalar.style == .plain && scalar.string.allSatisfy(\.isNumber)
                ? Self.clip(scalar.string) : "\"\(Self.clip(scalar.string))\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private func syntaxError(_ error: YamlError, yaml: String) -> ThemeError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var reason = "YAML syntax error: " + problem
            if let context, context.mark.line != mark.line {
                reason += " (\(context.text) at line \(context.mark.line))"
            }
            return ThemeError(source: source, line: mark.line, key: "", reason: Sanitized.quote(reason))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "\"\(Self.clip($0))\"" }.joined(separator: ", ")
            return ThemeError(
                source: source, line: context.mark.line, key: duplicates.first ?? "", reason: "duplicate key: \(names) appears more than once in one mapping")
        case .reader(let problem, let offset, _, _):
            let line = offset.map { offset in yaml.prefix(offset).reduce(1) { $1 == "\n" ? $0 + 1 : $0 } } ?? 0
            return ThemeError(source: source, line: line, key: "", reason: Sanitized.quote("not readable as YAML: " + problem))
        default:
            return ThemeError(source: source, line: 0, key: "", reason: Sanitized.quote("not valid YAML: \(error)"))
        }
    }

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// File text for an error message: control characters escaped, at most 40 characters.
    static func clip(_ text: String) -> String {
        let safe = Sanitized.quote(text)
        return safe.count > 40 ? String(safe.prefix(39)) + "…" : safe
    }

    static func list(_ names: [String]) -> String {
        guard let last = names.last else { return "" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " or " + last
    }
}
