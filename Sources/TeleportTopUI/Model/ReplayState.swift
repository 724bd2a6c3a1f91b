import Foundation
import TeleportCore

/// Where a replay stands, as its driver reports it: the recording's span, the time cursor,
/// the speed, playing or not, and whether it follows a file still being written.
public struct ReplayStatus: Sendable, Hashable {
    public var start: Date
    public var end: Date
    public var cursor: Date
    /// ×1 to ×60.
    public var speed: Int
    public var playing: Bool
    /// At the end of a recording still being written, following it.
    public var following: Bool
    /// Frames the reader skipped (CRC failures).
    public var skippedFrames: Int
    /// The driver started over at the cursor (a seek back): the screens' own buffers (log
    /// lines) start over too.
    public var reset: Bool

    public init(
        start: Date, end: Date, cursor: Date, speed: Int = 1, playing: Bool = false, following: Bool = false, skippedFrames: Int = 0,
        reset: Bool = false
    ) {
        self.start = start
        self.end = end
        self.cursor = cursor
        self.speed = speed
        self.playing = playing
        self.following = following
        self.skippedFrames = skippedFrames
        self.reset = reset
    }

    /// `REPLAY 2026-12-02 05:32:40 UTC ×10` and ▶ or ‖; at the end, `END OF RECORDING` (and
    /// `following` while a recording still being written is followed).
    public var label: String {
        "REPLAY \(Format.utc(cursor)) ×\(speed) \(playing ? "▶" : "‖")"
            + (cursor >= end ? " END OF RECORDING" : "") + (following ? " following" : "")
    }
}

/// What the replay keys ask the replay driver to do.
public enum ReplayCommand: Sendable, Hashable {
    case playPause
    /// One scrape back (-1) or forward (+1).
    case step(Int)
    /// A minute back or forward.
    case minutes(Int)
    case toStart
    /// The end; on a recording still being written, following it.
    case toEnd
    /// The next (+1) or previous (-1) state change or restart.
    case change(Int)
    /// The next (+1) or previous (-1) moment a finding opened.
    case finding(Int)
    /// Slower (-1) or faster (+1): ×1, ×2, ×5, ×10, ×30, ×60.
    case speed(Int)
    /// `05:32` (that time UTC on the recording's last day), `-5m` (from the end) or an ISO 8601 time.
    case jump(String)
}

/// The replay keys (they come before the screen's) and the `:` prompt.
enum ReplayReducer {
    /// The action of a key in replay, if it is a replay key.
    static func action(for key: KeyCode) -> Action? {
        KeyTable.bindings.first { $0.context == .replay && $0.keys.contains(key) }?.action
    }

    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect] {
        switch action {
        case .replay(let command): return [.replay(command)]
        case .startJump:
            state.editing = .replayTime
            state.replayJump = ""
        default: break
        }
        return []
    }

    /// Typing the `:` time.
    static func jump(_ state: inout DashboardState, _ action: Action) -> [Effect] {
        switch action {
        case .filterInput(let character): state.replayJump.append(character)
        case .filterBackspace: if !state.replayJump.isEmpty { state.replayJump.removeLast() }
        case .filterDone:
            state.editing = nil
            let text = state.replayJump.trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? [] : [.replay(.jump(text))]
        case .filterCancel: state.editing = nil
        default: break
        }
        return []
    }

    /// A status from the driver.
    static func receive(_ state: inout DashboardState, _ status: ReplayStatus) -> [Effect] {
        state.replay = status
        state.now = status.cursor
        guard status.reset else { return [] }
        // Seeking back: the log lines start over (the driver sends those before the cursor again).
        state.logs.buffer = LogBuffer(maxLines: state.logs.buffer.maxLines, maxBytes: state.logs.buffer.maxBytes)
        state.logs.selected = nil
        // And the captures (the driver sends those before the cursor again).
        state.profiles.captures.removeAll()
        state.profiles.viewer = nil
        // And the fleet's rows (a Prometheus fleet's instances may differ at the new time).
        state.fleet?.rows = [:]
        // And the findings seen so far (those at the new time follow).
        state.findings.episodes = [:]
        return SpansReducer.request(&state)
    }
}

/// Parses a `:` jump: `05:32` or `05:32:40` (UTC, on the day of `end`), `-5m`/`-90s`/`-2h`
/// (before `end`), or an ISO 8601 time (`2026-12-02T05:32:40Z`).
public enum ReplayJump {
    /// The forms, for errors and the prompt.
    public static let syntax = "05:32, 05:32:40 (UTC), -5m (before the end) or 2026-12-02T05:32:40Z"

    /// The time, or nil when the text is not one.
    public static func time(_ text: String, end: Date) -> Date? { try? read(text, end: end) }

    /// The time the text names, or why it names none.
    public static func read(_ text: String, end: Date) throws(InputError) -> Date {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw InputError(text, "empty: type \(syntax)") }
        if text.hasPrefix("-") {
            let duration: Duration
            do { duration = try DurationText.read(String(text.dropFirst())) } catch { throw InputError(text, error.reason) }
            return end.addingTimeInterval(-duration.seconds)
        }
        let clock = text.split(separator: ":", omittingEmptySubsequences: false)
        if (2...3).contains(clock.count), clock.allSatisfy({ $0.count <= 2 && !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
            guard clock.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) else {
                throw InputError(text, "hours, minutes and seconds are ASCII digits 0-9, as in 05:32")
            }
            let parts = clock.compactMap { Int($0) }
            guard parts.count == clock.count, clock.allSatisfy({ $0.count == 2 }) else {
                throw InputError(text, "two digits each, as in 05:32 or 05:32:40")
            }
            guard parts[0] < 24 else { throw InputError(text, "hours run from 00 to 23") }
            guard parts[1] < 60, parts.count < 3 || parts[2] < 60 else { throw InputError(text, "minutes and seconds run from 00 to 59") }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
            let day = calendar.startOfDay(for: end)
            return day.addingTimeInterval(Double(parts[0] * 3600 + parts[1] * 60 + (parts.count == 3 ? parts[2] : 0)))
        }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        throw InputError(text, "not a time: type \(syntax)")
    }
}
