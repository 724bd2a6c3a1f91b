import Foundation

/// What `b` on the Findings screen reads: the span of time the recent window is compared
/// against. In scrape time, relative to the newest scrape (never the wall clock):
/// - `10` or `10m`: the last 10 minutes (`s`, `m`, `h` units; a bare number is minutes);
/// - `05:10-05:20` (or with seconds, `05:10:30-05:20`): those UTC times of day, on the newest
///   scrape's day (the day before when that is still to come; a span across midnight starts
///   the day before);
/// - `-30m..-20m`: from 30 to 20 minutes before the newest scrape (`now` for 0);
/// - empty, `off` or `rolling`: back to the rolling baseline just before the recent window (nil).
public enum BaselineWindow {
    /// Why a typed window cannot be used.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// The longest text read (longer is refused before any parsing).
    public static let maxLength = 40
    /// The longest window accepted.
    public static let maxSpan: TimeInterval = 7 * 24 * 3600

    /// The syntax, for the prompt.
    public static let syntax = "10m (the last 10 minutes) · 05:10-05:20 (UTC) · -30m..-20m · off (rolling)"

    /// Reads `text` relative to `newest` (the newest scrape's time): the fixed span, or nil
    /// for the rolling baseline.
    public static func parse(_ text: String, newest: Date) throws(Problem) -> DateInterval? {
        guard text.utf8.count <= maxLength else { throw Problem("too long: at most \(maxLength) characters") }
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.isEmpty || trimmed == "off" || trimmed == "rolling" { return nil }
        guard trimmed.unicodeScalars.allSatisfy({ $0.isASCII && !CharacterSet.controlCharacters.contains($0) }) else {
            throw Problem("unexpected characters (write 10m, 05:10-05:20 or -30m..-20m)")
        }
        let interval: DateInterval
        if trimmed.contains("..") {
            let parts = trimmed.components(separatedBy: "..")
            guard parts.count == 2 else { throw Problem("one .. between two offsets, like -30m..-20m") }
            let from = try offset(parts[0])
            let to = try offset(parts[1])
            guard from > to else { throw Problem("the first offset must be the earlier one, like -30m..-20m") }
            interval = DateInterval(start: newest.addingTimeInterval(-from), end: newest.addingTimeInterval(-to))
        } else if trimmed.contains(":") {
            interval = try clockSpan(trimmed, newest: newest)
        } else {
            let seconds = try duration(trimmed, bareUnit: 60)
            guard seconds > 0 else { throw Problem("the window must be longer than 0") }
            interval = DateInterval(start: newest.addingTimeInterval(-seconds), end: newest)
        }
        guard interval.duration > 0 else { throw Problem("the window must be longer than 0") }
        guard interval.duration <= maxSpan else { throw Problem("at most 7 days") }
        return interval
    }

    /// `-30m` (or `30m`, or `now`): seconds before the newest scrape.
    static func offset(_ text: String) throws(Problem) -> TimeInterval {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body == "now" || body == "0" { return 0 }
        if body.hasPrefix("-") { body = body.dropFirst() }
        guard !body.isEmpty else { throw Problem("an offset is missing (like -30m)") }
        return try duration(String(body), bareUnit: 60)
    }

    /// `90s`, `10m`, `2h`, `1h30m`; a bare number in `bareUnit` seconds.
    static func duration(_ text: String, bareUnit: Double) throws(Problem) -> TimeInterval {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw Problem("a duration is missing") }
        var total = 0.0
        var number = 0
        var digits = 0
        var sawUnit = false
        for byte in bytes {
            switch byte {
            case 0x30...0x39:
                guard digits < 6 else { throw Problem("\(Sanitized.quote(String(text.prefix(40)))): the number is too large") }
                number = number * 10 + Int(byte - 0x30)
                digits += 1
            case UInt8(ascii: "s"), UInt8(ascii: "m"), UInt8(ascii: "h"):
                guard digits > 0 else { throw Problem("\(Sanitized.quote(String(text.prefix(40)))): a unit without a number") }
                total += Double(number) * (byte == UInt8(ascii: "s") ? 1 : byte == UInt8(ascii: "m") ? 60 : 3600)
                number = 0
                digits = 0
                sawUnit = true
            default:
                throw Problem("\(Sanitized.quote(String(text.prefix(40)))): not a duration (like 10m, 90s, 1h)")
            }
        }
        if digits > 0 { total += Double(number) * (sawUnit ? 1 : bareUnit) }
        guard total <= maxSpan * 4 else { throw Problem("\(Sanitized.quote(String(text.prefix(40)))): too long ago") }
        return total
    }

    /// `05:10-05:20` on the newest scrape's UTC day.
    static func clockSpan(_ text: String, newest: Date) throws(Problem) -> DateInterval {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw Problem("two UTC times joined by -, like 05:10-05:20") }
        let start = try seconds(ofDay: String(parts[0]))
        let end = try seconds(ofDay: String(parts[1]))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let day = calendar.startOfDay(for: newest)
        var from = day.addingTimeInterval(start)
        var to = day.addingTimeInterval(end)
        // A span across midnight starts the day before.
        if to <= from { from = from.addingTimeInterval(-86_400) }
        // A span still to come is yesterday's.
        if from > newest {
            from = from.addingTimeInterval(-86_400)
            to = to.addingTimeInterval(-86_400)
        }
        // What is still to come of a span that began is cut at the newest scrape.
        return DateInterval(start: from, end: max(from, min(to, newest)))
    }

    /// `05:10` or `05:10:30`: seconds since midnight.
    static func seconds(ofDay text: String) throws(Problem) -> TimeInterval {
        let fields = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 2 || fields.count == 3 else { throw Problem("\(Sanitized.quote(String(text.prefix(40)))): a time is HH:MM or HH:MM:SS (UTC)") }
        var values: [Int] = []
        for field in fields {
            guard (1...2).contains(field.utf8.count), field.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(field) else {
                throw Problem("\(Sanitized.quote(String(text.prefix(40)))): a time is HH:MM or HH:MM:SS (UTC)")
            }
            values.append(value)
        }
        guard values[0] < 24, values[1] < 60, values.count < 3 || values[2] < 60 else {
            throw Problem("\(Sanitized.quote(String(text.prefix(40)))): no such time of day")
        }
        return Double(values[0] * 3600 + values[1] * 60 + (values.count == 3 ? values[2] : 0))
    }

    /// `05:10:00-05:20:00 UTC (10m)`: how the screen names a fixed baseline.
    public static func label(_ interval: DateInterval) -> String {
        let from = FindingFigure.clock(interval.start).dropLast(4)
        let seconds = Int(interval.duration.rounded())
        let span = seconds % 60 == 0 ? "\(seconds / 60)m" : seconds < 60 ? "\(seconds)s" : "\(seconds / 60)m\(seconds % 60)s"
        return "\(from)-\(FindingFigure.clock(interval.end)), \(span)"
    }
}
