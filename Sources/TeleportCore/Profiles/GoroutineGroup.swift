/// Identical stacks of a goroutine profile grouped, with how many goroutines share each:
/// what `?debug=1` shows, computed from the pprof profile's samples.
public struct GoroutineGroup: Sendable, Hashable {
    /// One frame; `inlined` when the compiler inlined it into the frame below it.
    public struct Frame: Sendable, Hashable {
        public var function: String
        public var file: String
        public var line: Int64
        public var inlined: Bool
        public init(function: String, file: String, line: Int64, inlined: Bool = false) {
            self.function = function
            self.file = file
            self.line = line
            self.inlined = inlined
        }
    }

    /// How many goroutines have this stack (the sum of the samples' values).
    public var count: Int64
    /// Leaf first: `frames[0]` is where the goroutines are (`runtime.gopark`).
    public var frames: [Frame]

    public init(count: Int64, frames: [Frame]) {
        self.count = count
        self.frames = frames
    }

    /// Groups the samples of a profile (normally `goroutine`) by identical stacks, most
    /// goroutines first, then by their frames (function, file, line; leaf first). Samples whose value is 0 are skipped.
    public static func groups(_ profile: PprofProfile, sampleTypeIndex: Int = 0) -> [GoroutineGroup] {
        guard sampleTypeIndex >= 0, sampleTypeIndex < profile.sampleTypes.count else { return [] }
        // Stacks are keyed by the ids of their locations' distinct frame lists (two locations
        // with the same frames share an id), so a sample costs an array of integers, not of
        // strings; frames are built once per location.
        var frameListIDs: [Int?] = Array(repeating: nil, count: profile.locations.count)
        var idsByFrames: [[Frame]: Int] = [:]
        var frameLists: [[Frame]] = []
        var counts: [[Int]: Int64] = [:]
        var order: [[Int]] = []
        for sample in profile.samples {
            let value = sample.values[sampleTypeIndex]
            if value == 0 { continue }
            var key: [Int] = []
            key.reserveCapacity(sample.locations.count)
            for index in sample.locations {
                if let id = frameListIDs[Int(index)] {
                    key.append(id)
                    continue
                }
                let location = profile.locations[Int(index)]
                var frames: [Frame] = []
                if location.lines.isEmpty {
                    let file = location.mapping.map { profile.mappings[Int($0)].file } ?? ""
                    frames.append(Frame(function: String(location.address, radix: 16).leftPadded(to: 16), file: file, line: 0))
                }
                for (i, line) in location.lines.enumerated() {
                    let function = profile.functions[Int(line.function)]
                    frames.append(
                        Frame(
                            function: function.name, file: function.filename, line: line.line,
                            inlined: i < location.lines.count - 1))
                }
                let id: Int
                if let known = idsByFrames[frames] {
                    id = known
                } else {
                    id = frameLists.count
                    idsByFrames[frames] = id
                    frameLists.append(frames)
                }
                frameListIDs[Int(index)] = id
                key.append(id)
            }
            if let existing = counts[key] {
                counts[key] = existing &+ value
            } else {
                counts[key] = value
                order.append(key)
            }
        }
        // Ties in count go by the stacks' frames, compared through the rank of each distinct
        // frame list's text: texts are built once per location, never per group or comparison.
        let texts = frameLists.map { frames in frames.map { "\($0.function) \($0.file):\($0.line)" }.joined(separator: "\n") }
        var rank = [Int](repeating: 0, count: frameLists.count)
        for (position, id) in texts.indices.sorted(by: { texts[$0].utf8.lexicographicallyPrecedes(texts[$1].utf8) }).enumerated() {
            rank[id] = position
        }
        var entries = order.map { key in (count: counts[key] ?? 0, ranks: key.map { rank[$0] }, key: key) }
        entries.sort { a, b in
            if a.count != b.count { return a.count > b.count }
            return a.ranks.lexicographicallyPrecedes(b.ranks)
        }
        return entries.map { GoroutineGroup(count: $0.count, frames: $0.key.flatMap { frameLists[$0] }) }
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
