import Foundation
import TeleportCore
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

/// A replay's screens: the time cursor in the header, the replay keys before the screen's,
/// the `:` prompt, a seek back starting the log lines over.
@Suite("Replay (goldens and keys)", .serialized)
struct ReplayScreenTests {
    func state(tab: Tab = .overview) async throws -> DashboardState {
        var state = Fixtures.state(try await Fixtures.snapshot(), tab: tab)
        let status = ReplayStatus(
            start: Fixtures.t0, end: Fixtures.t0.addingTimeInterval(3600), cursor: Fixtures.t0.addingTimeInterval(7.5), speed: 10,
            playing: true)
        _ = Reducer.fold(&state, .replay(status))
        return state
    }

    func key(_ state: inout DashboardState, _ character: Character) -> [Effect] {
        Reducer.fold(&state, .input(.key(.character(character))))
    }

    @Test("The header's time cursor and the replay keys in the hint bar, at 80x24 and 160x48")
    func goldens() async throws {
        for (width, height) in [(80, 24), (160, 48)] {
            for tab in [Tab.overview, .auth, .logs] {
                let screen = DashboardView.render(try await state(tab: tab), width: width, height: height)
                #expect(screen.text.contains("REPLAY 20"), "\(screen.text)")
                Golden.check(screen, "replay-\(tab)-\(width)x\(height)")
            }
        }
    }

    @Test("Replay keys come before the screen's: Space plays, s is still the table's sort, : opens the time prompt")
    func keys() async throws {
        var state = try await state(tab: .auth)
        #expect(key(&state, " ") == [.replay(.playPause)])
        #expect(!state.paused, "Space is the replay's, not the dashboard's pause")
        for (character, command) in [
            (",", ReplayCommand.step(-1)), (".", .step(1)), ("[", .minutes(-1)), ("]", .minutes(1)), ("{", .toStart),
            ("}", .toEnd), ("n", .change(1)), ("N", .change(-1)), ("<", .speed(-1)), (">", .speed(1)),
        ] as [(Character, ReplayCommand)] {
            #expect(key(&state, character) == [.replay(command)], "key \(character)")
        }
        let sortBefore = state.tables.sort
        _ = key(&state, "s")
        #expect(state.tables.sort != sortBefore, "s is not a replay key: the table sorts")
        // : then a time, Backspace, Enter.
        #expect(key(&state, ":").isEmpty)
        #expect(state.editing == .replayTime)
        for c in "05:33x" { _ = key(&state, c) }
        _ = Reducer.fold(&state, .input(.key(.backspace)))
        #expect(DashboardView.render(state, width: 80, height: 24).text.contains("jump to 05:33"))
        #expect(Reducer.fold(&state, .input(.key(.enter))) == [.replay(.jump("05:33"))])
        #expect(state.editing == nil)
        // Help lists the replay's keys first.
        state.showHelp = true
        let help = DashboardView.render(state, width: 160, height: 48).text
        #expect(help.contains("replay: play or pause") && help.contains("replay: jump to a time"))
        state.showHelp = false
        // While a filter is typed, the replay keys are text.
        _ = key(&state, "/")
        #expect(key(&state, "n").isEmpty)
        #expect(state.tables.filter == "n")
    }

    @Test("A seek back starts the log lines over and asks for the spans again; the clock follows the cursor")
    func reset() async throws {
        var state = try await state(tab: .logs)
        _ = Reducer.fold(&state, .logLines([LogLine(time: Fixtures.t0, level: "INFO", message: "before the seek", component: "auth")]))
        #expect(state.logs.buffer.count == 1)
        let back = ReplayStatus(start: Fixtures.t0, end: Fixtures.t0.addingTimeInterval(3600), cursor: Fixtures.t0.addingTimeInterval(2), reset: true)
        let effects = Reducer.fold(&state, .replay(back))
        #expect(state.logs.buffer.count == 0)
        #expect(state.now == Fixtures.t0.addingTimeInterval(2))
        #expect(effects.contains { if case .querySpans = $0 { return true } else { return false } })
    }

    @Test("Jump times: a clock time on the last day (UTC), before the end, ISO 8601; nonsense is nil")
    func jumpTimes() {
        let end = ISO8601DateFormatter().date(from: "2026-12-02T05:40:00Z")!
        #expect(ReplayJump.time("05:32", end: end) == ISO8601DateFormatter().date(from: "2026-12-02T05:32:00Z"))
        #expect(ReplayJump.time("05:32:40", end: end) == ISO8601DateFormatter().date(from: "2026-12-02T05:32:40Z"))
        #expect(ReplayJump.time("-5m", end: end) == end.addingTimeInterval(-300))
        #expect(ReplayJump.time("-1h30m", end: end) == end.addingTimeInterval(-5400))
        #expect(ReplayJump.time("2026-12-01T23:00:00Z", end: end) == ISO8601DateFormatter().date(from: "2026-12-01T23:00:00Z"))
        for bad in ["", "25:00", "5:3", "yesterday", "-", "-5x", "05:32:99"] { #expect(ReplayJump.time(bad, end: end) == nil, "\(bad)") }
    }
}
