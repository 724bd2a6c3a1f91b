import Foundation
import Testing

@testable import TeleportCore

/// The `b` window of the Findings screen: each form against the newest scrape, and hostile
/// input refused with one clean line (never a crash, never an escape in the reason).
@Suite("Baseline windows")
struct BaselineWindowTests {
    /// 2026-11-18 11:06:40 UTC.
    static let newest = Date(timeIntervalSince1970: 1_795_000_000)

    static func read(_ text: String) throws -> DateInterval? { try BaselineWindow.parse(text, newest: newest) }

    static func utc(_ hour: Int, _ minute: Int, _ second: Int = 0, dayOffset: Int = 0) -> Date {
        let day = Date(timeIntervalSince1970: (newest.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
        return day.addingTimeInterval(Double(dayOffset * 86_400 + hour * 3600 + minute * 60 + second))
    }

    @Test("The last N minutes: 10, 10m, 90s, 1h30m")
    func lastMinutes() throws {
        #expect(try Self.read("10") == DateInterval(start: Self.newest.addingTimeInterval(-600), end: Self.newest))
        #expect(try Self.read(" 10m ") == DateInterval(start: Self.newest.addingTimeInterval(-600), end: Self.newest))
        #expect(try Self.read("90s")?.duration == 90)
        #expect(try Self.read("1h30m")?.duration == 5400)
    }

    @Test("Relative spans: -30m..-20m, -1h..now")
    func relative() throws {
        #expect(try Self.read("-30m..-20m") == DateInterval(start: Self.newest.addingTimeInterval(-1800), end: Self.newest.addingTimeInterval(-1200)))
        #expect(try Self.read("-1h..now") == DateInterval(start: Self.newest.addingTimeInterval(-3600), end: Self.newest))
        #expect(throws: BaselineWindow.Problem.self) { try Self.read("-20m..-30m") }
        #expect(throws: BaselineWindow.Problem.self) { try Self.read("-20m..-20m") }
        #expect(throws: BaselineWindow.Problem.self) { try Self.read("-30m..-20m..-10m") }
    }

    @Test("UTC times of day on the newest scrape's day; a span still to come is yesterday's; across midnight starts the day before")
    func clock() throws {
        // The newest scrape is at 11:06:40 UTC.
        #expect(try Self.read("05:10-05:20") == DateInterval(start: Self.utc(5, 10), end: Self.utc(5, 20)))
        #expect(try Self.read("05:10:30-05:20") == DateInterval(start: Self.utc(5, 10, 30), end: Self.utc(5, 20)))
        #expect(try Self.read("12:00-12:30") == DateInterval(start: Self.utc(12, 0, dayOffset: -1), end: Self.utc(12, 30, dayOffset: -1)))
        #expect(try Self.read("23:50-00:10") == DateInterval(start: Self.utc(23, 50, dayOffset: -1), end: Self.utc(0, 10)))
        // Begun but not over: cut at the newest scrape.
        #expect(try Self.read("11:00-12:00") == DateInterval(start: Self.utc(11, 0), end: Self.newest))
    }

    @Test("off, rolling and empty: back to the rolling baseline")
    func rolling() throws {
        for text in ["", "off", "OFF", " rolling "] { #expect(try Self.read(text) == nil) }
    }

    @Test(
        "Hostile and malformed input: one clean line, never a crash",
        arguments: [
            "25:00-26:00", "05:60-06:00", "5:1-5:2x", "05:10", "05:10-", "-", "..", "-m..-1m", "10x", "m", "١٠m", "０５:１０-０５:２０",
            "05:10-\u{1B}[31m05:20", "\u{202E}10m", String(repeating: "9", count: 30), String(repeating: "1h", count: 30), "99999999m",
            "0", "0m", "-0m..now", "\u{0}", "05:10-05:20-05:30", "9999h", "-8d..-7d",
        ])
    func hostile(text: String) {
        do throws(BaselineWindow.Problem) {
            let interval = try BaselineWindow.parse(text, newest: Self.newest)
            Issue.record("\(text.debugDescription) was read as \(String(describing: interval))")
        } catch {
            let reason = error.description
            #expect(!reason.isEmpty)
            #expect(!reason.contains("\n"))
            let bad = reason.unicodeScalars.filter { Self.isControl($0) }
            #expect(bad.isEmpty, "\(reason.debugDescription)")
        }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || v == 0x202E
    }

    @Test("Random bytes never crash; what is read is a positive span of at most 7 days ending at or before the newest scrape")
    func random() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789:-.smhnowfr ".unicodeScalars) + ["\u{1B}", "é", "٣"]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...16, using: &generator)
            let text = String(String.UnicodeScalarView((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? " " }))
            guard let interval = try? Self.read(text) else { continue }
            #expect(interval.duration > 0 && interval.duration <= BaselineWindow.maxSpan, "\(text.debugDescription)")
            #expect(interval.end <= Self.newest, "\(text.debugDescription)")
        }
    }

    @Test("The label names the span in UTC and its length")
    func label() throws {
        let interval = try #require(try Self.read("05:10-05:20"))
        #expect(BaselineWindow.label(interval) == "05:10:00-05:20:00 UTC, 10m")
    }
}
