import Foundation

/// What the Spans tab asks of the store: filters over the feed and its order.
public struct SpanQuery: Sendable, Hashable {
    public enum Order: String, Sendable, Hashable, CaseIterable {
        /// Newest first.
        case time
        /// Slowest first.
        case duration
    }

    /// Exact service name, if set.
    public var service: String?
    /// Exact operation (span name), if set.
    public var operation: String?
    public var errorsOnly = false
    /// `key=value` over span and resource attributes (every pair must hold).
    public var attributes: [(key: String, value: String)] = []
    /// A case-insensitive regular expression over service, operation, status message and
    /// attribute values; a leading `!` keeps what does not match.
    public var pattern = ""
    public var order: Order = .time
    /// Rows handed to the view at most.
    public var limit = 500

    public init(
        service: String? = nil, operation: String? = nil, errorsOnly: Bool = false, attributes: [(key: String, value: String)] = [],
        pattern: String = "", order: Order = .time, limit: Int = 500
    ) {
        self.service = service
        self.operation = operation
        self.errorsOnly = errorsOnly
        self.attributes = attributes
        self.pattern = pattern
        self.order = order
        self.limit = limit
    }

    /// Parses `key=value, key=value` for the attribute filter; nil when a pair has no `=`.
    public static func attributePairs(_ text: String) -> [(key: String, value: String)]? {
        var pairs: [(String, String)] = []
        for part in text.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let eq = trimmed.firstIndex(of: "="), eq != trimmed.startIndex else { return nil }
            pairs.append(
                (String(trimmed[..<eq]).trimmingCharacters(in: .whitespaces), String(trimmed[trimmed.index(after: eq)...]).trimmingCharacters(in: .whitespaces))
            )
        }
        return pairs
    }

    public static func == (a: SpanQuery, b: SpanQuery) -> Bool {
        a.service == b.service && a.operation == b.operation && a.errorsOnly == b.errorsOnly && a.pattern == b.pattern && a.order == b.order
            && a.limit == b.limit && a.attributes.map { "\($0.key)=\($0.value)" } == b.attributes.map { "\($0.key)=\($0.value)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(service)
        hasher.combine(operation)
        hasher.combine(errorsOnly)
        hasher.combine(pattern)
        hasher.combine(order)
        hasher.combine(limit)
        for pair in attributes {
            hasher.combine(pair.key)
            hasher.combine(pair.value)
        }
    }

    /// A predicate for the query's filters (compiled once).
    public func matcher() -> @Sendable (SpanRecord) -> Bool {
        let inverted = pattern.hasPrefix("!")
        let body = inverted ? String(pattern.dropFirst()) : pattern
        let regex = body.isEmpty ? nil : try? NSRegularExpression(pattern: body, options: [.caseInsensitive])
        let literal = body
        let service = self.service
        let operation = self.operation
        let errorsOnly = self.errorsOnly
        let attributes = self.attributes
        let box = RegexBox(regex)
        return { span in
            if let service, span.service != service { return false }
            if let operation, span.name != operation { return false }
            if errorsOnly && !span.isError { return false }
            for pair in attributes where span.attribute(pair.key) != pair.value { return false }
            guard !literal.isEmpty else { return true }
            let texts = [span.service, span.name, span.statusMessage] + span.attributes.map { "\($0.key)=\($0.value)" }
            let found = texts.contains { text in
                if let regex = box.regex { return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }
                return text.localizedCaseInsensitiveContains(literal)
            }
            return found != inverted
        }
    }
}

/// NSRegularExpression is immutable and thread-safe once built.
private final class RegexBox: @unchecked Sendable {
    let regex: NSRegularExpression?
    init(_ regex: NSRegularExpression?) { self.regex = regex }
}
