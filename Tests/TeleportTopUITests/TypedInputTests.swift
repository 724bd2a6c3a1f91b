import Foundation
import TeleportCore
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

/// The parsers of what a person types refuse with a reason instead of trapping, and the
/// prompts show the reason where it was typed.
@Suite("Typed input: parsers and prompts")
struct TypedInputParsingTests {
    static let end = ISO8601DateFormatter().date(from: "2026-12-02T06:00:00Z") ?? Date()

    @Test("A : time in digits Int cannot read (Thai, Arabic-Indic, fullwidth, combining) is refused with the reason, not a trap")
    func unicodeDigits() {
        for text in ["๒๒:๐๐", "٠٥:٣٢", "０５:３２", "0\u{301}5:32", "05:3\u{0E52}"] {
            #expect(ReplayJump.time(text, end: Self.end) == nil, "\(text)")
            #expect(throws: InputError.self) { try ReplayJump.read(text, end: Self.end) }
            do { _ = try ReplayJump.read(text, end: Self.end) } catch {
                #expect(error.reason.contains("ASCII digits"), "\(text): \(error)")
            }
        }
    }

    @Test("The : time's other refusals name what is wrong; the good forms still read")
    func timeReasons() throws {
        let cases = [
            ("25:00", "hours run from 00 to 23"), ("05:61", "minutes and seconds run from 00 to 59"), ("5:32", "two digits each"),
            ("-๕m", "not an ASCII digit"), ("-5", "needs a unit"), ("-5y", "is not a unit"), ("", "empty"), ("noon", "not a time"),
            ("-99999999999h", "too long"),
        ]
        for (text, reason) in cases {
            do {
                _ = try ReplayJump.read(text, end: Self.end)
                Issue.record("\(text) was read")
            } catch {
                #expect(error.reason.contains(reason), "\(text): \(error)")
                #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 })
            }
        }
        #expect(try ReplayJump.read("05:32", end: Self.end) == ISO8601DateFormatter().date(from: "2026-12-02T05:32:00Z"))
        #expect(try ReplayJump.read("-90s", end: Self.end) == Self.end.addingTimeInterval(-90))
        #expect(
            try ReplayJump.read("2026-12-02T05:32:40.5Z", end: Self.end) == ISO8601DateFormatter().date(from: "2026-12-02T05:32:40Z")?.addingTimeInterval(0.5))
    }

    @Test("Durations refuse digits other than ASCII, a number without a unit, an unknown unit and a huge value")
    func durations() throws {
        for (text, reason) in [
            ("๕s", "not an ASCII digit"), ("５s", "not an ASCII digit"), ("5", "needs a unit"), ("5y", "is not a unit"), ("1e9h", "is not a unit"),
            ("99999999999h", "too long"), (" ", "empty"),
        ] {
            do {
                let read = try DurationText.read(text)
                Issue.record("\(text) read as \(read)")
            } catch {
                #expect(error.reason.contains(reason), "\(text): \(error)")
            }
        }
        #expect(try DurationText.read("1m30s") == .seconds(90))
        #expect(try DurationText.read("250µs") == .microseconds(250))
    }

    @Test("Regexes: the reason names the unbalanced part")
    func regexReasons() {
        #expect(PromptCheck.regexProblem("foo(")?.contains("a ( without its )") == true)
        #expect(PromptCheck.regexProblem("a)b")?.contains("a ) without its (") == true)
        #expect(PromptCheck.regexProblem("[abc")?.contains("a [ without its ]") == true)
        #expect(PromptCheck.regexProblem("!foo(")?.contains("a ( without its )") == true)
        #expect(PromptCheck.regexProblem("grpc_[a-z]+") == nil)
        #expect(PromptCheck.regexProblem("!") == nil)
        #expect(PromptCheck.regexProblem("") == nil)
    }

    @Test("Label names are ASCII, as in PromQL")
    func labelNames() {
        #expect(throws: LabelFilter.FilterError.self) { try LabelFilter(parsing: "компонент=x") }
        #expect(throws: LabelFilter.FilterError.self) { try LabelFilter(parsing: "1abc=x") }
        #expect(throws: Never.self) { try LabelFilter(parsing: "_component=x,le=~0.+") }
    }

    func typed(_ state: inout DashboardState, _ text: String) {
        for character in text { _ = Reducer.reduce(&state, .filterInput(character)) }
    }

    @Test("Enter on a filter that cannot be used keeps the prompt open and says why on the prompt line; Esc leaves it")
    func refusedPrompt() async throws {
        let snapshot = try await Fixtures.snapshot()
        for (tab, start, text, reason) in [
            (Tab.auth, Action.startFilter, "backend(", "a ( without its )"),
            (Tab.auth, Action.startLabelFilter, "component=~[x", "a [ without its ]"),
            (Tab.logs, Action.startFilter, "a)b", "a ) without its ("),
        ] {
            var state = Fixtures.state(snapshot, tab: tab)
            _ = Reducer.reduce(&state, start)
            #expect(state.editing != nil, "\(tab) \(start)")
            typed(&state, text)
            let live = DashboardView.render(state, width: 160, height: 48).text
            #expect(live.contains("✗ ") && live.contains(reason), "\(tab) \(text) as typed:\n\(live)")
            _ = Reducer.reduce(&state, .filterDone)
            #expect(state.editing != nil, "\(tab) \(text): Enter was taken")
            #expect(state.message?.contains(reason) == true)
            for (width, height) in [(80, 24), (160, 48)] {
                let screen = DashboardView.render(state, width: width, height: height).text
                let hint = screen.split(separator: "\n").last.map(String.init) ?? ""
                #expect(hint.contains(text), "\(tab) \(text) at \(width)x\(height): \(hint)")
                if width == 160 { #expect(hint.contains("Esc leaves"), "\(hint)") }
            }
            _ = Reducer.reduce(&state, .filterCancel)
            #expect(state.editing == nil)
        }
    }

    @Test("The fleet's filters are refused the same way (a bad filter is no longer dropped without a word)")
    func fleetPrompt() async throws {
        var state = Fixtures.state(try await Fixtures.snapshot())
        state.fleet = FleetState(source: "test", rows: [])
        _ = Reducer.reduce(&state, .startFilter)
        typed(&state, "inst(")
        _ = Reducer.reduce(&state, .filterDone)
        #expect(state.editing == .regex)
        #expect(state.message?.contains("a ( without its )") == true)
        _ = Reducer.reduce(&state, .filterCancel)
        #expect(state.editing == nil && state.fleet?.filter == "")
    }

    @Test("The replay's : prompt refuses Thai digits before seeking, and a good time becomes a jump")
    func replayPrompt() async throws {
        var state = Fixtures.state(try await Fixtures.snapshot())
        _ = Reducer.fold(
            &state, .replay(ReplayStatus(start: Fixtures.t0, end: Fixtures.t0.addingTimeInterval(3600), cursor: Fixtures.t0, speed: 1, playing: false)))
        _ = Reducer.reduce(&state, .startJump)
        typed(&state, "๒๒:๐๐")
        #expect(Reducer.reduce(&state, .filterDone).isEmpty)
        #expect(state.editing == .replayTime)
        #expect(state.message?.contains("ASCII digits") == true)
        _ = Reducer.reduce(&state, .filterCancel)
        _ = Reducer.reduce(&state, .startJump)
        typed(&state, "-5m")
        #expect(Reducer.reduce(&state, .filterDone) == [.replay(.jump("-5m"))])
    }
}
