/// Medians and median absolute deviations over the values that are not NaN.
enum RobustStats {
    static func median(_ values: [Double]) -> Double? {
        let kept = values.filter { !$0.isNaN }.sorted()
        guard !kept.isEmpty else { return nil }
        let mid = kept.count / 2
        return kept.count % 2 == 1 ? kept[mid] : (kept[mid - 1] + kept[mid]) / 2
    }

    /// The median absolute deviation from `center`, scaled by 1.4826 to estimate a normal
    /// distribution's standard deviation.
    static func scaledMAD(_ values: [Double], center: Double) -> Double? {
        median(values.filter { !$0.isNaN }.map { abs($0 - center) }).map { $0 * 1.4826 }
    }

    static func count(_ values: [Double]) -> Int { values.reduce(0) { $0 + ($1.isNaN ? 0 : 1) } }
}
