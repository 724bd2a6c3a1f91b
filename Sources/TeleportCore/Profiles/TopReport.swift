import Foundation

/// A top-N table computed as `go tool pprof -top` computes it (internal/report and
/// internal/graph): totals over every sample, `-focus` applied after the total (so shares
/// stay shares of the whole profile), nodes with cum below `nodeFraction` of the focused
/// flat total dropped ("Dropped N nodes (cum <= X)"), rows sorted by flat (or cum) then
/// name, cut to `nodeCount`, values in the unit pprof picks for the smallest shown value.
public struct TopReport: Sendable {
    /// How a row's frames were reached: never inlined, always inlined, or both.
    public enum InlineMark: String, Sendable, Hashable {
        case none = ""
        case inline = "(inline)"
        case partialInline = "(partial-inline)"
    }

    /// One line of the table.
    public struct Row: Sendable, Hashable {
        /// The function (`main.burnCPU`), or function and `file:line` in lines mode, exactly as
        /// in the profile (not sanitized: use `Sanitized.quote` to print it).
        public var name: String
        public var inline: InlineMark
        public var flat: Int64
        public var cum: Int64
        /// Running total of `flat` down to this row.
        public var sum: Int64
        /// Values as pprof prints them (`330ms`, `9719.66kB`, `0`).
        public var flatText: String
        public var cumText: String
        /// Shares of the total as pprof prints them (`66.00%`, `  100%`, `    0%`).
        public var flatPercent: String
        public var sumPercent: String
        public var cumPercent: String
    }

    public let options: TopOptions
    public let sampleType: PprofProfile.ValueType
    public let sampleTypeIndex: Int
    /// Sum of the absolute values of the chosen sample type over every sample.
    public let total: Int64
    /// Sum of the flat values of the rows shown.
    public let shownFlat: Int64
    /// The unit values are printed in (`ms`, `kB`, `count`; `minimum`, each value scaled on its
    /// own, when no row is left).
    public let outputUnit: String
    /// Nodes removed by the node fraction rule.
    public let droppedNodes: Int
    /// Nodes left after that rule (rows are the first `nodeCount` of them).
    public let nodesAfterDrop: Int
    public let rows: [Row]
    /// The lines printed above the table: File, Build ID, comments, Type, Time, Duration,
    /// active filters, "Showing nodes accounting for ...", "Dropped ...", "Showing top ...".
    /// Profile strings are not sanitized here.
    public let labels: [String]

    /// Computes the report. Throws for an unknown sample index or a bad focus pattern.
    public init(_ profile: PprofProfile, options: TopOptions = TopOptions()) throws(PprofReportError) {
        self.options = options
        let index = try profile.sampleTypeIndex(options.sampleIndex)
        sampleTypeIndex = index
        let type = profile.sampleTypes[index]
        sampleType = type
        var regex: NSRegularExpression?
        if let focus = options.focus, !focus.isEmpty {
            do { regex = try NSRegularExpression(pattern: focus) } catch {
                throw .badFocus(pattern: focus, detail: "not a valid regular expression")
            }
        }
        let total = profile.total(sampleTypeIndex: index)
        self.total = total

        let graph = PprofGraph(profile, valueIndex: index, granularity: options.granularity, focus: regex)
        let abs: (Int64) -> Int64 = { $0 < 0 ? 0 &- $0 : $0 }
        var nodes = (0..<graph.nodeCount).filter { graph.flat[$0] != 0 || graph.cum[$0] != 0 }
        let focusedFlat = nodes.reduce(Int64(0)) { $0 &+ graph.flat[$1] }
        let nodeCutoff = abs(Self.truncate(Double(focusedFlat) * options.nodeFraction))
        let edgeCutoff = abs(Self.truncate(Double(focusedFlat) * options.edgeFraction))
        var dropped = 0
        // pprof rebuilds its graph from the kept nodes only when some were dropped; until then
        // nodes whose values cancel out (a diff's) still carry call edges (they decide inline marks).
        var rebuilt = false
        if nodeCutoff > 0 {
            let kept = nodes.filter { abs(graph.cum[$0]) >= nodeCutoff }
            dropped = nodes.count - kept.count
            rebuilt = dropped > 0
            nodes = kept
        }
        droppedNodes = dropped
        nodesAfterDrop = nodes.count

        let names = (0..<graph.nodeCount).map { Self.printableName(graph.keys[$0]) }
        Self.sort(&nodes, graph: graph, names: names, byCum: options.order == .cum)
        if options.nodeCount > 0, nodes.count > options.nodeCount {
            nodes.removeSubrange(options.nodeCount...)
            rebuilt = true
        }

        // Inline marks come from the call edges of the final graph above the edge cutoff.
        var kept = [Bool](repeating: !rebuilt, count: graph.nodeCount)
        for n in nodes { kept[n] = true }
        var inlineIn = [UInt8](repeating: 0, count: graph.nodeCount)  // bit 1: inline edge, bit 2: other edge
        for (key, edge) in graph.edges(kept: kept) where abs(edge.weight) >= edgeCutoff {
            let destination = Int(UInt32(truncatingIfNeeded: key))
            inlineIn[destination] |= edge.inline ? 1 : 2
        }

        // The output unit: the unit of the smallest shown value, unless the total is over 100x
        // larger in another unit (pprof's selectOutputUnit with -unit=minimum).
        var minValue: Int64 = 0
        for n in nodes {
            var v = abs(graph.flat[n])
            if v == 0 { v = abs(graph.cum[n]) }
            if v > 0 && (minValue == 0 || v < minValue) { minValue = v }
        }
        // With no node left pprof keeps "minimum", which scales each value on its own.
        var outputUnit = "minimum"
        if !nodes.isEmpty {
            if minValue == 0 { minValue = total }
            let minUnit = PprofMeasurement.scale(minValue, from: type.unit, to: "minimum").unit
            let maxUnit = PprofMeasurement.scale(total, from: type.unit, to: "minimum").unit
            var unit = minUnit
            if minUnit != maxUnit && minValue &* 100 < total {
                unit = PprofMeasurement.scale(100 &* minValue, from: type.unit, to: "minimum").unit
            }
            outputUnit = unit.isEmpty ? type.unit : unit
        }
        self.outputUnit = outputUnit
        let format = { (v: Int64) in PprofMeasurement.scaledLabel(v, from: type.unit, to: outputUnit) }

        var rows: [Row] = []
        rows.reserveCapacity(nodes.count)
        var sum: Int64 = 0
        for n in nodes {
            let flat = graph.flat[n]
            let cum = graph.cum[n]
            sum &+= flat
            let mark: InlineMark = inlineIn[n] & 1 == 0 ? .none : (inlineIn[n] & 2 == 0 ? .inline : .partialInline)
            rows.append(
                Row(
                    name: names[n], inline: mark, flat: flat, cum: cum, sum: sum,
                    flatText: format(flat), cumText: format(cum),
                    flatPercent: PprofMeasurement.percentage(flat, of: total), sumPercent: PprofMeasurement.percentage(sum, of: total),
                    cumPercent: PprofMeasurement.percentage(cum, of: total)))
        }
        self.rows = rows
        shownFlat = sum

        var labels = Self.profileLabels(profile, type: type, total: total, format: format)
        if let focus = options.focus, !focus.isEmpty {
            var filter = "focus=" + focus
            if filter.utf8.count > 80 { filter = String(decoding: filter.utf8.prefix(80), as: UTF8.self) + "…" }
            labels += ["Active filters:", "   " + filter]
        }
        labels.append(
            "Showing nodes accounting for \(format(sum)), "
                + "\(PprofMeasurement.percentage(sum, of: total).trimmingCharacters(in: .whitespaces)) of \(format(total)) total")
        if total != 0 {
            if dropped > 0 {
                let cut = format(abs(Self.truncate(Double(total) * options.nodeFraction)))
                labels.append("Dropped \(dropped) node\(dropped > 1 ? "s" : "") (cum <= \(cut))")
            }
            if !nodes.isEmpty && nodes.count < nodesAfterDrop {
                labels.append("Showing top \(nodes.count) nodes out of \(nodesAfterDrop)")
            }
        }
        self.labels = labels
    }

    /// Sorts nodes as pprof's FlatNameOrder / CumNameOrder: value, name, the other value, identity.
    static func sort(_ nodes: inout [Int], graph: PprofGraph, names: [String], byCum: Bool) {
        let abs: (Int64) -> Int64 = { $0 < 0 ? 0 &- $0 : $0 }
        func identity(_ n: Int) -> String {
            let k = graph.keys[n]
            return "{\(k.name)  0 \(k.file) \(k.startLine) \(k.line) \(k.objfile)}"
        }
        func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
        nodes.sort { l, r in
            let (lk, rk) = byCum ? (abs(graph.cum[l]), abs(graph.cum[r])) : (abs(graph.flat[l]), abs(graph.flat[r]))
            if lk != rk { return lk > rk }
            if names[l] != names[r] { return precedes(names[l], names[r]) }
            let (lo, ro) = byCum ? (abs(graph.flat[l]), abs(graph.flat[r])) : (abs(graph.cum[l]), abs(graph.cum[r]))
            if lo != ro { return lo > ro }
            return precedes(identity(l), identity(r))
        }
    }

    /// The report as `go tool pprof -top` prints it, with every profile string sanitized.
    public func text() -> String {
        var out = labels.map(Sanitized.quote).joined(separator: "\n") + "\n"
        out += "      flat  flat%   sum%        cum   cum%\n"
        for row in rows {
            out +=
                Self.pad(row.flatText) + " " + row.flatPercent + " " + row.sumPercent + " " + Self.pad(row.cumText) + " "
                + row.cumPercent + "  " + Sanitized.quote(row.name) + (row.inline == .none ? "" : " " + row.inline.rawValue) + "\n"
        }
        return out
    }

    static func pad(_ text: String, width: Int = 10) -> String {
        let count = text.count
        return count >= width ? text : String(repeating: " ", count: width - count) + text
    }

    /// Go's float-to-int64 conversion, clamped instead of undefined out of range.
    static func truncate(_ value: Double) -> Int64 {
        guard value.isFinite else { return 0 }
        if value >= 9.2e18 { return .max }
        if value <= -9.2e18 { return .min }
        return Int64(value)
    }

    /// pprof's NodeInfo.PrintableName.
    static func printableName(_ key: PprofGraph.Key) -> String {
        var parts: [String] = []
        if !key.name.isEmpty { parts.append(key.name) }
        if key.line != 0 {
            parts.append("\(key.file):\(key.line)")
        } else if !key.file.isEmpty {
            parts.append(key.file)
        } else if !key.name.isEmpty {
        } else if !key.objfile.isEmpty {
            parts.append("[" + GoPath.base(key.objfile) + "]")
        } else {
            parts.append("<unknown>")
        }
        return parts.joined(separator: " ")
    }

    /// pprof's ProfileLabels: File, Build ID, comments, Type, Time, Duration.
    static func profileLabels(_ profile: PprofProfile, type: PprofProfile.ValueType, total: Int64, format: (Int64) -> String) -> [String] {
        var labels: [String] = []
        if let main = profile.mappings.first {
            if !main.file.isEmpty { labels.append("File: " + GoPath.base(main.file)) }
            if !main.buildID.isEmpty { labels.append("Build ID: " + main.buildID) }
        }
        labels += profile.comments.filter { !$0.hasPrefix("#") }
        if !type.type.isEmpty { labels.append("Type: " + type.type) }
        if profile.timeNanos != 0 { labels.append("Time: " + goTime(profile.timeNanos)) }
        if profile.durationNanos != 0 {
            let duration = PprofMeasurement.label(profile.durationNanos, unit: "nanoseconds")
            let (totalNanos, totalUnit) = PprofMeasurement.scale(total, from: type.unit, to: "nanoseconds")
            var ratio = ""
            if totalUnit == "ns" && totalNanos != 0 {
                ratio = "(" + PprofMeasurement.percentage(truncate(totalNanos), of: profile.durationNanos) + ")"
            }
            labels.append("Duration: \(duration), Total samples = \(format(total)) \(ratio)")
        }
        return labels
    }

    /// Go's `Jan 2, 2006 at 3:04pm (MST)` in the local time zone.
    static func goTime(_ nanos: Int64) -> String {
        var seconds = time_t(nanos / 1_000_000_000)
        if nanos < 0 && nanos % 1_000_000_000 != 0 { seconds -= 1 }
        var parts = tm()
        tzset()
        localtime_r(&seconds, &parts)
        var zone = [CChar](repeating: 0, count: 64)
        _ = strftime(&zone, zone.count, "%Z", &parts)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let hour = Int(parts.tm_hour)
        let hour12 = hour % 12 == 0 ? 12 : hour % 12
        let minute = Int(parts.tm_min)
        let zoneName = String(decoding: zone.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "\(months[Int(parts.tm_mon)]) \(parts.tm_mday), \(Int(parts.tm_year) + 1900) at \(hour12):"
            + (minute < 10 ? "0" : "") + "\(minute)\(hour < 12 ? "am" : "pm") (\(zoneName))"
    }
}
