import Foundation

/// Units from names: sizes as bytes, durations as seconds, Unix times as times, else plain
/// numbers. One rule for the dashboard and `snapshot`.
public enum Unit: Sendable, Equatable {
    case bytes, seconds, timestamp, plain

    /// The unit of a gauge or counter family's values.
    public static func of(_ name: String) -> Unit {
        if name.hasSuffix("_bytes") || name.hasSuffix("_bytes_total") { return .bytes }
        if isTimestamp(name) { return .timestamp }
        if name.hasSuffix("_seconds") { return .seconds }
        return .plain
    }

    /// The unit of a histogram's observations: sizes (`_bytes`, `_sizes`, `_size`,
    /// `watcher_events`) as bytes, `_seconds` as durations, else plain numbers.
    public static func histogram(named name: String) -> Unit {
        if name.hasSuffix("_bytes") || name.hasSuffix("_sizes") || name.hasSuffix("_size") || name == "watcher_events" { return .bytes }
        if name.hasSuffix("_seconds") { return .seconds }
        return .plain
    }

    /// Seconds since the Unix epoch by name: `*_timestamp_seconds`, `*_timestamp`,
    /// `*start_time_seconds`, `*last_*_time_seconds` (`go_memstats_last_gc_time_seconds`).
    static func isTimestamp(_ name: String) -> Bool {
        name.hasSuffix("_timestamp_seconds") || name.hasSuffix("_timestamp") || name.hasSuffix("start_time_seconds")
            || (name.hasSuffix("_time_seconds") && name.contains("last_"))
    }

    /// A `_seconds` value past a billion (2001 as a Unix time, 31 years as a duration) is a time.
    static let timestampFloor = 1e9

    /// A value of the family `name` in its unit; a timestamp as a UTC time of day
    /// (`full`: with the date).
    public static func format(_ value: Double, name: String, full: Bool = false) -> String {
        var unit = of(name)
        if unit == .seconds, value >= timestampFloor { unit = .timestamp }
        switch unit {
        case .bytes: return Format.bytes(value)
        case .seconds: return Format.seconds(value)
        case .timestamp:
            guard value.isFinite, value > 0 else { return Format.number(value) }
            let date = Date(timeIntervalSince1970: value)
            return full ? Format.utc(date) : Format.clock(date)
        case .plain: return Format.number(value)
        }
    }
}
