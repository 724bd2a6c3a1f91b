import TeleportCore

/// Reading single figures out of a snapshot by family name.
extension MetricsSnapshot {
    /// The value of a family's first series (or of the one whose labels include `where`).
    public func value(_ name: String, where label: (String, String)? = nil) -> Double? {
        guard let family = family(name) else { return nil }
        let series = label.map { l in family.series.first { $0.key.labels[label: l.0] == l.1 } } ?? family.series.first
        return series.flatMap { $0.value.isNaN ? nil : $0.value }
    }

    /// The summed last-interval rate of a counter family.
    public func rate(_ name: String) -> Double? {
        guard let family = family(name) else { return nil }
        let rates = family.series.compactMap(\.rate)
        return rates.isEmpty ? nil : rates.reduce(0, +)
    }

    /// A family's spark points (summed over its series).
    public func spark(_ name: String) -> [Float] {
        family(name).map(FamilyFigures.spark) ?? []
    }
}
