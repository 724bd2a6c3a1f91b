/// A metric family: every sample that belongs to one `# TYPE` declaration (or, with no
/// declaration, every sample of one name, typed `untyped`).
public struct MetricFamily: Sendable, Hashable {
    public var name: String
    public var type: MetricType
    public var help: String?
    /// OpenMetrics `# UNIT`.
    public var unit: String?
    public var samples: [Sample]

    public init(name: String, type: MetricType, help: String? = nil, unit: String? = nil, samples: [Sample] = []) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
        self.samples = samples
    }

    /// Whether a sample called `sampleName` belongs to this family, judged by the family's
    /// declared type (never by suffix alone: `backend_requests` is a counter without
    /// `_total`, `heartbeats_missed_total` a gauge).
    public func owns(sampleName: String) -> Bool {
        if sampleName == name { return true }
        let sampleCount = sampleName.utf8.count
        let familyCount = name.utf8.count
        guard sampleCount > familyCount, type != .gauge, type != .untyped, sampleName.hasPrefix(name) else { return false }
        let suffixCount = sampleCount - familyCount
        return type.sampleSuffixes.contains { $0.utf8.count == suffixCount && sampleName.hasSuffix($0) }
    }
}
