/// A series' identity: its sample name and labels in exposition order.
public struct SeriesKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: String
    public var labels: [Label]

    public init(name: String, labels: [Label] = []) {
        self.name = name
        self.labels = labels
    }

    /// `name{a="b",c="d"}` (unescaped; sanitize before printing).
    public var description: String {
        labels.isEmpty ? name : name + "{" + labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",") + "}"
    }
}
