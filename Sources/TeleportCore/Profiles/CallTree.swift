import Foundation

/// A profile's samples merged into one tree of call paths, root first: what a flame graph
/// draws and folded stacks list. Frames are named as `go tool pprof -top` names its nodes
/// (per function, or per function and line; inlined frames are frames of their own), so the
/// flame graph, peek and the top table agree. Node 0 is the root (every sample); a node's
/// `total` is the value of the samples whose stack goes through its path, `selfValue` of those
/// ending there.
public struct CallTree: Sendable {
    /// The root's index.
    public static let root: Int32 = 0

    /// One frame of a call path.
    public struct Node: Sendable, Hashable {
        /// The parent's index (-1 for the root).
        public var parent: Int32
        /// Index into `names` (-1 for the root).
        public var name: Int32
        /// 0 for the root, 1 for its children...
        public var depth: Int32
        public var total: Int64
        public var selfValue: Int64
        /// In a diff tree: the signed sum (new minus baseline) through this path, and the
        /// baseline's part of `total` (so the new capture's part is `total - baseTotal`).
        public var delta: Int64 = 0
        public var baseTotal: Int64 = 0
        /// Index into `files` of the frame's source file (-1 when the profile has none).
        public var file: Int32
        /// The source line of the first sample that reached this frame (0 when unknown).
        public var line: Int64
    }

    public let sampleType: PprofProfile.ValueType
    public let sampleTypeIndex: Int
    /// The total of the sample type over every sample (what shares are shares of).
    public let profileTotal: Int64
    /// Whether this is a diff tree: `total` adds magnitudes (the new capture's samples and
    /// the baseline's, negated in a diff, both count), `delta` the signed values.
    public let isDiff: Bool
    /// The smallest non-zero sample magnitude (one CPU period, one goroutine): the unit a
    /// diff's noise floor is counted in.
    public private(set) var smallestSample: Int64 = 0
    public private(set) var nodes: [Node] = []
    /// Frame names, as the top table prints them (not sanitized).
    public private(set) var names: [String] = []
    /// Per name: the top table's flat and cum values of that function (or line).
    public private(set) var flat: [Int64] = []
    public private(set) var cum: [Int64] = []
    /// Source files of the profile's functions.
    public private(set) var files: [String] = []
    /// Children of node i, heaviest first (ties by name): `children[childStart[i] ..< childStart[i + 1]]`.
    private var childStart: [Int32] = []
    private var childList: [Int32] = []

    /// Builds the tree of one sample type (`options.sampleIndex`), at `options.granularity`,
    /// keeping only the samples through a frame that matches `options.focus` when given.
    ///
    /// A diff tree (`diff`, over `ProfileDiff.combine`'s result) is laid out by magnitude, so
    /// frames of both captures have room, and carries each path's signed change; `total`
    /// replaces the profile's total as what shares are shares of (a `-base` diff's, say).
    public init(_ profile: PprofProfile, options: TopOptions = TopOptions(), diff: Bool = false, total: Int64? = nil) throws(PprofReportError) {
        let index = try profile.sampleTypeIndex(options.sampleIndex)
        sampleTypeIndex = index
        sampleType = profile.sampleTypes[index]
        profileTotal = total ?? profile.total(sampleTypeIndex: index)
        isDiff = diff
        var regex: NSRegularExpression?
        if let focus = options.focus, !focus.isEmpty {
            do { regex = try NSRegularExpression(pattern: focus) } catch {
                throw .badFocus(pattern: focus, detail: "not a valid regular expression")
            }
        }
        let graph = PprofGraph(profile, valueIndex: index, granularity: options.granularity, focus: regex)
        names = graph.keys.map(TopReport.printableName)
        flat = graph.flat
        cum = graph.cum
        files = profile.functions.map(\.filename)
        build(profile, graph)
    }

    private mutating func build(_ profile: PprofProfile, _ graph: PprofGraph) {
        var nodes = [Node(parent: -1, name: -1, depth: 0, total: 0, selfValue: 0, file: -1, line: 0)]
        let frames = min(profile.samples.reduce(0) { $0 + $1.locations.count }, 1 << 24)
        nodes.reserveCapacity(frames + 1)
        // A node's children are found by walking its short list of children; a node with many
        // (the root of a large profile has thousands) gets a hash table of its own. One table
        // for every node was several times slower on a large profile, whose stacks share little.
        let wideAt: Int32 = 16
        var firstChild: [Int32] = [-1]
        var nextSibling: [Int32] = [-1]
        var childCount: [Int32] = [0]
        firstChild.reserveCapacity(frames + 1)
        nextSibling.reserveCapacity(frames + 1)
        childCount.reserveCapacity(frames + 1)
        var wide: [UInt64: Int32] = [:]
        let diff = isDiff
        for (s, sample) in profile.samples.enumerated() where graph.includes(sample: s) {
            let signed = sample.values[sampleTypeIndex]
            if signed == 0 { continue }
            let w = diff && signed < 0 ? 0 &- signed : signed
            let magnitude = signed < 0 ? 0 &- signed : signed
            if smallestSample == 0 || magnitude < smallestSample { smallestSample = magnitude }
            let fromBase = diff && signed < 0 ? w : 0
            var current: Int32 = 0
            nodes[0].total &+= w
            nodes[0].delta &+= signed
            nodes[0].baseTotal &+= fromBase
            for location in sample.locations.reversed() {
                let frameNodes = graph.nodes(ofLocation: Int(location))
                for position in frameNodes.indices.reversed() {
                    let name = frameNodes[position]
                    var found: Int32 = -1
                    if childCount[Int(current)] < wideAt {
                        var child = firstChild[Int(current)]
                        while child >= 0 {
                            if nodes[Int(child)].name == name {
                                found = child
                                break
                            }
                            child = nextSibling[Int(child)]
                        }
                    } else {
                        found = wide[UInt64(UInt32(bitPattern: current)) << 32 | UInt64(UInt32(bitPattern: name))] ?? -1
                    }
                    if found < 0 {
                        let lines = profile.locations[Int(location)].lines
                        let offset = position - frameNodes.startIndex
                        let line = offset < lines.count ? lines[offset] : nil
                        found = Int32(nodes.count)
                        nodes.append(
                            Node(
                                parent: current, name: name, depth: nodes[Int(current)].depth + 1, total: 0, selfValue: 0,
                                file: line.map { profile.functions[Int($0.function)].filename.isEmpty ? -1 : $0.function } ?? -1,
                                line: line?.line ?? 0))
                        firstChild.append(-1)
                        childCount.append(0)
                        nextSibling.append(firstChild[Int(current)])
                        firstChild[Int(current)] = found
                        childCount[Int(current)] += 1
                        let count = childCount[Int(current)]
                        if count == wideAt {
                            var child = firstChild[Int(current)]
                            while child >= 0 {
                                wide[UInt64(UInt32(bitPattern: current)) << 32 | UInt64(UInt32(bitPattern: nodes[Int(child)].name))] = child
                                child = nextSibling[Int(child)]
                            }
                        } else if count > wideAt {
                            wide[UInt64(UInt32(bitPattern: current)) << 32 | UInt64(UInt32(bitPattern: name))] = found
                        }
                    }
                    current = found
                    nodes[Int(current)].total &+= w
                    nodes[Int(current)].delta &+= signed
                    nodes[Int(current)].baseTotal &+= fromBase
                }
            }
            nodes[Int(current)].selfValue &+= w
        }
        // Children grouped per parent (counting sort), then ordered heaviest first.
        var counts = [Int32](repeating: 0, count: nodes.count + 1)
        for node in nodes.dropFirst() { counts[Int(node.parent) + 1] += 1 }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        var list = [Int32](repeating: 0, count: max(0, nodes.count - 1))
        var fill = counts
        for i in 1..<nodes.count {
            let parent = Int(nodes[i].parent)
            list[Int(fill[parent])] = Int32(i)
            fill[parent] += 1
        }
        let names = self.names
        for parent in 0..<nodes.count {
            let range = Int(counts[parent])..<Int(counts[parent + 1])
            guard range.count > 1 else { continue }
            list[range].sort { a, b in
                let (ta, tb) = (nodes[Int(a)].total, nodes[Int(b)].total)
                if ta != tb { return ta > tb }
                return names[Int(nodes[Int(a)].name)].utf8.lexicographicallyPrecedes(names[Int(nodes[Int(b)].name)].utf8)
            }
        }
        self.nodes = nodes
        childStart = counts
        childList = list
    }

    /// The children of a node, heaviest first.
    public func children(of node: Int32) -> ArraySlice<Int32> {
        childList[Int(childStart[Int(node)])..<Int(childStart[Int(node) + 1])]
    }

    /// A node's frame name ("root" for the root).
    public func name(of node: Int32) -> String {
        let name = nodes[Int(node)].name
        return name < 0 ? "root" : names[Int(name)]
    }

    /// The nodes from the root down to `node`, both included.
    public func path(to node: Int32) -> [Int32] {
        var path: [Int32] = []
        var current = node
        while current >= 0 {
            path.append(current)
            current = nodes[Int(current)].parent
        }
        return path.reversed()
    }

    /// The source file of a node, if the profile has one.
    public func file(of node: Int32) -> String? {
        let file = nodes[Int(node)].file
        return file < 0 ? nil : files[Int(file)]
    }

    /// The package of a Go function name, which flame graphs colour by: the import path up to
    /// the first dot after its last slash (`crypto/sha256` of `crypto/sha256.(*digest).Write`,
    /// `main` of `main.burnCPU`); a name without a dot is its own package.
    public static func package(of name: String) -> Substring {
        let utf8 = name.utf8
        let afterSlash = utf8.lastIndex(of: UInt8(ascii: "/")).map { utf8.index(after: $0) } ?? utf8.startIndex
        let end = utf8[afterSlash...].firstIndex(of: UInt8(ascii: ".")) ?? utf8.endIndex
        let space = utf8[utf8.startIndex..<end].firstIndex(of: UInt8(ascii: " ")) ?? end
        return Substring(name[name.startIndex..<space])
    }

    /// A hash of a string that is the same in every process (FNV-1a), for stable colours.
    public static func stableHash<S: StringProtocol>(_ text: S) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
