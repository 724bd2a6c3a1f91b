import Foundation
import TeleportCore

/// Finds themes: the built-in ones (embedded from `themes/*.yaml`) and theme files.
public enum ThemeLoader {
    /// The built-in themes in the order `T` cycles through them.
    public static let builtinNames = ["default", "light", "high-contrast", "monochrome"]

    /// A built-in theme by name; nil for other names.
    public static func builtin(_ name: String) -> Theme? {
        try? builtinTheme(name)
    }

    /// The default theme (`themes/default.yaml`); monochrome should the embedded copy be unusable,
    /// which a test rules out.
    public static var defaultTheme: Theme {
        builtin("default") ?? .monochrome
    }

    /// Parses theme YAML; `source` names the file in errors and, without a `name` key, gives
    /// the theme's name.
    public static func parse(yaml: String, source: String) throws(ThemeError) -> Theme {
        try ThemeParser(source: source).parse(yaml: yaml)
    }

    /// Reads and parses a theme file.
    public static func load(path: String) throws(ThemeError) -> Theme {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ThemeError(source: UnreadableFile.absolute(path), line: 0, key: "", reason: "cannot be read: \(UnreadableFile.reason(path))")
        }
        return try parse(yaml: text, source: path)
    }

    /// The theme to use: monochrome when `NO_COLOR` is set to anything but "" (whatever was
    /// asked), the default theme for nil or "", a built-in by name, else the theme file at that path.
    public static func resolve(_ nameOrPath: String?, environment: [String: String]) throws(ThemeError) -> Theme {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        guard let nameOrPath, !nameOrPath.isEmpty else {
            return try builtinTheme("default") ?? .monochrome
        }
        if let theme = try builtinTheme(nameOrPath) { return theme }
        if !nameOrPath.contains("/"), !FileManager.default.fileExists(atPath: nameOrPath) {
            throw ThemeError(
                source: nameOrPath, line: 0, key: "",
                reason: "no such theme: the built-in themes are \(ThemeParser.list(builtinNames)); give a path for a theme file")
        }
        return try load(path: nameOrPath)
    }

    /// The built-in theme after `name` (for the `T` key), wrapping round; the first for a name
    /// that is not built in.
    public static func cycled(after name: String) -> String {
        guard let index = builtinNames.firstIndex(of: name) else { return builtinNames.first ?? name }
        return builtinNames[(index + 1) % builtinNames.count]
    }

    /// A built-in theme parsed from its embedded text, nil when there is none of that name.
    static func builtinTheme(_ name: String) throws(ThemeError) -> Theme? {
        guard builtinNames.contains(name), let text = embedded[name] else { return nil }
        return try parse(yaml: text, source: "themes/\(name).yaml (built-in)")
    }
}
