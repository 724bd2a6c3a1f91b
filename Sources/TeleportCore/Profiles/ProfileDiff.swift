import Foundation

/// Which of `go tool pprof`'s two comparisons a diff is.
public enum DiffMeaning: String, Sendable, Hashable, CaseIterable, Codable {
    /// `-diff_base`: the baseline is subtracted and its samples stay marked, so shares are
    /// shares of the baseline's total. For two captures that each stand alone (CPU over a
    /// window, heap and goroutine snapshots, or captures of different processes).
    case diffBase = "diff_base"
    /// `-base`: the baseline is subtracted sample by sample, so what is left is what happened
    /// in between. For cumulative profiles (allocs, block, mutex) of the same process.
    case base

    /// The flag as pprof spells it.
    public var flag: String { self == .base ? "-base" : "-diff_base" }

    /// The meaning pprof users pick for two captures: `-base` for a cumulative kind (allocs,
    /// block, mutex) taken twice from the same process (same pid), `-diff_base` otherwise.
    public static func preferred(kind: ProfileKind, samePID: Bool) -> DiffMeaning {
        samePID && [.allocs, .block, .mutex].contains(kind) ? .base : .diffBase
    }
}

/// Two profiles combined as `go tool pprof -diff_base BASE NEW` / `-base BASE NEW` combine
/// them (internal/driver fetch, profile Merge, Scale, Normalize): with `normalize` the new
/// profile is first scaled so each sample type's sum equals the baseline's; the baseline is
/// negated (marked `pprof::base` for `-diff_base`) and both are merged, samples with the
/// same stack and labels adding up and samples left all zero dropped (each side is merged on
/// its own first, as pprof's fetch does). Every report over the
/// result (top table, call tree, folded stacks) then shows signed differences.
public enum ProfileDiff {
    /// The label pprof puts on the baseline's samples for `-diff_base`.
    public static let baseLabel = "pprof::base"

    public static func combine(new: PprofProfile, base: PprofProfile, meaning: DiffMeaning, normalize: Bool = false)
        throws(PprofReportError) -> PprofProfile
    {
        try checkCompatible(new, base)
        // Each side is merged on its own first, as pprof fetches it (so -normalize rounds
        // each merged sample once).
        var new = Merger.merge([new])
        var base = Merger.merge([base])
        if meaning == .diffBase {
            for i in base.samples.indices {
                base.samples[i].labels.removeAll { $0.key == baseLabel && $0.string != nil }
                base.samples[i].labels.append(PprofProfile.Label(key: baseLabel, string: "true"))
            }
        }
        if normalize { Self.normalize(&new, to: base) }
        scale(&base, by: [Double](repeating: -1, count: base.sampleTypes.count))
        return Merger.merge([new, base])
    }

    /// pprof's Normalize: each sample type of `profile` scaled by the baseline's sum over its
    /// own (to 0 when its own is 0), so both have the same totals. The profiles must be
    /// compatible (same sample types).
    public static func normalize(_ profile: inout PprofProfile, to base: PprofProfile) {
        guard profile.sampleTypes.count == base.sampleTypes.count else { return }
        var baseSums = [Int64](repeating: 0, count: profile.sampleTypes.count)
        var sums = baseSums
        for sample in base.samples { for (i, v) in sample.values.enumerated() { baseSums[i] &+= v } }
        for sample in profile.samples { for (i, v) in sample.values.enumerated() { sums[i] &+= v } }
        scale(&profile, by: zip(baseSums, sums).map { b, n in n == 0 ? 0 : Double(b) / Double(n) })
    }

    /// pprof's `compatible`: the same period type and the same sample types in the same order.
    static func checkCompatible(_ a: PprofProfile, _ b: PprofProfile) throws(PprofReportError) {
        if a.periodType != b.periodType {
            throw .incompatible("incompatible period types \(a.periodType.map(\.description) ?? "<none>") and \(b.periodType.map(\.description) ?? "<none>")")
        }
        if a.sampleTypes != b.sampleTypes {
            let list = { (types: [PprofProfile.ValueType]) in "[" + types.map(\.description).joined(separator: " ") + "]" }
            throw .incompatible("incompatible sample types \(list(a.sampleTypes)) and \(list(b.sampleTypes))")
        }
    }

    /// pprof's ScaleN: each value times its type's ratio, rounded half away from zero; samples
    /// left with no non-zero value are dropped. Ratios of exactly 1 leave the profile alone.
    static func scale(_ profile: inout PprofProfile, by ratios: [Double]) {
        if ratios.allSatisfy({ $0 == 1 }) { return }
        profile.samples = profile.samples.compactMap { sample in
            var sample = sample
            var keep = false
            for i in sample.values.indices where ratios[i] != 1 {
                let value = TopReport.truncate((Double(sample.values[i]) * ratios[i]).rounded(.toNearestOrAwayFromZero))
                sample.values[i] = value
                keep = keep || value != 0
            }
            return keep ? sample : nil
        }
    }

    /// pprof's profile merger: mappings, functions and locations merged by what they are (not
    /// their ids), samples by their merged stack and labels.
    struct Merger {
        struct MappingKey: Hashable {
            var size: UInt64
            var offset: UInt64
            var buildIDOrFile: String
        }
        struct FunctionKey: Hashable {
            var startLine: Int64
            var name: String
            var systemName: String
            var filename: String
        }
        struct LocationKey: Hashable {
            var address: UInt64
            var mapping: Int32
            var lines: [PprofProfile.Line]
            var isFolded: Bool
        }
        struct SampleKey: Hashable {
            var locations: [Int32]
            var labels: String
        }

        var out: PprofProfile
        var mappingIndex: [MappingKey: Int32] = [:]
        var functionIndex: [FunctionKey: Int32] = [:]
        var locationIndex: [LocationKey: Int32] = [:]
        var sampleIndex: [SampleKey: Int] = [:]

        static func merge(_ sources: [PprofProfile]) -> PprofProfile {
            var merger = Merger(out: combineHeaders(sources))
            for source in sources { merger.add(source) }
            merger.out.samples.removeAll { $0.values.allSatisfy { $0 == 0 } }
            return merger.out
        }

        /// pprof's combineHeaders: the first profile's types, the earliest time, the summed
        /// durations, the largest period, the comments once each, the first default type.
        static func combineHeaders(_ sources: [PprofProfile]) -> PprofProfile {
            var timeNanos: Int64 = 0
            var durationNanos: Int64 = 0
            var period: Int64 = 0
            var comments: [String] = []
            var seen: Set<String> = []
            var defaultType: String?
            for source in sources {
                if timeNanos == 0 || source.timeNanos < timeNanos { timeNanos = source.timeNanos }
                durationNanos &+= source.durationNanos
                if period == 0 || period < source.period { period = source.period }
                for comment in source.comments where seen.insert(comment).inserted { comments.append(comment) }
                if defaultType == nil || defaultType == "", let type = source.defaultSampleType, !type.isEmpty { defaultType = type }
            }
            let first = sources[0]
            return PprofProfile(
                sampleTypes: first.sampleTypes, samples: [], locations: [], functions: [], mappings: [], dropFrames: first.dropFrames,
                keepFrames: first.keepFrames, timeNanos: timeNanos, durationNanos: durationNanos, periodType: first.periodType, period: period,
                comments: comments, defaultSampleType: defaultType)
        }

        mutating func add(_ source: PprofProfile) {
            var mappings = [Int32?](repeating: nil, count: source.mappings.count)
            var functions = [Int32?](repeating: nil, count: source.functions.count)
            var locations = [Int32?](repeating: nil, count: source.locations.count)
            // The first mapping of the first profile stays first: it names the binary.
            if out.mappings.isEmpty, !source.mappings.isEmpty { mappings[0] = mapping(source.mappings[0]) }
            func mapped(mapping index: Int32) -> Int32 {
                if let known = mappings[Int(index)] { return known }
                let id = mapping(source.mappings[Int(index)])
                mappings[Int(index)] = id
                return id
            }
            func mapped(function index: Int32) -> Int32 {
                if let known = functions[Int(index)] { return known }
                let id = function(source.functions[Int(index)])
                functions[Int(index)] = id
                return id
            }
            func mapped(location index: Int32) -> Int32 {
                if let known = locations[Int(index)] { return known }
                let location = source.locations[Int(index)]
                var key = LocationKey(address: location.address, mapping: -1, lines: [], isFolded: location.isFolded)
                var start: UInt64 = 0
                if let m = location.mapping {
                    key.mapping = mapped(mapping: m)
                    start = source.mappings[Int(m)].start
                    // Addresses relative to their mapping, as pprof keys them (ASLR).
                    key.address = location.address &- start
                }
                key.lines = location.lines.map { PprofProfile.Line(function: mapped(function: $0.function), line: $0.line) }
                let id: Int32
                if let existing = locationIndex[key] {
                    id = existing
                } else {
                    id = Int32(out.locations.count)
                    let mappingStart = key.mapping >= 0 ? out.mappings[Int(key.mapping)].start : 0
                    out.locations.append(
                        PprofProfile.Location(
                            id: UInt64(out.locations.count + 1), mapping: key.mapping >= 0 ? key.mapping : nil,
                            address: key.mapping >= 0 ? key.address &+ mappingStart : key.address, lines: key.lines,
                            isFolded: location.isFolded))
                    locationIndex[key] = id
                }
                locations[Int(index)] = id
                return id
            }
            for sample in source.samples where !sample.values.allSatisfy({ $0 == 0 }) {
                let stack = sample.locations.map { mapped(location: $0) }
                let key = SampleKey(locations: stack, labels: Self.labelKey(sample.labels))
                if let existing = sampleIndex[key] {
                    for (i, v) in sample.values.enumerated() { out.samples[existing].values[i] &+= v }
                } else {
                    sampleIndex[key] = out.samples.count
                    out.samples.append(PprofProfile.Sample(locations: stack, values: sample.values, labels: sample.labels))
                }
            }
        }

        mutating func mapping(_ source: PprofProfile.Mapping) -> Int32 {
            // Sizes rounded up to 4 KiB, as pprof keys them.
            var size = source.limit &- source.start
            size = size &+ 0xfff
            size -= size % 0x1000
            let key = MappingKey(size: size, offset: source.offset, buildIDOrFile: source.buildID.isEmpty ? source.file : source.buildID)
            if let existing = mappingIndex[key] { return existing }
            let id = Int32(out.mappings.count)
            var copy = source
            copy.id = UInt64(id + 1)
            out.mappings.append(copy)
            mappingIndex[key] = id
            return id
        }

        mutating func function(_ source: PprofProfile.Function) -> Int32 {
            let key = FunctionKey(startLine: source.startLine, name: source.name, systemName: source.systemName, filename: source.filename)
            if let existing = functionIndex[key] { return existing }
            let id = Int32(out.functions.count)
            var copy = source
            copy.id = UInt64(id + 1)
            out.functions.append(copy)
            functionIndex[key] = id
            return id
        }

        /// Labels by key (sorted), values in their order: string labels, then numeric ones.
        static func labelKey(_ labels: [PprofProfile.Label]) -> String {
            if labels.isEmpty { return "" }
            var strings: [String: [String]] = [:]
            var numbers: [String: [String]] = [:]
            for label in labels {
                if let text = label.string {
                    strings[label.key, default: []].append(text)
                } else {
                    numbers[label.key, default: []].append("\(label.number) \(label.unit ?? "")")
                }
            }
            func part(_ map: [String: [String]]) -> String {
                map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { key in
                    "\(key.utf8.count):\(key)=" + map[key, default: []].map { "\($0.utf8.count):\($0)" }.joined(separator: ",")
                }.joined(separator: ";")
            }
            return part(strings) + "|" + part(numbers)
        }
    }
}
