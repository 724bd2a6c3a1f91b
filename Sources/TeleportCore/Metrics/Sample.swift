/// One line of exposition: a sample name (the family name plus any suffix such as
/// `_bucket`), its labels in the order they were written, a value and an optional timestamp.
public struct Sample: Sendable, Hashable {
    public var name: String
    public var labels: [Label]
    public var value: Double
    /// Milliseconds since the Unix epoch (text 0.0.4 writes milliseconds, OpenMetrics
    /// seconds; both are normalised to milliseconds).
    public var timestampMs: Int64?

    public init(name: String, labels: [Label] = [], value: Double, timestampMs: Int64? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestampMs = timestampMs
    }

    /// Equal when names, labels and timestamps match and values are equal or both NaN.
    public static func == (a: Sample, b: Sample) -> Bool {
        a.name == b.name && a.labels == b.labels && a.timestampMs == b.timestampMs
            && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(labels)
        hasher.combine(timestampMs)
        hasher.combine(value.isNaN ? Double.nan.bitPattern : value.bitPattern)
    }
}
