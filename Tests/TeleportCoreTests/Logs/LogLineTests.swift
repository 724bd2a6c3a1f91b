import Foundation
import Testing

@testable import TeleportCore

/// Log lines: the stream's JSON objects, Teleport's text form, raw lines; cut past 1 MiB;
/// split across chunks; written back as the stream writes them.
@Suite("log lines")
struct LogLineTests {
    @Test("a /log-stream JSON line: fields, trace ids, attributes in key order; levels ranked")
    func json() throws {
        let line = LogLineParser.parse(
            #"{"timestamp":"2026-12-02T05:32:40.123456789Z","level":"warn","message":"Heartbeat failed.","caller":"srv/heartbeat.go:231","component":"auth","trace_id":"4BF92F3577B34DA6A3CE929D0E0E4736","span_id":"00f067aa0ba902b7","error":"connection refused","attempt":3,"retry":true}"#
        )
        #expect(!line.isRaw && line.level == "WARN" && line.rank == 3)
        #expect(line.message == "Heartbeat failed." && line.caller == "srv/heartbeat.go:231" && line.component == "auth")
        #expect(line.traceID == "4bf92f3577b34da6a3ce929d0e0e4736" && line.spanID == "00f067aa0ba902b7")
        #expect(line.attributes.map(\.key) == ["attempt", "error", "retry"])
        #expect(line.attributes.map(\.value) == ["3", "connection refused", "true"])
        let time = try #require(line.time)
        #expect(abs(time.timeIntervalSince1970 - 1_796_189_560.123) < 0.001)
        // A trace_id that is not 32 hex digits is an attribute, not a trace.
        let odd = LogLineParser.parse(#"{"level":"INFO","message":"x","trace_id":"nope"}"#)
        #expect(odd.traceID == nil && odd.attributes.first?.value == "nope")
        #expect(LogLine.levels.map(LogLine.rank) == [0, 1, 2, 3, 4])
    }

    @Test("Teleport's text form: time, level, component, message, key:value pairs, caller")
    func text() throws {
        let line = LogLineParser.parse(
            "2026-12-02T05:32:40Z WARN [AUTH]      Failed to fetch nodes. error:timeout trace_id:4bf92f3577b34da6a3ce929d0e0e4736 auth/auth.go:812")
        #expect(!line.isRaw && line.level == "WARN" && line.component == "auth")
        #expect(line.message == "Failed to fetch nodes.")
        #expect(line.caller == "auth/auth.go:812")
        #expect(line.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(line.attributes.map(\.key) == ["error"])
        let raw = LogLineParser.parse("panic: runtime error: index out of range")
        #expect(raw.isRaw && raw.message == "panic: runtime error: index out of range" && raw.rank == 2)
    }

    @Test("every cut of a JSON line, hostile bytes and non-UTF-8 give a line, never a crash; escapes kept for the screen to quote")
    func hostile() {
        let good = Array(#"{"timestamp":"2026-12-02T05:32:40Z","level":"INFO","message":"hi","a":"b"}"#.utf8)
        for cut in 0...good.count {
            let line = LogLineParser.parse(good[..<cut])
            #expect(cut == good.count ? !line.isRaw : line.isRaw)
        }
        let evil = LogLineParser.parse(#"{"level":"ERROR","message":"\u001b]0;owned\u0007 \u001b[2J","component":"\u202e"}"#)
        #expect(evil.message.contains("\u{1B}"))  // as received; Sanitized.quote on the way to the terminal
        #expect(!Sanitized.quote(evil.message).contains("\u{1B}"))
        let bytes: [UInt8] = [0xFF, 0xFE, 0x7B, 0x00, 0x0D]
        #expect(LogLineParser.parse(bytes[...]).isRaw)
    }

    @Test("the splitter: lines across chunks, a partial last line, a line past 1 MiB cut once and the rest skipped")
    func splitter() {
        var splitter = LogLineSplitter()
        #expect(splitter.feed(Array(#"{"level":"INFO","message":"a"}"#.utf8).prefix(10)).isEmpty)
        let first = splitter.feed(Array(#"{"level":"INFO","message":"a"}"#.utf8).dropFirst(10) + [0x0A] + Array("raw\npart".utf8))
        #expect(first.map(\.message) == ["a", "raw"])
        #expect(splitter.finish()?.message == "part")
        var big = LogLineSplitter()
        let huge = [UInt8](repeating: UInt8(ascii: "x"), count: LogLine.maxBytes + 10) + [0x0A] + Array("next\n".utf8)
        let lines = big.feed(huge)
        #expect(lines.count == 2)
        #expect(lines[0].truncated && lines[0].message.utf8.count == LogLine.maxBytes)
        #expect(lines[1].message == "next" && big.cut == 1)
    }

    @Test("the fast flat-object reader agrees with Foundation's: escapes, surrogate pairs, numbers; nested objects fall back")
    func flat() throws {
        let text = #"{"a":"x\"y\\z\/\b\f\n\r\t\u00e9\ud83d\ude00","n":-1.5e3,"t":true,"f":false,"z":null,"e":""}"#
        let pairs = try #require(FlatJSON.parse(Array(text.utf8)[...]))
        #expect(pairs.map(\.key) == ["a", "n", "t", "f", "z", "e"])
        #expect(pairs[0].value == "x\"y\\z/\u{08}\u{0C}\n\r\té😀")
        #expect(pairs.dropFirst().map(\.value) == ["-1.5e3", "true", "false", "null", ""])
        for bad in [#"{"a":}"#, #"{"a":"x"#, #"{"a" "x"}"#, #"{"a":"\q"}"#, #"{"a":"x"} tail"#, #"{"a":1,}"#, #"{"a":tru}"#] {
            #expect(FlatJSON.parse(Array(bad.utf8)[...]) == nil, "\(bad)")
        }
        #expect(FlatJSON.parse(Array(#"{"a":{"b":1}}"#.utf8)[...]) == nil)
        let nested = LogLineParser.parse(#"{"level":"INFO","message":"m","obj":{"b":1},"list":[1,2]}"#)
        #expect(!nested.isRaw && nested.attributes.map(\.key) == ["list", "obj"] && nested.attributes[1].value == #"{"b":1}"#)
        #expect(LogLineParser.parseTime("2026-12-02T05:32:40Z") == Date(timeIntervalSince1970: 1_796_189_560))
        #expect(LogLineParser.parseTime("2026-13-02T05:32:40Z") == nil)
    }

    @Test("written as the stream writes it and read back: the same line")
    func roundTrip() {
        let line = LogLine(
            time: Date(timeIntervalSince1970: 1_796_189_560.5), level: "DEBUG", message: "quote \" backslash \\ newline \n tab \t esc \u{1B}",
            caller: "a.swift:1", component: "proxy:server", traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7",
            attributes: [("k", "v"), ("n", "1")])
        let text = line.ndjson()
        #expect(!text.contains("\n") && !text.contains("\u{1B}"))
        #expect(text.hasPrefix(#"{"timestamp":"2026-12-02T05:32:40.500000000Z","level":"DEBUG""#))
        let back = LogLineParser.parse(text)
        #expect(back == line)
    }
}
