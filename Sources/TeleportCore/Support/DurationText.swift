import Foundation

/// Durations as people type them: `500ms`, `2s`, `1m`, `1m30s`, `1h`, `250us`.
public enum DurationText {
    /// Parses a Go-style duration; nil when the text is not one.
    public static func parse(_ text: String) -> Duration? { try? read(text) }

    /// Reads a Go-style duration (`1m30s`, `250ms`, `0`), or says why it is not one.
    public static func read(_ text: String) throws(InputError) -> Duration {
        var rest = Substring(text.trimmingCharacters(in: [" "]))
        guard !rest.isEmpty else { throw InputError(text, "empty: a duration is a number and a unit, as in 500ms, 5s, 1m30s") }
        if rest == "0" { return .zero }
        var total: Double = 0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCIIDigit || $0 == "." }
            guard !number.isEmpty else {
                let what = rest.first.map { $0.isNumber ? "\"\($0)\" is not an ASCII digit" : "expected a number at \"\(rest.prefix(8))\"" } ?? ""
                throw InputError(text, "\(what): a duration is a number and a unit, as in 500ms, 5s, 1m30s")
            }
            guard let value = Double(number) else { throw InputError(text, "\"\(number)\" is not a number") }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !$0.isASCIIDigit && $0 != "." }
            rest = rest.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            case "": throw InputError(text, "\(number) needs a unit: ns, us, ms, s, m or h")
            default: throw InputError(text, "\"\(unit.prefix(8))\" is not a unit: ns, us, ms, s, m or h")
            }
            total += value * scale
        }
        guard total.isFinite, total < 1e9 else { throw InputError(text, "too long: at most 1e9 seconds") }
        return .nanoseconds(Int64((total * 1e9).rounded()))
    }

    /// A short form of a duration: `500ms`, `2s`, `1m30s`.
    public static func format(_ duration: Duration) -> String {
        let seconds = duration.seconds
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds < 60 {
            return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(ExpositionNumber.format((seconds * 10).rounded() / 10))s"
        }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return whole % 60 == 0 ? "\(whole / 60)m" : "\(whole / 60)m\(whole % 60)s" }
        return whole % 3600 == 0 ? "\(whole / 3600)h" : "\(whole / 3600)h\((whole % 3600) / 60)m"
    }
}
