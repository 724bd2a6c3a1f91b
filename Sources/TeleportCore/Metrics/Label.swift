/// One `name="value"` pair of a sample.
public struct Label: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == Label {
    /// The value of the label called `name`, if present.
    public subscript(label name: String) -> String? {
        first(where: { $0.name == name })?.value
    }

    /// The labels without the ones named (for example `le` or `quantile`).
    public func removing(_ names: Set<String>) -> [Label] {
        filter { !names.contains($0.name) }
    }
}
