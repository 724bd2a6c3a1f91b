import Foundation
import TeleportCore

/// One row of a metrics table.
public enum TableRow: Sendable, Hashable {
    /// A family (index into the snapshot's families).
    case family(Int)
    /// One series of a family.
    case series(family: Int, series: Int)
    /// One histogram series of a histogram family.
    case histogram(family: Int, histogram: Int)
}

/// The rows a table tab shows, as both the views and the reducer see them: families of the
/// tab's group (every family in Raw), filtered by the `/` regex and the `f` label matchers,
/// sorted, with expanded ones followed by their (matching) series. Memoized per snapshot and
/// settings, since the raw browser of a big target has tens of thousands of rows.
public enum TableRows {
    public static func rows(_ state: DashboardState) -> [TableRow] {
        let key = RowsMemo.Key(
            target: state.snapshot.target, scrapeCount: state.snapshot.scrapeCount, time: state.snapshot.lastScrape?.time,
            families: state.snapshot.families.count, tab: state.tab, tables: state.tables)
        return state.rowsMemo.rows(for: key) { compute(state) }
    }

    static func compute(_ state: DashboardState) -> [TableRow] {
        let snapshot = state.snapshot
        let indices: [Int]
        let expandAll: Bool
        switch state.tab {
        case .raw:
            indices = Array(snapshot.families.indices)
            expandAll = true
        default:
            guard let group = state.tab.group, state.tab != .auth || state.tables.authView == .families else { return [] }
            indices = snapshot.groups[group] ?? []
            expandAll = false
        }
        let matcher = FilterMatcher(state.tables.filter)
        let labels = (try? LabelFilter(parsing: state.tables.labelFilter)) ?? .none
        var families = indices.filter { matcher.matches(snapshot.families[$0]) }
        if !labels.isEmpty {
            families = families.filter { i in
                let family = snapshot.families[i]
                return family.series.contains { labels.matches($0.key.labels) } || family.histograms.contains { labels.matches($0.labels) }
            }
        }
        families = sorted(families, snapshot: snapshot, mode: state.tables.sort, labels: labels)
        var rows: [TableRow] = []
        for index in families {
            rows.append(.family(index))
            let family = snapshot.families[index]
            guard expandAll || state.tables.expanded.contains(family.name) || !labels.isEmpty else { continue }
            if family.type == .histogram || family.type == .gaugehistogram, !family.histograms.isEmpty, !expandAll {
                for h in family.histograms.indices where labels.matches(family.histograms[h].labels) {
                    rows.append(.histogram(family: index, histogram: h))
                }
            } else if labels.isEmpty {
                rows += family.series.indices.map { .series(family: index, series: $0) }
            } else {
                for s in family.series.indices where labels.matches(family.series[s].key.labels) { rows.append(.series(family: index, series: s)) }
            }
        }
        return rows
    }

    static func sorted(_ indices: [Int], snapshot: MetricsSnapshot, mode: SortMode, labels: LabelFilter = .none) -> [Int] {
        func family(_ i: Int) -> FamilySnapshot { FamilyFigures.narrowed(snapshot.families[i], by: labels) }
        switch mode {
        case .name:
            return indices.sorted { snapshot.families[$0].name < snapshot.families[$1].name }
        case .rate:
            return indices.sorted { FamilyFigures.rate(family($0)) ?? -1 > FamilyFigures.rate(family($1)) ?? -1 }
        case .value:
            return indices.sorted { FamilyFigures.total(family($0)) > FamilyFigures.total(family($1)) }
        }
    }
}

/// Figures of a whole family for one table row.
public enum FamilyFigures {
    /// The family narrowed to the series and histograms the `f` label filter keeps, so a
    /// family row's value, rate and sparkline are those of the rows listed under it.
    public static func narrowed(_ family: FamilySnapshot, by labels: LabelFilter) -> FamilySnapshot {
        guard !labels.isEmpty else { return family }
        var narrowed = family
        narrowed.series = family.series.filter { labels.matches($0.key.labels) }
        narrowed.histograms = family.histograms.filter { labels.matches($0.labels) }
        narrowed.summaries = family.summaries.filter { labels.matches($0.labels) }
        return narrowed
    }

    /// The sum of the family's series (for histograms: observations).
    public static func total(_ family: FamilySnapshot) -> Double {
        if !family.histograms.isEmpty { return family.histograms.reduce(0) { $0 + ($1.count.isNaN ? 0 : $1.count) } }
        return family.series.reduce(0) { $0 + ($1.value.isNaN ? 0 : $1.value) }
    }

    /// The per-second rate of the whole family over the last interval (counters and
    /// histograms); nil when no series has one.
    public static func rate(_ family: FamilySnapshot) -> Double? {
        if !family.histograms.isEmpty {
            let rates = family.histograms.compactMap(\.countRate)
            return rates.isEmpty ? nil : rates.reduce(0, +)
        }
        guard family.type == .counter else { return nil }
        let rates = family.series.compactMap(\.rate)
        return rates.isEmpty ? nil : rates.reduce(0, +)
    }

    /// The family's spark points: the element-wise sum of its series' points.
    public static func spark(_ family: FamilySnapshot) -> [Float] {
        guard let count = family.series.map(\.spark.count).max(), count > 0 else { return [] }
        var sum = [Float](repeating: 0, count: count)
        var seen = [Bool](repeating: false, count: count)
        for series in family.series where family.type != .histogram || series.key.name.hasSuffix("_count") {
            let offset = count - series.spark.count
            for (i, value) in series.spark.enumerated() where !value.isNaN {
                sum[offset + i] += value
                seen[offset + i] = true
            }
        }
        return zip(sum, seen).map { $1 ? $0 : .nan }
    }
}

/// The `/` filter: a case-insensitive regular expression over family names, HELP and label
/// values; a leading `!` keeps what does not match; an invalid expression matches literally.
public struct FilterMatcher: @unchecked Sendable {
    let pattern: String
    let inverted: Bool
    let regex: NSRegularExpression?

    public init(_ text: String) {
        inverted = text.hasPrefix("!")
        pattern = inverted ? String(text.dropFirst()) : text
        regex = pattern.isEmpty ? nil : try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }

    public func matches(_ family: FamilySnapshot) -> Bool {
        guard !pattern.isEmpty else { return true }
        let haystacks = [family.name, family.help ?? ""] + family.series.prefix(200).flatMap { $0.key.labels.map { "\($0.name)=\($0.value)" } }
        let found = haystacks.contains { matches($0) }
        return found != inverted
    }

    func matches(_ text: String) -> Bool {
        if let regex {
            return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        return text.localizedCaseInsensitiveContains(pattern)
    }
}
