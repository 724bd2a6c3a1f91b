import Foundation
import TeleportCore

/// The Logs screen's keys: move (leaving follow), F follows again, m the minimum level
/// (sent as `?level=` too), c and / filters, Enter the detail pane, t the line's trace,
/// w writes the lines shown.
enum LogsReducer: ScreenReducer {
    static let pageRows = 20

    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]? {
        let logs = state.logs
        switch action {
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            move(&state, action)
            return []
        case .toggleFollow:
            state.logs.selected = nil
            state.message = "following the newest line"
            return []
        case .cycleLevel:
            let rank = (logs.filter.minimumRank + 1) % LogLine.levels.count
            state.logs.filter = LogFilter(minimumRank: rank, component: logs.componentText, pattern: logs.patternText)
            state.message = "lines at \(LogLine.levels[rank]) and above"
            return logs.opened ? [.openLogs(level: LogLine.levels[rank])] : []
        case .startComponentFilter:
            state.editing = .component
            return []
        case .startFilter:
            state.editing = .regex
            return []
        case .enter:
            state.logs.detail.toggle()
            return []
        case .back:
            if logs.detail {
                state.logs.detail = false
                return []
            }
            if !logs.patternText.isEmpty || !logs.componentText.isEmpty {
                state.logs.patternText = ""
                state.logs.componentText = ""
                state.logs.filter = LogFilter(minimumRank: logs.filter.minimumRank)
                state.message = "filters cleared"
                return []
            }
            return nil
        case .openTrace:
            guard let line = selectedLine(state) else { return [] }
            guard let hex = line.traceID, let bytes = Data(hex: hex), let trace = TraceID(bytes: bytes) else {
                state.message = "this line carries no trace_id"
                return []
            }
            state.tab = .spans
            state.spansTab.trace = trace
            state.spansTab.waterfallRow = 0
            state.spansTab.openedSpan = line.spanID.flatMap { Data(hex: $0) }.flatMap { SpanID(bytes: $0) }
            state.message = "trace \(hex.prefix(8))… (spans arrive over OTLP or a trace directory)"
            return []
        case .writeLines:
            let lines = logs.buffer.all(logs.filter)
            guard !lines.isEmpty else {
                state.message = "no lines to write"
                return []
            }
            state.message = "writing \(lines.count) lines…"
            return [.writeLogs(lines)]
        case .cycleView, .cycleSort, .startLabelFilter:
            return []
        default:
            return nil
        }
    }

    /// The visible lines' sequence numbers, newest first, as the view lays them out.
    static func visible(_ state: DashboardState, limit: Int) -> [Int] {
        state.logs.buffer.matching(state.logs.filter, upTo: state.logs.selected, limit: limit)
    }

    static func selectedLine(_ state: DashboardState) -> LogLine? {
        let sequence = state.logs.selected ?? visible(state, limit: 1).first
        return sequence.flatMap { state.logs.buffer[sequence: $0] }
    }

    static func move(_ state: inout DashboardState, _ action: Action) {
        let buffer = state.logs.buffer
        let filter = state.logs.filter
        switch action {
        case .bottom:
            state.logs.selected = nil
        case .top:
            state.logs.selected = first(buffer, filter)
        case .up, .pageUp:
            let steps = action == .up ? 1 : pageRows
            let from = state.logs.selected ?? buffer.nextSequence - 1
            let older = buffer.matching(filter, upTo: from - 1, limit: steps)
            if let target = older.last {
                state.logs.selected = target
            } else if state.logs.selected == nil {
                state.logs.selected = buffer.matching(filter, limit: 1).first
            }
        case .down, .pageDown:
            guard let from = state.logs.selected else { return }
            let steps = action == .down ? 1 : pageRows
            var sequence = from + 1
            var moved = 0
            var target = from
            while sequence < buffer.nextSequence && moved < steps {
                if let line = buffer[sequence: sequence], filter.passes(line) {
                    target = sequence
                    moved += 1
                }
                sequence += 1
            }
            // Past the newest line: follow again.
            state.logs.selected = moved < steps || target == buffer.matching(filter, limit: 1).first ? nil : target
        default:
            break
        }
    }

    static func first(_ buffer: LogBuffer, _ filter: LogFilter) -> Int? {
        var sequence = buffer.firstSequence
        while sequence < buffer.nextSequence {
            if let line = buffer[sequence: sequence], filter.passes(line) { return sequence }
            sequence += 1
        }
        return nil
    }

    /// The filters as typed in the hint bar.
    static func filter(_ state: inout DashboardState, _ action: Action) {
        let component = state.editing == .component
        switch action {
        case .filterInput(let character):
            if component { state.logs.componentText.append(character) } else { state.logs.patternText.append(character) }
        case .filterBackspace:
            if component { _ = state.logs.componentText.popLast() } else { _ = state.logs.patternText.popLast() }
        case .filterDone:
            state.editing = nil
        case .filterCancel:
            if component { state.logs.componentText = "" } else { state.logs.patternText = "" }
            state.editing = nil
        default:
            break
        }
        state.logs.filter = LogFilter(minimumRank: state.logs.filter.minimumRank, component: state.logs.componentText, pattern: state.logs.patternText)
    }

    /// Lines arrived: a held view keeps its line (its sequence number does not move).
    static func receive(_ state: inout DashboardState, _ lines: [LogLine]) {
        state.logs.buffer.append(lines, now: state.now)
        if let selected = state.logs.selected, selected < state.logs.buffer.firstSequence {
            state.logs.selected = state.logs.buffer.firstSequence
        }
    }

    /// The Logs screen was shown: open the stream the first time (one per target).
    static func opened(_ state: inout DashboardState) -> [Effect] {
        guard state.tab == .logs, !state.logs.opened, state.logs.hasSocket else { return [] }
        state.logs.opened = true
        let rank = state.logs.filter.minimumRank
        return [.openLogs(level: rank == 0 ? nil : LogLine.levels[rank])]
    }
}

/// The log level picker, the DEBUG/TRACE confirmation and the restore question on quit.
enum QuestionReducer: ScreenReducer {
    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]? {
        if state.logs.askRestore {
            let original = state.logs.changedFrom ?? "INFO"
            switch action {
            case .answerYes, .enter:
                state.logs.askRestore = false
                state.quit = true
                return [.setLogLevel(original, restoring: true), .quit]
            case .answerNo:
                state.logs.askRestore = false
                state.quit = true
                return [.keepLogLevel, .quit]
            case .back:
                state.logs.askRestore = false
                return []
            default:
                return []
            }
        }
        if let level = state.logs.confirm {
            switch action {
            case .answerYes, .enter:
                state.logs.confirm = nil
                return set(&state, level)
            case .answerNo, .back:
                state.logs.confirm = nil
                state.message = "log level left at \(state.logs.level ?? "?")"
                return []
            default:
                return []
            }
        }
        guard let index = state.logs.picker else { return nil }
        switch action {
        case .up: state.logs.picker = max(0, index - 1)
        case .down: state.logs.picker = min(LogLine.levels.count - 1, index + 1)
        case .enter:
            let level = LogLine.levels[index]
            state.logs.picker = nil
            if (level == "DEBUG" || level == "TRACE") && state.logs.runsAuth {
                state.logs.confirm = level
                return []
            }
            return set(&state, level)
        case .back, .levelPicker, .answerNo:
            state.logs.picker = nil
        default:
            break
        }
        return []
    }

    static func set(_ state: inout DashboardState, _ level: String) -> [Effect] {
        if state.logs.changedFrom == nil, let current = state.logs.level, current != level { state.logs.changedFrom = current }
        state.message = "setting the log level to \(level)…"
        return [.setLogLevel(level, restoring: false)]
    }
}
