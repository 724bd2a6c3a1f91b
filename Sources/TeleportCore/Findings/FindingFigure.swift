import Foundation

/// Figures in findings' sentences: `48 ms`, `1.2 MiB`, `3.5/s`, `20×`, `05:31:10 UTC`.
public enum FindingFigure {
    /// What a figure measures (from the family's name).
    public enum Unit: Sendable, Hashable {
        case seconds
        case bytes
        case plain
    }

    /// The unit a family's name tells (`_seconds`, `_bytes`).
    public static func unit(of name: String) -> Unit {
        // A histogram's or summary's count is a count, whatever the family measures.
        if name.hasSuffix("_count") || name.hasSuffix("_bucket") || name.hasSuffix("_gcount") { return .plain }
        if contains(name, "_seconds") || name.hasSuffix("_latency") { return .seconds }
        if contains(name, "_bytes") { return .bytes }
        return .plain
    }

    /// Whether `part` occurs in `name`, byte for byte (the engine asks this of every series
    /// at each evaluation: no Foundation search).
    static func contains(_ name: String, _ part: StaticString) -> Bool {
        name.utf8.withContiguousStorageIfAvailable { bytes in
            let needle = UnsafeBufferPointer(start: part.utf8Start, count: part.utf8CodeUnitCount)
            guard needle.count > 0, bytes.count >= needle.count else { return needle.isEmpty }
            for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
                var j = 1
                while j < needle.count, bytes[start + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            return false
        } ?? name.contains(part.description)
    }

    /// A value in its unit, 2-3 significant digits; `perSecond` appends `/s`.
    public static func text(_ value: Double, unit: Unit, perSecond: Bool = false) -> String {
        guard value.isFinite else { return value.isNaN ? "-" : (value > 0 ? "+Inf" : "-Inf") }
        let suffix = perSecond ? "/s" : ""
        switch unit {
        case .seconds:
            let a = abs(value)
            if a == 0 { return "0 s" + suffix }
            if a < 1e-3 { return number(value * 1e6) + " µs" + suffix }
            if a < 1 { return number(value * 1e3) + " ms" + suffix }
            return number(value) + " s" + suffix
        case .bytes:
            let units = ["B", "KiB", "MiB", "GiB", "TiB"]
            var v = value
            var i = 0
            while abs(v) >= 1024, i < units.count - 1 {
                v /= 1024
                i += 1
            }
            return number(v) + " " + units[i] + suffix
        case .plain:
            return number(value) + suffix
        }
    }

    /// 2-3 significant digits without exponent for everyday sizes.
    public static func number(_ value: Double) -> String {
        let a = abs(value)
        if a == 0 { return "0" }
        if a >= 1e6 { return String(format: "%.3g", value) }
        if a >= 100 { return String(format: "%.0f", value) }
        if a >= 10 { return trim(String(format: "%.1f", value)) }
        if a >= 1 { return trim(String(format: "%.1f", value)) }
        if a >= 0.01 { return trim(String(format: "%.2f", value)) }
        return String(format: "%.2g", value)
    }

    /// A ratio as `20×` or `1.6×`.
    public static func ratio(_ value: Double) -> String {
        guard value.isFinite else { return "∞×" }
        return (value >= 10 ? String(format: "%.0f", value) : trim(String(format: "%.1f", value))) + "×"
    }

    /// A percentage as `12%` or `0.5%`.
    public static func percent(_ share: Double) -> String {
        let p = share * 100
        return (p >= 10 || p == 0 ? String(format: "%.0f", p) : trim(String(format: "%.1f", p))) + "%"
    }

    /// `05:31:10 UTC`.
    public static func clock(_ date: Date, zone: Bool = true) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.hour, .minute, .second], from: date)
        return String(format: "%02d:%02d:%02d", c.hour ?? 0, c.minute ?? 0, c.second ?? 0) + (zone ? " UTC" : "")
    }

    private static func trim(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var t = text
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }
}
