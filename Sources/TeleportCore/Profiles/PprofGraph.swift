import Foundation

/// The nodes of a profile at one granularity and their flat and cum values, computed as
/// pprof's graph package does (internal/graph): a node per function (or per function and
/// line), inlined frames counted as frames of their own, cum counted once per sample however
/// often a node recurs in it, flat to the leaf frame only.
struct PprofGraph {
    /// pprof's NodeInfo, the identity of a node.
    struct Key: Hashable {
        var name: String
        var file: String
        var line: Int64
        var startLine: Int64
        var objfile: String
    }

    let profile: PprofProfile
    let valueIndex: Int
    /// One entry per node.
    private(set) var keys: [Key] = []
    private(set) var flat: [Int64] = []
    private(set) var cum: [Int64] = []
    /// The nodes of location i are `locationNodes[locationStart[i] ..< locationStart[i + 1]]`,
    /// in the order of its lines (innermost first).
    private var locationStart: [Int32] = []
    private var locationNodes: [Int32] = []
    /// The samples that passed the focus filter.
    private var focused: [Bool]?

    init(_ profile: PprofProfile, valueIndex: Int, granularity: TopOptions.Granularity, focus: NSRegularExpression?) {
        self.profile = profile
        self.valueIndex = valueIndex
        buildNodes(granularity)
        if let focus { applyFocus(focus) }
        accumulate()
    }

    var nodeCount: Int { keys.count }

    func nodes(ofLocation index: Int) -> ArraySlice<Int32> {
        locationNodes[Int(locationStart[index])..<Int(locationStart[index + 1])]
    }

    /// Whether sample `i` counts (the focus filter).
    func includes(sample i: Int) -> Bool { focused?[i] ?? true }

    // MARK: Nodes

    private mutating func buildNodes(_ granularity: TopOptions.Granularity) {
        var index: [Key: Int32] = [:]
        index.reserveCapacity(profile.functions.count)
        var functionNode = [Int32](repeating: -1, count: profile.functions.count)
        var cleanFile: [Int32: String] = [:]
        locationStart.reserveCapacity(profile.locations.count + 1)
        locationNodes.reserveCapacity(profile.locations.count + profile.locations.count / 2)

        func node(_ key: Key) -> Int32 {
            if let existing = index[key] { return existing }
            let id = Int32(keys.count)
            index[key] = id
            keys.append(key)
            return id
        }

        for location in profile.locations {
            locationStart.append(Int32(locationNodes.count))
            let objfile = location.mapping.map { profile.mappings[Int($0)].file } ?? ""
            if location.lines.isEmpty {
                locationNodes.append(node(Key(name: "", file: "", line: 0, startLine: 0, objfile: objfile)))
                continue
            }
            for line in location.lines {
                let function = profile.functions[Int(line.function)]
                if function.name.isEmpty {
                    // Nameless functions keep their binary and start line, as pprof does.
                    var file = ""
                    var number: Int64 = 0
                    if granularity == .lines {
                        file = function.filename.isEmpty ? "" : GoPath.clean(Self.trimPath(function.filename))
                        number = line.line
                    }
                    locationNodes.append(node(Key(name: "", file: file, line: number, startLine: function.startLine, objfile: objfile)))
                    continue
                }
                switch granularity {
                case .functions:
                    var id = functionNode[Int(line.function)]
                    if id < 0 {
                        id = node(Key(name: function.name, file: "", line: 0, startLine: 0, objfile: ""))
                        functionNode[Int(line.function)] = id
                    }
                    locationNodes.append(id)
                case .lines:
                    let file: String
                    if let cached = cleanFile[line.function] {
                        file = cached
                    } else {
                        file = function.filename.isEmpty ? "" : GoPath.clean(Self.trimPath(function.filename))
                        cleanFile[line.function] = file
                    }
                    locationNodes.append(node(Key(name: function.name, file: file, line: line.line, startLine: 0, objfile: "")))
                }
            }
        }
        locationStart.append(Int32(locationNodes.count))
    }

    /// pprof drops these prefixes from file names when no trim path is configured.
    static func trimPath(_ path: String) -> String {
        for prefix in ["/proc/self/cwd/./", "/proc/self/cwd/"] where path.hasPrefix(prefix) {
            return String(path.dropFirst(prefix.count))
        }
        return path
    }

    // MARK: Focus

    private mutating func applyFocus(_ regex: NSRegularExpression) {
        func matches(_ text: String) -> Bool {
            regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        var functionMatches = [UInt8](repeating: 0, count: profile.functions.count)  // 0 unknown, 1 no, 2 yes
        var locationMatches = [Bool](repeating: false, count: profile.locations.count)
        for (i, location) in profile.locations.enumerated() {
            var hit = false
            for line in location.lines {
                let f = Int(line.function)
                if functionMatches[f] == 0 {
                    let function = profile.functions[f]
                    functionMatches[f] = matches(function.name) || matches(function.filename) ? 2 : 1
                }
                if functionMatches[f] == 2 {
                    hit = true
                    break
                }
            }
            if !hit, let m = location.mapping, matches(profile.mappings[Int(m)].file) { hit = true }
            locationMatches[i] = hit
        }
        focused = profile.samples.map { sample in sample.locations.contains { locationMatches[Int($0)] } }
    }

    // MARK: Values

    private mutating func accumulate() {
        var flat = [Int64](repeating: 0, count: keys.count)
        var cum = [Int64](repeating: 0, count: keys.count)
        var stamp = [Int](repeating: -1, count: keys.count)
        for (s, sample) in profile.samples.enumerated() where includes(sample: s) {
            let w = sample.values[valueIndex]
            if w == 0 { continue }
            for location in sample.locations {
                for n in nodes(ofLocation: Int(location)) where stamp[Int(n)] != s {
                    stamp[Int(n)] = s
                    cum[Int(n)] &+= w
                }
            }
            if let leaf = sample.locations.first, let n = nodes(ofLocation: Int(leaf)).first {
                flat[Int(n)] &+= w
            }
        }
        self.flat = flat
        self.cum = cum
    }

    // MARK: Edges

    /// Call edges between kept nodes (pprof rebuilds its graph from the kept nodes, so an
    /// edge may jump over dropped frames): weight and whether every call was inlined.
    struct Edge {
        var weight: Int64
        var inline: Bool
    }

    /// Only edges into nodes that are inlined somewhere (a line other than a location's last)
    /// can carry an inline mark, so only those are recorded: `(inline)` needs an inline edge.
    func edges(kept: [Bool]) -> [UInt64: Edge] {
        var inlinedSomewhere = [Bool](repeating: false, count: keys.count)
        var any = false
        for location in 0..<profile.locations.count {
            let nodes = self.nodes(ofLocation: location)
            for n in nodes.dropLast() where kept[Int(n)] {
                inlinedSomewhere[Int(n)] = true
                any = true
            }
        }
        var edges: [UInt64: Edge] = [:]
        guard any else { return edges }
        var seen: Set<UInt64> = []
        for (s, sample) in profile.samples.enumerated() where includes(sample: s) {
            let w = sample.values[valueIndex]
            if w == 0 { continue }
            if !seen.isEmpty { seen.removeAll(keepingCapacity: true) }
            var parent: Int32 = -1
            for location in sample.locations.reversed() {
                let nodes = self.nodes(ofLocation: Int(location))
                for position in nodes.indices.reversed() {
                    let n = nodes[position]
                    guard kept[Int(n)] else { continue }
                    if parent >= 0, n != parent, inlinedSomewhere[Int(n)] {
                        let key = UInt64(UInt32(parent)) << 32 | UInt64(UInt32(n))
                        if seen.insert(key).inserted {
                            let inline = position != nodes.endIndex - 1
                            if var edge = edges[key] {
                                edge.weight &+= w
                                if !inline { edge.inline = false }
                                edges[key] = edge
                            } else {
                                edges[key] = Edge(weight: w, inline: inline)
                            }
                        }
                    }
                    parent = n
                }
            }
        }
        return edges
    }
}
