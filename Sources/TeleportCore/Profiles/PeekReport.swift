import Foundation

/// The callers and callees of the functions matching a regular expression, with their
/// shares, computed and printed as `go tool pprof -peek REGEX` (internal/report's tree
/// report): every node kept (no node or edge dropped), nodes in the top table's order, a call
/// edge counted once per sample, `(inline)` when every call along it was inlined.
public struct PeekReport: Sendable {
    /// A caller or callee of an entry.
    public struct Edge: Sendable, Hashable {
        /// The other function (not sanitized).
        public var name: String
        public var inline: Bool
        public var weight: Int64
        /// The weight as pprof prints it, and its share of the entry's cum.
        public var weightText: String
        public var percent: String
    }

    /// A function that matched, with its callers and callees, heaviest first.
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var flat: Int64
        public var cum: Int64
        public var flatText: String
        public var cumText: String
        public var flatPercent: String
        /// Running total of the matched entries' flat values, as pprof prints it.
        public var sumPercent: String
        public var cumPercent: String
        public var callers: [Edge]
        public var callees: [Edge]
    }

    public let symbol: String
    /// The header lines (as the top table's; not sanitized).
    public let labels: [String]
    public let entries: [Entry]
    public let total: Int64
    /// Whether the profile has any node at all (pprof closes the table with a rule then).
    public let hasNodes: Bool

    static let separator = "----------------------------------------------------------+-------------"
    static let legend = "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t "

    /// Computes the report for the functions whose name matches `symbol`. `options` gives the
    /// sample type, granularity, order and focus; node and edge fractions are not applied
    /// (pprof's peek keeps everything). Throws for a bad pattern or sample index.
    public init(_ profile: PprofProfile, symbol: String, options: TopOptions = TopOptions()) throws(PprofReportError) {
        let pattern: NSRegularExpression
        do { pattern = try NSRegularExpression(pattern: symbol) } catch {
            throw .badFocus(pattern: symbol, detail: "not a valid regular expression")
        }
        var untrimmed = options
        untrimmed.nodeCount = 0
        untrimmed.nodeFraction = 0
        untrimmed.edgeFraction = 0
        let top = try TopReport(profile, options: untrimmed)
        self.symbol = symbol
        labels = top.labels
        total = top.total
        var focus: NSRegularExpression?
        if let text = options.focus, !text.isEmpty { focus = try? NSRegularExpression(pattern: text) }
        let graph = PprofGraph(profile, valueIndex: top.sampleTypeIndex, granularity: options.granularity, focus: focus)
        let names = (0..<graph.nodeCount).map { TopReport.printableName(graph.keys[$0]) }
        var nodes = (0..<graph.nodeCount).filter { graph.flat[$0] != 0 || graph.cum[$0] != 0 }
        hasNodes = !nodes.isEmpty
        TopReport.sort(&nodes, graph: graph, names: names, byCum: options.order == .cum)
        var matched = [Bool](repeating: false, count: graph.nodeCount)
        for n in nodes {
            let name = names[n]
            matched[n] = pattern.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
        }
        let edges = Self.edges(profile, graph, matched: matched)
        let unit = top.outputUnit
        let type = top.sampleType
        let format = { (v: Int64) in PprofMeasurement.scaledLabel(v, from: type.unit, to: unit) }
        let abs: (Int64) -> Int64 = { $0 < 0 ? 0 &- $0 : $0 }
        func sorted(_ list: [(other: Int, edge: PprofGraph.Edge)], cum: Int64, callers: Bool, node: Int) -> [Edge] {
            list.sorted { l, r in
                // pprof orders by magnitude and leaves edges of equal and opposite weight (a
                // diff's) in map order, which varies from run to run: by name here.
                if abs(l.edge.weight) != abs(r.edge.weight) { return abs(l.edge.weight) > abs(r.edge.weight) }
                let (lf, rf) = callers ? (names[l.other], names[r.other]) : (names[node], names[node])
                if lf != rf { return lf.utf8.lexicographicallyPrecedes(rf.utf8) }
                let (lt, rt) = callers ? (names[node], names[node]) : (names[l.other], names[r.other])
                return lt.utf8.lexicographicallyPrecedes(rt.utf8)
            }.map {
                Edge(
                    name: names[$0.other], inline: $0.edge.inline, weight: $0.edge.weight, weightText: format($0.edge.weight),
                    percent: PprofMeasurement.percentage($0.edge.weight, of: cum))
            }
        }
        var entries: [Entry] = []
        var sum: Int64 = 0
        for n in nodes where matched[n] {
            let (flat, cum) = (graph.flat[n], graph.cum[n])
            sum &+= flat
            entries.append(
                Entry(
                    name: names[n], flat: flat, cum: cum, flatText: format(flat), cumText: format(cum),
                    flatPercent: PprofMeasurement.percentage(flat, of: total), sumPercent: PprofMeasurement.percentage(sum, of: total),
                    cumPercent: PprofMeasurement.percentage(cum, of: total),
                    callers: sorted(edges.into[n] ?? [], cum: cum, callers: true, node: n),
                    callees: sorted(edges.out[n] ?? [], cum: cum, callers: false, node: n)))
        }
        self.entries = entries
    }

    /// Call edges touching a matched node, counted once per sample (pprof's newGraph).
    static func edges(_ profile: PprofProfile, _ graph: PprofGraph, matched: [Bool]) -> (
        into: [Int: [(other: Int, edge: PprofGraph.Edge)]], out: [Int: [(other: Int, edge: PprofGraph.Edge)]]
    ) {
        var weights: [UInt64: PprofGraph.Edge] = [:]
        var seen: Set<UInt64> = []
        for (s, sample) in profile.samples.enumerated() where graph.includes(sample: s) {
            let w = sample.values[graph.valueIndex]
            if w == 0 { continue }
            if !seen.isEmpty { seen.removeAll(keepingCapacity: true) }
            var parent: Int32 = -1
            for location in sample.locations.reversed() {
                let nodes = graph.nodes(ofLocation: Int(location))
                for position in nodes.indices.reversed() {
                    let n = nodes[position]
                    if parent >= 0, n != parent, matched[Int(n)] || matched[Int(parent)] {
                        let key = UInt64(UInt32(bitPattern: parent)) << 32 | UInt64(UInt32(bitPattern: n))
                        if seen.insert(key).inserted {
                            let inline = position != nodes.endIndex - 1
                            if var edge = weights[key] {
                                edge.weight &+= w
                                if !inline { edge.inline = false }
                                weights[key] = edge
                            } else {
                                weights[key] = PprofGraph.Edge(weight: w, inline: inline)
                            }
                        }
                    }
                    parent = n
                }
            }
        }
        var into: [Int: [(other: Int, edge: PprofGraph.Edge)]] = [:]
        var out: [Int: [(other: Int, edge: PprofGraph.Edge)]] = [:]
        for (key, edge) in weights {
            let source = Int(UInt32(truncatingIfNeeded: key >> 32))
            let destination = Int(UInt32(truncatingIfNeeded: key))
            if matched[destination] { into[destination, default: []].append((source, edge)) }
            if matched[source] { out[source, default: []].append((destination, edge)) }
        }
        return (into, out)
    }

    /// What a line of the table is.
    public enum LineKind: Sendable, Hashable {
        case rule, edge, entry
    }

    /// The table below the header and legend, line by line as pprof prints it (rules,
    /// callers, the function, callees); profile strings not sanitized.
    public func body() -> [(kind: LineKind, text: String)] {
        var lines: [(kind: LineKind, text: String)] = []
        for entry in entries {
            lines.append((.rule, Self.separator))
            for edge in entry.callers { lines.append((.edge, Self.edgeLine(edge))) }
            lines.append(
                (
                    .entry,
                    TopReport.pad(entry.flatText) + " " + entry.flatPercent + " " + entry.sumPercent + " " + TopReport.pad(entry.cumText) + " "
                        + entry.cumPercent + "                | " + entry.name
                ))
            for edge in entry.callees { lines.append((.edge, Self.edgeLine(edge))) }
        }
        if hasNodes { lines.append((.rule, Self.separator)) }
        return lines
    }

    /// The report as `go tool pprof -peek` prints it, every profile string sanitized.
    public func text() -> String {
        var out = labels.map(Sanitized.quote).joined(separator: "\n") + "\n"
        out += Self.separator + "\n" + Self.legend + "\n"
        for line in body() { out += Sanitized.quote(line.text) + "\n" }
        return out
    }

    static func edgeLine(_ edge: Edge) -> String {
        TopReport.pad(edge.weightText, width: 50) + " " + edge.percent + " |   " + edge.name + (edge.inline ? " (inline)" : "")
    }
}
