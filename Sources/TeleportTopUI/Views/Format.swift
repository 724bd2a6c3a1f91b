import Foundation
import TeleportCore

/// Numbers, sizes and times as the dashboard and reports show them.
public enum Format {
    /// A number with at most 4 significant digits and a k/M/G suffix when large.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        let magnitude = abs(value)
        if magnitude >= 1e12 { return String(format: "%.3g", value) }
        if magnitude >= 1e9 { return trimmed(value / 1e9) + "G" }
        if magnitude >= 1e6 { return trimmed(value / 1e6) + "M" }
        if magnitude >= 1e4 { return trimmed(value / 1e3) + "k" }
        return trimmed(value)
    }

    static func trimmed(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let magnitude = abs(value)
        let decimals = magnitude >= 100 ? 1 : magnitude >= 10 ? 2 : magnitude >= 1 ? 3 : 4
        var text = String(format: "%.\(decimals)f", value)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Seconds as a latency: `850µs`, `12.5ms`, `1.25s`.
    public static func seconds(_ value: Double) -> String {
        if !value.isFinite { return number(value) }
        let magnitude = abs(value)
        if magnitude < 0.001 { return trimmed(value * 1e6) + "µs" }
        if magnitude < 1 { return trimmed(value * 1e3) + "ms" }
        return trimmed(value) + "s"
    }

    /// Bytes: `512 B`, `12.3 KiB`, `1.5 MiB`.
    public static func bytes(_ value: Double) -> String {
        guard value.isFinite else { return number(value) }
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var scaled = value
        var unit = 0
        while abs(scaled) >= 1024, unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        return (unit == 0 ? String(Int64(scaled)) : trimmed((scaled * 10).rounded() / 10)) + " " + units[unit]
    }

    /// A duration in seconds as `45s`, `3m12s`, `2h13m`, `4d2h`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        let s = Int(seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        if s < 86400 { return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m" }
        return "\(s / 86400)d\((s % 86400) / 3600)h"
    }

    /// A UTC time of day: `14:05:09 UTC`.
    public static func clock(_ date: Date) -> String {
        String(Format.utc(date).dropFirst(11))
    }

    /// A UTC time: `2026-11-23 14:05:09 UTC`.
    public static func utc(_ date: Date) -> String { UTCText.time(date) }
}
