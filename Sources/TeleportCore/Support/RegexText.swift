import Foundation

/// Regular expressions as people type them in filters (`/`, `f`, `--grep`): compiled once,
/// case-insensitive, or refused with the reason.
public enum RegexText {
    /// The compiled expression; an `InputError` naming the problem when it is not one.
    public static func compile(_ pattern: String, caseInsensitive: Bool = true) throws(InputError) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
        } catch {
            throw InputError(pattern, "not a regular expression (\(problem(pattern))); escape a literal ( [ { * + ? \\ with \\")
        }
    }

    /// The usual reason an expression does not compile, as far as a quick look tells.
    static func problem(_ pattern: String) -> String {
        var depth = 0
        var inClass = false
        var escaped = false
        for character in pattern {
            if escaped {
                escaped = false
                continue
            }
            switch character {
            case "\\": escaped = true
            case "[" where !inClass: inClass = true
            case "]" where inClass: inClass = false
            case "(" where !inClass: depth += 1
            case ")" where !inClass:
                depth -= 1
                if depth < 0 { return "a ) without its (" }
            default: break
            }
        }
        if escaped { return "it ends in a lone \\" }
        if inClass { return "a [ without its ]" }
        if depth > 0 { return "a ( without its )" }
        return "ICU syntax"
    }
}
