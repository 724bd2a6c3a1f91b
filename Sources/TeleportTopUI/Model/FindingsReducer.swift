import Foundation
import TeleportCore

/// The Findings screen's keys (move, Enter to the evidence, `m` mute, `b` baseline) and the
/// findings arriving from the engine.
enum FindingsReducer: ScreenReducer {
    static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect]? {
        let list = FindingsList.rows(state)
        if let delta = Reducer.movement(action) {
            guard !list.isEmpty else { return [] }
            let index = FindingsList.selectedIndex(state, list)
            state.findings.selectedKey = list[Reducer.clamp(index, by: delta, count: list.count)].finding.key
            return []
        }
        switch action {
        case .enter:
            guard let row = FindingsList.selected(state, list) else { return [] }
            return evidence(&state, row.finding)
        case .toggleMute:
            guard let row = FindingsList.selected(state, list) else { return [] }
            let key = row.finding.key
            // The cursor stays on the finding (listed last while muted): m again unmutes it.
            state.findings.selectedKey = key
            if state.findings.muted.remove(key) == nil {
                state.findings.muted.insert(key)
                state.message = "muted for this session: \(Sanitized.quote(row.finding.title)) (m again unmutes)"
            } else {
                state.message = "unmuted"
            }
            summarize(&state, FindingsList.instance(state))
            return []
        case .startBaseline:
            state.editing = .baseline
            state.findings.baselineText = ""
            return []
        case .click(.findingRow(let index)):
            guard list.indices.contains(index) else { return [] }
            if list[index].finding.key == state.findings.selectedKey { return evidence(&state, list[index].finding) }
            state.findings.selectedKey = list[index].finding.key
            return []
        default:
            return nil
        }
    }

    /// The newest scrape time the baseline is read against (the report's, else the snapshot's).
    static func newest(_ state: DashboardState) -> Date {
        state.findings.reports[FindingsList.instance(state)]?.time ?? state.snapshot.lastScrape?.time ?? state.now
    }

    /// Typing the `b` window.
    static func baselinePrompt(_ state: inout DashboardState, _ action: Action) -> [Effect] {
        switch action {
        case .filterInput(let character):
            if state.findings.baselineText.count < BaselineWindow.maxLength { state.findings.baselineText.append(character) }
        case .filterBackspace:
            if !state.findings.baselineText.isEmpty { state.findings.baselineText.removeLast() }
        case .filterCancel:
            state.editing = nil
        case .filterDone:
            state.editing = nil
            // The prompt refuses a problem before here (PromptCheck).
            let interval: DateInterval?
            do { interval = try BaselineWindow.parse(state.findings.baselineText, newest: newest(state)) } catch { return [] }
            state.findings.baseline = interval
            state.message = interval.map { "baseline: \(BaselineWindow.label($0))" } ?? "baseline: rolling, the \(rollingText(state)) before the recent window"
            return [.setFindingsBaseline(interval)]
        default:
            break
        }
        return []
    }

    static func rollingText(_ state: DashboardState) -> String {
        guard case .short(_, let need) = state.findings.reports[FindingsList.instance(state)]?.coverage ?? .full else { return "span" }
        return "\(Int(need.rounded())) s"
    }

    // MARK: Evidence

    /// Opens a finding's evidence: a gRPC method's spans, the family's histogram, or its table
    /// with the series selected. Esc comes back (`returnFromEvidence`).
    static func evidence(_ state: inout DashboardState, _ finding: Finding) -> [Effect] {
        let saved = EvidenceReturn(
            tab: .findings, key: finding.key, tables: state.tables, selection: state.selection, spansQuery: state.spansTab.query,
            spansView: state.spansTab.view)
        if finding.check.hasPrefix("grpc"), let method = finding.labels[label: "grpc_method"] {
            state.tab = .spans
            state.spansTab.view = .feed
            state.spansTab.query.pattern = NSRegularExpression.escapedPattern(for: method)
            state.findings.evidence = saved
            state.findings.evidence?.tab = .spans
            state.message = "spans of \(Sanitized.quote(method)) · Esc: back to the finding"
            return []
        }
        guard let name = finding.family, let index = state.snapshot.families.firstIndex(where: { $0.name == name }) else {
            if finding.family == "process_state" || finding.check.hasPrefix("state") || finding.check == "unreachable" || finding.check == "restarts" {
                state.findings.evidence = saved
                state.findings.evidence?.tab = .overview
                state.tab = .overview
                state.message = "the state timeline · Esc: back to the finding"
                return []
            }
            state.message = finding.family.map { "no family \(Sanitized.quote($0)) in the snapshot" } ?? "this finding names no series"
            return []
        }
        let family = state.snapshot.families[index]
        let tab = Tab.ordered.first { $0.group != nil && $0.group == family.group } ?? .raw
        state.tab = tab
        state.tables.filter = ""
        state.tables.labelFilter = ""
        if tab == .auth { state.tables.authView = .families }
        state.findings.evidence = saved
        state.findings.evidence?.tab = tab
        func picked(_ labels: [Label]) -> Bool { finding.labels.allSatisfy { labels.contains($0) } }
        if let histogram = family.histograms.first(where: { picked($0.labels) }) {
            state.histogram = HistogramSelection(family: family.name, labels: histogram.labels)
            state.message = "Esc: back to the finding"
            return []
        }
        state.histogram = nil
        state.tables.expanded.insert(family.name)
        let rows = TableRows.rows(state)
        let row =
            rows.firstIndex { row in
                if case .series(let f, let s) = row { return f == index && picked(family.series[s].key.labels) && !finding.labels.isEmpty }
                return false
            } ?? rows.firstIndex(of: .family(index)) ?? 0
        state.selection[tab] = row
        state.message = "Esc: back to the finding"
        return []
    }

    /// Esc on the evidence: back to the Findings screen, the same finding selected, the
    /// tables and spans as they were. Nil when no evidence is open.
    static func returnFromEvidence(_ state: inout DashboardState) -> [Effect]? {
        guard let saved = state.findings.evidence, state.tab == saved.tab, state.editing == nil, !state.showHelp else { return nil }
        // Inside the evidence, Esc first closes what the user opened there (a trace).
        if state.tab == .spans, state.spansTab.trace != nil { return nil }
        state.findings.evidence = nil
        state.tab = .findings
        state.histogram = nil
        state.tables = saved.tables
        state.selection = saved.selection
        state.spansTab.query = saved.spansQuery
        state.spansTab.view = saved.spansView
        state.findings.selectedKey = saved.key
        return []
    }

    /// Leaving the evidence another way (another tab) forgets the way back.
    static func forgetEvidence(_ state: inout DashboardState) {
        if let saved = state.findings.evidence, state.tab != saved.tab { state.findings.evidence = nil }
    }

    // MARK: Reports

    /// A report arrived: kept, its episodes updated, the fleet's column summarized.
    static func receive(_ state: inout DashboardState, _ event: FindingsEvent) {
        let id = event.instance
        state.findings.reports[id] = event.report
        state.findings.traces[id] = event.traces
        var episodes = state.findings.episodes[id] ?? []
        let time = event.report.time ?? state.now
        let present = Dictionary(event.report.findings.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var open = Set<String>()
        for i in episodes.indices where episodes[i].until == nil {
            if let finding = present[episodes[i].key] {
                episodes[i].severity = max(episodes[i].severity, finding.severity)
                open.insert(episodes[i].key)
            } else {
                episodes[i].until = time
            }
        }
        for finding in event.report.findings where !open.contains(finding.key) {
            episodes.append(FindingEpisode(key: finding.key, severity: finding.severity, since: min(finding.since ?? time, time), until: nil))
        }
        if episodes.count > FindingsState.maxEpisodes { episodes.removeFirst(episodes.count - FindingsState.maxEpisodes) }
        state.findings.episodes[id] = episodes
        summarize(&state, id)
    }

    /// The fleet's findings column for an instance.
    static func summarize(_ state: inout DashboardState, _ id: Int) {
        guard state.fleet != nil else { return }
        let shown = (state.findings.reports[id]?.findings ?? []).filter { !state.findings.muted.contains($0.key) }
        state.fleet?.findings[id] = FindingsSummary(count: shown.count, worst: shown.map(\.severity).max())
    }
}

/// The Findings screen's rows: the open findings worst first, then the muted ones.
public enum FindingsList {
    public struct Row: Sendable {
        public var finding: Finding
        public var muted: Bool
    }

    /// The instance whose findings are on screen (0: the one target).
    public static func instance(_ state: DashboardState) -> Int { state.fleet?.open ?? 0 }

    public static func rows(_ state: DashboardState) -> [Row] {
        let findings = state.findings.reports[instance(state)]?.findings ?? []
        let open = findings.filter { !state.findings.muted.contains($0.key) }.map { Row(finding: $0, muted: false) }
        let muted = findings.filter { state.findings.muted.contains($0.key) }.map { Row(finding: $0, muted: true) }
        return open + muted
    }

    /// The worst open finding that is not muted, and how many others are open.
    public static func worst(_ state: DashboardState) -> (finding: Finding, others: Int)? {
        let open = rows(state).filter { !$0.muted }
        guard let first = open.first else { return nil }
        return (first.finding, open.count - 1)
    }

    public static func selectedIndex(_ state: DashboardState, _ rows: [Row]) -> Int {
        state.findings.selectedKey.flatMap { key in rows.firstIndex { $0.finding.key == key } } ?? 0
    }

    public static func selected(_ state: DashboardState, _ rows: [Row]) -> Row? {
        rows.isEmpty ? nil : rows[selectedIndex(state, rows)]
    }
}
