import Foundation
import TeleportCore

/// The label filter (`f`): PromQL-style matchers separated by commas, `name=value`,
/// `name!=value`, `name=~regex`, `name!~regex` (regexes match the whole value, as in
/// PromQL; values may be quoted). A series is shown when every matcher holds; a family when
/// one of its series is.
public struct LabelFilter: Sendable {
    public enum Operator: String, Sendable {
        case equal = "="
        case notEqual = "!="
        case matches = "=~"
        case notMatches = "!~"
    }

    public struct Matcher: @unchecked Sendable {
        public var name: String
        public var op: Operator
        public var value: String
        let regex: NSRegularExpression?

        func holds(_ labels: [Label]) -> Bool {
            let actual = labels[label: name] ?? ""
            switch op {
            case .equal: return actual == value
            case .notEqual: return actual != value
            case .matches, .notMatches:
                let range = NSRange(actual.startIndex..., in: actual)
                let full = regex?.firstMatch(in: actual, options: [.anchored], range: range).map { $0.range == range } ?? false
                return full == (op == .matches)
            }
        }
    }

    public let matchers: [Matcher]

    public var isEmpty: Bool { matchers.isEmpty }

    /// Parses the text; an error says which matcher is wrong and why.
    public init(parsing text: String) throws(FilterError) {
        var matchers: [Matcher] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            guard let opRange = part.range(of: "!=") ?? part.range(of: "=~") ?? part.range(of: "!~") ?? part.range(of: "=") else {
                throw FilterError(text: part, reason: "expected name=value, name!=value, name=~regex or name!~regex")
            }
            let name = part[..<opRange.lowerBound].trimmingCharacters(in: .whitespaces)
            guard let first = name.first, first == "_" || (first.isASCII && first.isLetter),
                name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
            else {
                throw FilterError(text: part, reason: "\"\(name)\" is not a label name")
            }
            guard let op = Operator(rawValue: String(part[opRange])) else {
                throw FilterError(text: part, reason: "expected name=value, name!=value, name=~regex or name!~regex")
            }
            var value = part[opRange.upperBound...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            var regex: NSRegularExpression?
            if op == .matches || op == .notMatches {
                do { regex = try RegexText.compile(value, caseInsensitive: false) } catch {
                    throw FilterError(text: part, reason: error.reason)
                }
            }
            matchers.append(Matcher(name: name, op: op, value: value, regex: regex))
        }
        self.matchers = matchers
    }

    public static let none = LabelFilter(matchers: [])

    init(matchers: [Matcher]) { self.matchers = matchers }

    /// Whether a series with these labels passes.
    public func matches(_ labels: [Label]) -> Bool {
        matchers.allSatisfy { $0.holds(labels) }
    }

    /// A matcher that could not be read.
    public struct FilterError: Error, Sendable, Hashable, CustomStringConvertible {
        public var text: String
        public var reason: String
        public var description: String { Sanitized.quote("\(text): \(reason)") }
    }
}
