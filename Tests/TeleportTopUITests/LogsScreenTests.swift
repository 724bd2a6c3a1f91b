import Foundation
import TeleportCore
import Testing

@testable import TeleportTopUI

/// The Logs screen: goldens, follow and hold as lines arrive, the level, component and regex
/// filters, the detail pane, a trace opened from a line, writing, the level picker with its
/// confirmation on auth, and the restore question on quit.
@Suite("Logs screen")
struct LogsScreenTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func lines(_ count: Int, from start: Int = 0) -> [LogLine] {
        (start..<(start + count)).map { i in
            let level = ["INFO", "DEBUG", "WARN", "INFO", "ERROR", "TRACE"][i % 6]
            return LogLine(
                time: t0.addingTimeInterval(Double(i) / 10), level: level, message: "line \(i) from \(i % 2 == 0 ? "auth" : "proxy")",
                caller: "x.go:\(i)", component: i % 2 == 0 ? "auth" : "proxy", traceID: i % 3 == 0 ? String(format: "%032x", i + 1) : nil,
                spanID: i % 3 == 0 ? String(format: "%016x", i + 1) : nil, attributes: [("n", "\(i)")])
        }
    }

    static func state(_ count: Int = 40) -> DashboardState {
        var state = DashboardState(snapshot: .empty(target: "127.0.0.1:3000", interval: .seconds(2)), isEmbedded: false, now: t0.addingTimeInterval(5))
        state.tab = .logs
        state.logs = LogsState(hasSocket: true)
        state.logs.opened = true
        state.logs.status = .streaming(source: "/var/lib/teleport/debug.sock")
        state.logs.level = "INFO"
        _ = Reducer.fold(&state, .logLines(lines(count)))
        return state
    }

    @Test("goldens at 80x24 and 160x48, with the detail pane; no socket says how to name one")
    func goldens() {
        for (w, h) in [(80, 24), (160, 48)] {
            Golden.check(DashboardView.render(Self.state(), width: w, height: h), "logs-\(w)x\(h)")
        }
        var detail = Self.state()
        _ = Reducer.fold(&detail, .input(.key(.up)))
        _ = Reducer.fold(&detail, .input(.key(.enter)))
        Golden.check(DashboardView.render(detail, width: 160, height: 48), "logs-detail-160x48")
        var none = DashboardState(snapshot: .empty(target: "127.0.0.1:3000", interval: .seconds(2)), isEmbedded: false, now: Self.t0)
        none.tab = .logs
        let text = DashboardView.render(none, width: 160, height: 48).text
        #expect(text.contains("--debug-socket") && text.contains("--tail-log"))
    }

    @Test("a line cut at 1 MiB says so at its start when it is raw (a cut JSON line no longer parses), at its end when parsed")
    func cutLines() {
        var state = Self.state(3)
        let raw = LogSplitterFeed.cut(#"{"timestamp":"2026-12-02T05:32:40Z","level":"INFO","message":"yyyy"#)
        #expect(raw.isRaw && raw.truncated)
        var parsed = LogLine(time: Self.t0, level: "WARN", message: "short one")
        parsed.truncated = true
        _ = Reducer.fold(&state, .logLines([raw, parsed]))
        let text = DashboardView.render(state, width: 120, height: 30).text
        #expect(text.contains("raw, cut at 1 MiB: {\"timestamp\""), "\(text)")
        #expect(text.contains("short one   [cut at 1 MiB]"), "\(text)")
    }

    @Test("following shows the newest; ↑ holds a line while more arrive; F follows again")
    func followAndHold() {
        var state = Self.state()
        #expect(state.logs.following)
        #expect(DashboardView.render(state, width: 120, height: 30).text.contains("line 39 "))
        _ = Reducer.fold(&state, .input(.key(.up)))
        let held = state.logs.selected
        #expect(held == 38)
        _ = Reducer.fold(&state, .logLines(Self.lines(10, from: 40)))
        #expect(state.logs.selected == held)
        let text = DashboardView.render(state, width: 120, height: 30).text
        #expect(text.contains("line 38 ") && !text.contains("line 49 ") && text.contains("held"))
        _ = Reducer.fold(&state, .input(.key(.character("F"))))
        #expect(state.logs.following)
        #expect(DashboardView.render(state, width: 120, height: 30).text.contains("line 49 "))
    }

    @Test("m raises the minimum level and reopens the stream with ?level=; c and / filter; Esc clears")
    func filters() {
        var state = Self.state()
        let effects = Reducer.fold(&state, .input(.key(.character("m"))))
        #expect(effects == [.openLogs(level: "DEBUG")])
        _ = Reducer.fold(&state, .input(.key(.character("m"))))
        _ = Reducer.fold(&state, .input(.key(.character("m"))))
        #expect(state.logs.filter.minimumRank == 3)
        var text = DashboardView.render(state, width: 120, height: 40).text
        #expect(!text.contains(" INFO ") && text.contains(" WARN ") && text.contains(" ERROR "))
        // ERROR, then back round to TRACE.
        _ = Reducer.fold(&state, .input(.key(.character("m"))))
        #expect(Reducer.fold(&state, .input(.key(.character("m")))) == [.openLogs(level: "TRACE")])
        for key in "cproxy" { _ = Reducer.fold(&state, .input(.key(.character(key)))) }
        _ = Reducer.fold(&state, .input(.key(.enter)))
        text = DashboardView.render(state, width: 120, height: 40).text
        #expect(!text.contains("from auth") && text.contains("from proxy"))
        for key in "/line 1[0-9] " { _ = Reducer.fold(&state, .input(.key(.character(key)))) }
        _ = Reducer.fold(&state, .input(.key(.enter)))
        let shown = state.logs.buffer.matching(state.logs.filter, limit: 100).compactMap { state.logs.buffer[sequence: $0]?.message }
        #expect(shown == ["line 19 from proxy", "line 17 from proxy", "line 15 from proxy", "line 13 from proxy", "line 11 from proxy"])
        _ = Reducer.fold(&state, .input(.key(.escape)))
        #expect(state.logs.patternText.isEmpty && state.logs.componentText.isEmpty && state.logs.filter.minimumRank == 0)
    }

    @Test("t opens the line's trace in the waterfall; a line without one says so; w writes the lines shown")
    func traceAndWrite() {
        var state = Self.state()
        _ = Reducer.fold(&state, .input(.key(.up)))  // line 38: no trace
        _ = Reducer.fold(&state, .input(.key(.character("t"))))
        #expect(state.tab == .logs && state.message == "this line carries no trace_id")
        _ = Reducer.fold(&state, .input(.key(.up)))
        _ = Reducer.fold(&state, .input(.key(.up)))  // line 36: a trace
        let effects = Reducer.fold(&state, .input(.key(.character("t"))))
        #expect(state.tab == .spans && state.spansTab.trace?.description == String(format: "%032x", 37))
        #expect(effects.contains { if case .querySpans = $0 { return true } else { return false } })
        state.tab = .logs
        let write = Reducer.fold(&state, .input(.key(.character("w"))))
        guard case .writeLogs(let lines)? = write.first else {
            Issue.record("no write effect: \(write)")
            return
        }
        #expect(lines.count == 40)
    }

    @Test("V picks a level; DEBUG on an auth process asks first; q after a change asks to restore; the header shows the level")
    func levelPicker() {
        var state = Self.state()
        state.logs.runsAuth = true
        #expect(DashboardView.render(state, width: 160, height: 48).text.contains("log INFO"))
        _ = Reducer.fold(&state, .input(.key(.character("V"))))
        #expect(state.logs.picker == 2)
        #expect(DashboardView.render(state, width: 160, height: 48).text.contains("▸ INFO"))
        _ = Reducer.fold(&state, .input(.key(.up)))
        #expect(Reducer.fold(&state, .input(.key(.enter))).isEmpty)
        #expect(state.logs.confirm == "DEBUG")
        #expect(DashboardView.render(state, width: 160, height: 48).text.contains("busiest logger"))
        #expect(Reducer.fold(&state, .input(.key(.character("y")))) == [.setLogLevel("DEBUG", restoring: false)])
        #expect(state.logs.changedFrom == "INFO")
        _ = Reducer.fold(&state, .logLevel(level: "DEBUG", answer: "Changed log level from \"INFO\" to \"DEBUG\"."))
        #expect(DashboardView.render(state, width: 160, height: 48).text.contains("log DEBUG*"))
        // q asks; y restores and quits.
        #expect(Reducer.fold(&state, .input(.key(.character("q")))).isEmpty)
        #expect(state.logs.askRestore && !state.quit)
        #expect(DashboardView.render(state, width: 160, height: 48).text.contains("Restore INFO before quitting?"))
        #expect(Reducer.fold(&state, .input(.key(.character("y")))) == [.setLogLevel("INFO", restoring: true), .quit])
        #expect(state.quit)
        // --restore-log-level no: q keeps it without asking.
        var keep = Self.state()
        keep.logs.restorePolicy = "no"
        keep.logs.changedFrom = "INFO"
        keep.logs.level = "TRACE"
        #expect(Reducer.fold(&keep, .input(.key(.character("q")))) == [.keepLogLevel, .quit])
        // SIGTERM or SIGHUP: restored without asking (unless --restore-log-level no).
        var term = Self.state()
        term.logs.changedFrom = "INFO"
        term.logs.level = "DEBUG"
        #expect(Reducer.fold(&term, .input(.terminate)) == [.setLogLevel("INFO", restoring: true), .quit])
        #expect(term.quit && !term.logs.askRestore)
        term = Self.state()
        term.logs.changedFrom = "INFO"
        term.logs.level = "DEBUG"
        term.logs.restorePolicy = "no"
        #expect(Reducer.fold(&term, .input(.terminate)) == [.quit])
        // Restoring brings the level back: nothing left to restore.
        var restored = Self.state()
        restored.logs.changedFrom = "INFO"
        restored.logs.level = "DEBUG"
        _ = Reducer.fold(&restored, .logLevel(level: "INFO", answer: nil))
        #expect(restored.logs.changedFrom == nil)
    }

    @Test("the buffer keeps its bound in lines and bytes; a held line that leaves moves to the oldest")
    func bounds() {
        var buffer = LogBuffer(maxLines: 100, maxBytes: 1 << 20)
        buffer.append(Self.lines(250), now: Self.t0)
        #expect(buffer.count == 100 && buffer.firstSequence == 150 && buffer.evicted == 150)
        var bytes = LogBuffer(maxLines: 1_000_000, maxBytes: 64 << 10)
        let fat = (0..<100).map { LogLine(time: nil, level: "INFO", message: String(repeating: "x", count: 4096) + "\($0)") }
        bytes.append(fat, now: Self.t0)
        #expect(bytes.bytes <= 64 << 10 && bytes.count < 20)
        var state = Self.state()
        state.logs.buffer = LogBuffer(maxLines: 50)
        _ = Reducer.fold(&state, .logLines(Self.lines(50)))
        _ = Reducer.fold(&state, .input(.key(.character("g"))))
        #expect(state.logs.selected == 0)
        _ = Reducer.fold(&state, .logLines(Self.lines(10, from: 50)))
        #expect(state.logs.selected == 10)
    }

    @Test("the ring holds exactly the newest lines in order, in at most maxLines slots, whatever the batches and sizes")
    func ring() {
        var generator = SystemRandomNumberGenerator()
        for (maxLines, maxBytes) in [(7, 1 << 20), (64, 8 << 10), (1000, 1 << 20)] {
            var buffer = LogBuffer(maxLines: maxLines, maxBytes: maxBytes)
            var reference: [LogLine] = []
            var next = 0
            for _ in 0..<300 {
                let batch = (0..<Int.random(in: 0...40, using: &generator)).map { _ -> LogLine in
                    defer { next += 1 }
                    return LogLine(time: nil, level: "INFO", message: "\(next) " + String(repeating: "z", count: Int.random(in: 0...600, using: &generator)))
                }
                buffer.append(batch, now: Self.t0)
                reference += batch
                // The same bounds by hand: lines first, then bytes, oldest out.
                if reference.count > maxLines { reference.removeFirst(reference.count - maxLines) }
                while reference.count > 1 && reference.reduce(0, { $0 + $1.approximateBytes }) > maxBytes { reference.removeFirst() }
                #expect(buffer.count == reference.count && buffer.nextSequence == next && buffer.firstSequence == next - reference.count)
                #expect(buffer.slots <= maxLines)
                #expect(buffer.all(LogFilter()).map(\.message) == reference.map(\.message))
                #expect(buffer[sequence: buffer.firstSequence]?.message == reference.first?.message)
                #expect(buffer[sequence: buffer.firstSequence - 1] == nil && buffer[sequence: next] == nil)
                let newest = buffer.matching(LogFilter(), limit: 3)
                #expect(newest == Array((max(buffer.firstSequence, next - 3)..<next).reversed()))
            }
        }
    }
}

/// A line as the splitter cuts it past `LogLine.maxBytes`.
enum LogSplitterFeed {
    static func cut(_ start: String) -> LogLine {
        var splitter = LogLineSplitter()
        let bytes = Array(start.utf8) + [UInt8](repeating: UInt8(ascii: "y"), count: LogLine.maxBytes)
        return splitter.feed(bytes).first ?? LogLine(time: nil, level: nil, message: "")
    }
}
