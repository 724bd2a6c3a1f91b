import Foundation
import TeleportCore

/// Callers and callees of a function (`P`): scrolling, Esc or P closes.
enum PeekReducer: ScreenReducer {
    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]? {
        guard let peek = state.profiles.viewer?.peek else { return nil }
        if let delta = Reducer.movement(action) {
            let lines = peek.report.map { $0.entries.reduce(0) { $0 + $1.callers.count + $1.callees.count + 2 } } ?? 0
            state.profiles.viewer?.peek?.scroll = max(0, min(max(0, lines - 1), peek.scroll.addingReportingOverflow(delta).partialValue))
            return []
        }
        switch action {
        case .back, .peek:
            state.profiles.viewer?.peek = nil
            return []
        default:
            return nil
        }
    }

    /// Shows the callers and callees of `function` (a name as the table prints it).
    static func open(_ state: inout DashboardState, function: String) -> [Effect] {
        guard let viewer = state.profiles.viewer else { return [] }
        let id = state.requests.next()
        var peek = PeekViewState(function: function)
        peek.request = id
        state.profiles.viewer?.peek = peek
        let symbol = "^" + NSRegularExpression.escapedPattern(for: function) + "$"
        return [.peekProfile(request: id, path: viewer.path, options: viewer.options, symbol: symbol, diff: ViewerReducer.diff(state))]
    }

    static func receive(_ state: inout DashboardState, request: Int, _ result: Result<PeekReport, PprofFailure>) {
        guard state.profiles.viewer?.peek?.request == request else { return }
        switch result {
        case .success(let report): state.profiles.viewer?.peek?.report = report
        case .failure(let failure): state.profiles.viewer?.peek?.error = failure.message
        }
    }
}
