import Foundation
import TeleportCore

/// The prompt being typed on the hint line (`/`, `f`, the Logs component, the replay's `:`):
/// what it edits, and why its text cannot be used. Reducers refuse Enter on a problem (the
/// prompt stays open and says why); the hint line shows it as it is typed.
public enum PromptCheck {
    /// The open prompt's text, as the reducers edit it; nil when no prompt is open.
    public static func text(_ state: DashboardState) -> String? {
        guard let field = state.editing else { return nil }
        if field == .replayTime { return state.replayJump }
        if field == .baseline { return state.findings.baselineText }
        if state.showsFleet { return (field == .labels ? state.fleet?.labelFilter : state.fleet?.filter) ?? "" }
        switch state.tab {
        case .logs: return field == .component ? state.logs.componentText : state.logs.patternText
        case .spans: return field == .labels ? state.spansTab.attributeText : state.spansTab.query.pattern
        case .profiles:
            // The flame graph's search, or the table's focus.
            guard let viewer = state.profiles.viewer else { return state.tables.filter }
            return (viewer.showsFlame ? viewer.flame?.search : viewer.options.focus) ?? ""
        default: return field == .labels ? state.tables.labelFilter : state.tables.filter
        }
    }

    /// Why the open prompt's text cannot be used (one line), or nil when it can.
    public static func problem(_ state: DashboardState) -> String? {
        guard let field = state.editing, let text = text(state) else { return nil }
        switch field {
        case .replayTime:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, let end = state.replay?.end else { return nil }
            do { _ = try ReplayJump.read(trimmed, end: end) } catch { return error.reason }
            return nil
        case .labels:
            if !state.showsFleet && state.tab == .spans {
                return SpanQuery.attributePairs(text) == nil ? "attributes: expected key=value, key=value" : nil
            }
            do { _ = try LabelFilter(parsing: text) } catch { return "label filter: \(error)" }
            return nil
        case .regex:
            if !state.showsFleet && state.tab == .profiles {
                // pprof's -focus: case-sensitive, no `!`.
                guard !text.isEmpty else { return nil }
                do { _ = try RegexText.compile(text, caseInsensitive: false) } catch { return error.reason }
                return nil
            }
            return regexProblem(text)
        case .component:
            return nil  // a plain substring
        case .baseline:
            do { _ = try BaselineWindow.parse(text, newest: FindingsReducer.newest(state)) } catch { return "baseline: \(error)" }
            return nil
        }
    }

    /// A `/` filter: a regular expression, `!` first to keep what does not match.
    public static func regexProblem(_ text: String) -> String? {
        let body = text.hasPrefix("!") ? String(text.dropFirst()) : text
        guard !body.isEmpty else { return nil }
        do { _ = try RegexText.compile(body) } catch { return error.reason }
        return nil
    }
}
