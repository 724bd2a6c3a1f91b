import TeleportCore

/// The whole screen for a state: header, tab bar, the current view, hint bar. A pure
/// function of its inputs, so every screen has golden tests.
public enum DashboardView {
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    public static func render(_ state: DashboardState, width: Int, height: Int, symbols: Symbols = .block) -> Screen {
        var screen = Screen(width: width, height: height)
        guard width >= minimumWidth, height >= minimumHeight else {
            let lines = ["terminal too small", "\(width)x\(height), needs \(minimumWidth)x\(minimumHeight)", "q quits"]
            for (i, line) in lines.enumerated() {
                screen.put(line, x: max(0, (width - line.count) / 2), y: max(0, height / 2 - 1) + i, role: i == 0 ? .error : .dim)
            }
            return screen
        }
        if state.fileViewer {
            let x = screen.write(" teleport-top pprof", x: 0, y: 0, role: .header)
            screen.write("  \(state.profiles.viewer?.path ?? "")", x: x, y: 0, role: .dim)
            if state.showHelp {
                HelpView.draw(state, into: &screen, top: 1, bottom: height - 1)
            } else {
                ProfileViewerView.draw(state, into: &screen, top: 1, bottom: height - 1, symbols: symbols)
            }
            HintBarView.draw(state, into: &screen, y: height - 1)
            return screen
        }
        // With findings, the header's third line names the worst open one.
        let top = state.findings.enabled ? 4 : 3
        let bottom = height - 1
        if state.showsFleet {
            FleetView.draw(state, into: &screen, symbols: symbols)
            if state.showHelp {
                // The help replaces the table: its rows are blanked, not merely restyled.
                for y in top..<bottom { screen.put(String(repeating: " ", count: width), x: 0, y: y) }
                HelpView.draw(state, into: &screen, top: top, bottom: bottom)
            }
            QuestionView.draw(state, into: &screen)
            HintBarView.draw(state, into: &screen, y: height - 1)
            return screen
        }
        HeaderView.draw(state, into: &screen)
        if state.findings.enabled { FindingsLineView.draw(state, into: &screen, y: 2) }
        TabBarView.draw(state, into: &screen, y: top - 1)
        if state.showHelp {
            HelpView.draw(state, into: &screen, top: top, bottom: bottom)
        } else if let histogram = state.histogram {
            HistogramView.draw(state, histogram, into: &screen, top: top, bottom: bottom, symbols: symbols)
        } else {
            switch state.tab {
            case .overview: OverviewView.draw(state, into: &screen, top: top, bottom: bottom, symbols: symbols)
            case .spans: SpansTabView.draw(state, into: &screen, top: top, bottom: bottom, symbols: symbols)
            case .profiles: ProfilesTabView.draw(state, into: &screen, top: top, bottom: bottom, symbols: symbols)
            case .auth: AuthTabView.draw(state, into: &screen, top: top, bottom: bottom, symbols: symbols)
            case .logs: LogsView.draw(state, into: &screen, top: top, bottom: bottom, symbols: symbols)
            case .findings: FindingsView.draw(state, into: &screen, top: top, bottom: bottom, symbols: symbols)
            default: TableView.draw(state, into: &screen, top: top, bottom: bottom, symbols: symbols)
            }
        }
        QuestionView.draw(state, into: &screen)
        HintBarView.draw(state, into: &screen, y: height - 1)
        return screen
    }
}
