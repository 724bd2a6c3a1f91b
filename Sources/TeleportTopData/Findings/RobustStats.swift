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

    static func count<S: Sequence<Double>>(_ values: S) -> Int { values.reduce(0) { $0 + ($1.isNaN ? 0 : 1) } }

    /// The median of the first `count` values of `buffer`, sorting them in place (no NaN among them).
    @inline(__always)
    static func medianInPlace(_ buffer: UnsafeMutableBufferPointer<Double>, count: Int) -> Double? {
        guard count > 0 else { return nil }
        // Insertion sort: a window's slots are a few dozen values.
        for i in 1..<max(1, count) {
            let v = buffer[i]
            var j = i
            while j > 0, buffer[j - 1] > v {
                buffer[j] = buffer[j - 1]
                j -= 1
            }
            buffer[j] = v
        }
        let kept = buffer
        let mid = count / 2
        return count % 2 == 1 ? kept[mid] : (kept[mid - 1] + kept[mid]) / 2
    }

    /// Copies the values of `values` that are not NaN to the start of `buffer`; returns how many.
    @inline(__always)
    static func keep<C: Collection<Double>>(_ values: C, into buffer: UnsafeMutableBufferPointer<Double>) -> Int {
        var n = 0
        for v in values where !v.isNaN {
            buffer[n] = v
            n += 1
        }
        return n
    }
}
