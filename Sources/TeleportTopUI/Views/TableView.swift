import TeleportCore

/// Section tabs (2-7) and the raw browser (0): one row per family (name, type, value or
/// rate with unit, sparkline), expandable into series; the raw browser adds HELP and lists
/// every series. The selected row is highlighted and kept in view.
public enum TableView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int, symbols: Symbols) {
        let snapshot = state.snapshot
        let rows = TableRows.rows(state)
        let isRaw = state.tab == .raw
        var y = top
        let title =
            isRaw
            ? "every family (\(snapshot.families.count)), HELP and series"
            : "\(state.tab.title): \(rows.filter { if case .family = $0 { return true } else { return false } }.count) families"
        var x = screen.write(" \(title)", x: 0, y: y, role: .accent)
        x = screen.write("  sort: \(state.tables.sort.rawValue)", x: x, y: y, role: .dim)
        if !state.tables.filter.isEmpty { x = screen.write("  filter: /\(state.tables.filter)", x: x, y: y, role: .accent) }
        if !state.tables.labelFilter.isEmpty {
            do throws(LabelFilter.FilterError) {
                _ = try LabelFilter(parsing: state.tables.labelFilter)
                screen.write("  labels: {\(state.tables.labelFilter)}", x: x, y: y, role: .accent)
            } catch {
                screen.write("  labels: \(error)", x: x, y: y, role: .error)
            }
        }
        y += 1
        guard !rows.isEmpty else {
            let hint =
                snapshot.families.isEmpty
                ? "no metrics yet"
                : state.tables.filter.isEmpty && state.tables.labelFilter.isEmpty
                    ? "this target exposes no family of this section" : "nothing matches the filter"
            screen.write("  \(hint)", x: 0, y: y, role: .dim)
            return
        }
        let labels = (try? LabelFilter(parsing: state.tables.labelFilter)) ?? .none
        let (selected, first, visible) = window(rows: rows.count, selected: state.selectedRow, lines: bottom - y)
        let sparkWidth = screen.width >= 100 ? 20 : screen.width >= 70 ? 10 : 0
        let valueWidth = screen.width >= 100 ? 22 : 14
        var nameWidth = max(10, screen.width - valueWidth - sparkWidth - 12)
        if isRaw {
            // The raw browser's HELP needs the room more than short names need padding.
            let longest = snapshot.families.reduce(0) { max($0, $1.name.count) }
            nameWidth = min(nameWidth, max(30, longest + 3))
        }
        for (offset, row) in rows[first..<min(rows.count, first + visible)].enumerated() {
            let isSelected = first + offset == selected
            draw(
                row, snapshot: snapshot, isRaw: isRaw, expanded: state.tables.expanded, labels: labels, into: &screen, y: y,
                nameWidth: nameWidth, valueWidth: valueWidth, sparkWidth: sparkWidth, symbols: symbols)
            if isSelected { screen.fill(row: y, role: .selection) }
            screen.mark(row: y, .tableRow(first + offset))
            y += 1
        }
        if rows.count > visible {
            screen.writeRight(" \(selected + 1)/\(rows.count) ", right: screen.width, y: top, role: .dim)
        }
    }

    /// The selected row, the first row shown and how many fit: the selection is kept in the
    /// middle of the lines when it can be.
    static func window(rows: Int, selected: Int, lines: Int) -> (selected: Int, first: Int, visible: Int) {
        let visible = max(1, lines)
        let selected = max(0, min(selected, rows - 1))
        return (selected, max(0, min(selected - visible / 2, rows - visible)), visible)
    }

    static func draw(
        _ row: TableRow, snapshot: MetricsSnapshot, isRaw: Bool, expanded: Set<String>, labels: LabelFilter, into screen: inout Screen, y: Int,
        nameWidth: Int, valueWidth: Int, sparkWidth: Int, symbols: Symbols
    ) {
        let typeX = nameWidth + 2
        let valueRight = typeX + 10 + valueWidth
        switch row {
        case .family(let index):
            let family = FamilyFigures.narrowed(snapshot.families[index], by: labels)
            let marker = isRaw ? " " : expanded.contains(family.name) ? "▾" : "▸"
            screen.write("\(marker) \(family.name)", x: 0, y: y, role: .text, maxWidth: nameWidth)
            screen.write(family.type.rawValue, x: typeX, y: y, role: .dim, maxWidth: 10)
            screen.writeRight(familyValue(family), right: valueRight, y: y)
            if isRaw {
                // The group says which tab shows the family; "Other" families only show here.
                screen.write(
                    Tab.ordered.first { $0.group == family.group }?.shortTitle ?? family.group.title, x: valueRight + 2, y: y,
                    role: family.group == .other ? .accent : .dim, maxWidth: 8)
                screen.write(family.help ?? "", x: valueRight + 11, y: y, role: .dim, maxWidth: max(0, screen.width - valueRight - 11))
            } else if sparkWidth > 0 {
                Sparkline.draw(FamilyFigures.spark(family), into: &screen, x: valueRight + 2, y: y, width: sparkWidth, symbols: symbols)
            }
        case .series(let familyIndex, let seriesIndex):
            let family = snapshot.families[familyIndex]
            let series = family.series[seriesIndex]
            let labels = series.key.labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",")
            let suffix = series.key.name.dropFirst(family.name.count)
            screen.write("    \(suffix){\(labels)}", x: 0, y: y, role: .dim, maxWidth: nameWidth + 8)
            var value = family.type == .gauge ? Unit.format(series.value, name: family.name) : Format.number(series.value)
            if let rate = series.rate { value += "  \(Format.number(rate))/s" }
            screen.writeRight(value, right: valueRight, y: y)
            if sparkWidth > 0 { Sparkline.draw(series.spark, into: &screen, x: valueRight + 2, y: y, width: sparkWidth, symbols: symbols) }
        case .histogram(let familyIndex, let histogramIndex):
            let histogram = snapshot.families[familyIndex].histograms[histogramIndex]
            let labels = histogram.labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",")
            screen.write("    {\(labels)}", x: 0, y: y, role: .dim, maxWidth: nameWidth)
            screen.writeRight(
                quantiles(
                    histogram.windows[.oneMinute] ?? histogram.windows[.lastInterval], unit: QuantileText.unit(forFamily: snapshot.families[familyIndex].name)),
                right: min(screen.width, valueRight + sparkWidth), y: y)
        }
    }

    /// A family's headline figure: the summed rate for counters and histograms, else the total.
    static func familyValue(_ family: FamilySnapshot) -> String {
        if let rate = FamilyFigures.rate(family) { return Format.number(rate) + "/s" }
        if family.type == .counter || family.type == .histogram { return Format.number(FamilyFigures.total(family)) }
        if family.series.count == 1, let value = family.series.first?.value { return Unit.format(value, name: family.name) }
        return Format.number(FamilyFigures.total(family)) + (family.series.count > 1 ? " Σ\(family.series.count)" : "")
    }

    static func quantiles(_ window: WindowQuantiles?, unit: (Double) -> String) -> String {
        guard let window, window.observations > 0 else { return "no observations in 1m" }
        func q(_ estimate: QuantileEstimate?) -> String { QuantileText.format(estimate, unit: unit, gap: "≥") }
        return "p50 \(q(window.p50))  p90 \(q(window.p90))  p99 \(q(window.p99))"
    }
}
