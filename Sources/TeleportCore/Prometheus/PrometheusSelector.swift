import Foundation

/// A series selector as `--selector` takes it (`{job="teleport"}`), kept as its matchers so
/// every query can name a metric with them and add its own (`grpc_code!="OK"`).
public struct PrometheusSelector: Sendable, Hashable, CustomStringConvertible {
    /// The text between the braces (`job="teleport",env=~"prod.*"`), maybe empty.
    public var matchers: String

    /// Parses `{...}`; braces and quotes must balance (Prometheus checks the rest).
    public init(parsing text: String) throws(TargetError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("{"), trimmed.hasSuffix("}"), trimmed.count >= 2 else {
            throw TargetError("--selector: expected {label=\"value\", ...}, got \"\(Sanitized.quote(text))\"")
        }
        let inner = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        var inQuote = false
        var escaped = false
        var partIsBlank = true
        for character in inner {
            if !inQuote && character == "," {
                if partIsBlank { throw TargetError("--selector: an empty matcher in \"\(Sanitized.quote(text))\"") }
                partIsBlank = true
                continue
            }
            if !character.isWhitespace { partIsBlank = false }
            if escaped {
                escaped = false
                continue
            }
            if character == "\\" {
                escaped = true
                continue
            }
            if character == "\"" {
                inQuote.toggle()
                continue
            }
            if !inQuote && (character == "{" || character == "}") {
                throw TargetError("--selector: unexpected \(character) in \"\(Sanitized.quote(text))\"")
            }
        }
        guard !inQuote else { throw TargetError("--selector: unclosed quote in \"\(Sanitized.quote(text))\"") }
        matchers = (inner.hasSuffix(",") ? String(inner.dropLast()) : inner).trimmingCharacters(in: .whitespaces)
    }

    /// The selector with no matchers: instances are the series that carry `process_state`.
    public static let all = PrometheusSelector(matchers: "")

    init(matchers: String) { self.matchers = matchers }

    /// `metric{matchers,extra}`.
    public func metric(_ name: String, _ extra: String = "") -> String {
        let parts = [matchers, extra].filter { !$0.isEmpty }
        return parts.isEmpty ? name : "\(name){\(parts.joined(separator: ","))}"
    }

    /// A label matcher with its value quoted as PromQL wants.
    public static func equals(_ label: String, _ value: String) -> String {
        var quoted = ""
        for character in value {
            switch character {
            case "\\": quoted += "\\\\"
            case "\"": quoted += "\\\""
            case "\n": quoted += "\\n"
            default: quoted.append(character)
            }
        }
        return "\(label)=\"\(quoted)\""
    }

    public var description: String { "{\(matchers)}" }
}
