import Yams

/// Yams's syntax errors as one line (its own text spans several, with the source line and
/// a caret): the line number and the reason, sanitized.
enum YAMLErrorText {
    /// `line N: why`.
    static func oneLine(_ error: YamlError) -> String {
        line(of: error).map { "line \($0): \(reason(of: error))" } ?? reason(of: error)
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    static func reason(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return Sanitized.quote(problem)
        default: return "unreadable"
        }
    }
}
