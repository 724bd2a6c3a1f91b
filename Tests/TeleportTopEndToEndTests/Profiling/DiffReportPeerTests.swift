import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// Diffs of two profiles against the real `go tool pprof -top -diff_base OLD NEW` and
/// `-base OLD NEW` (with and without `-normalize`): pairs of real captures of the Go fixture
/// at two loads (every pprof kind), and pairs of generated profiles that share only part of
/// their functions (frames on one side only, values over many magnitudes).
@Suite("Diffs equal go tool pprof -top -diff_base / -base", .serialized, .enabled(if: Prerequisites.required(Prerequisites.go)))
struct DiffReportPeerTests {
    /// Our diff's text and pprof's for one pair and one set of flags.
    func compare(
        base: String, new: String, meaning: DiffMeaning, normalize: Bool = false, _ options: TopOptions = TopOptions(), _ flags: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let combined = try ProfileDiff.combine(
            new: PprofDecoder.decode(contentsOf: new), base: PprofDecoder.decode(contentsOf: base), meaning: meaning, normalize: normalize)
        let ours = try TopReport(combined, options: options).text()
        let pprofFlags = [meaning.flag, base] + (normalize ? ["-normalize"] : []) + flags
        let theirs = try GoPprof.top(pprofFlags, new)
        let rows = theirs.split(separator: "\n").drop { !$0.hasPrefix("      flat  flat%") }.dropFirst()
        #expect(!rows.isEmpty || theirs.contains("Showing nodes accounting for 0,"), "\(theirs)", sourceLocation: sourceLocation)
        if let difference = firstDifference(ours, theirs) {
            Issue.record("\(pprofFlags.joined(separator: " ")) \(new): \(difference)", sourceLocation: sourceLocation)
        }
    }

    @Test("Every kind of the fixture at two loads: -diff_base and -base, with and without -normalize", arguments: ProfilePairs.kinds)
    func fixturePairs(_ kind: ProfileKind) async throws {
        let pair = try await ProfilePairs.pair(kind)
        for meaning in DiffMeaning.allCases {
            for normalize in [false, true] {
                try compare(base: pair.before, new: pair.after, meaning: meaning, normalize: normalize)
                try compare(base: pair.before, new: pair.after, meaning: meaning, normalize: normalize, TopOptions(nodeCount: 10), ["-nodecount=10"])
            }
            // The other way round: what shrank.
            try compare(base: pair.after, new: pair.before, meaning: meaning)
        }
        let types = try PprofDecoder.decode(contentsOf: pair.after).sampleTypes.map(\.type)
        for type in types {
            try compare(
                base: pair.before, new: pair.after, meaning: .diffBase, TopOptions(sampleIndex: type, nodeCount: 15, order: .cum),
                ["-sample_index=\(type)", "-nodecount=15", "-cum"])
            try compare(
                base: pair.before, new: pair.after, meaning: .base, normalize: true, TopOptions(sampleIndex: type, granularity: .lines),
                ["-sample_index=\(type)", "-lines"])
        }
    }

    @Test("A capture against itself: -base leaves nothing, -diff_base zero rows of the baseline's total")
    func selfDiff() async throws {
        let pair = try await ProfilePairs.pair(.heap)
        try compare(base: pair.after, new: pair.after, meaning: .base)
        try compare(base: pair.after, new: pair.after, meaning: .diffBase)
        let combined = try ProfileDiff.combine(
            new: PprofDecoder.decode(contentsOf: pair.after), base: PprofDecoder.decode(contentsOf: pair.after), meaning: .base)
        #expect(combined.samples.isEmpty)
    }

    @Test("Generated pairs sharing part of their functions, several units, -focus and -lines")
    func generatedPairs() throws {
        for seed in UInt64(60)..<UInt64(66) {
            var random = SplitMix64(seed: seed)
            let types: [(type: String, unit: String)] = [
                ("samples", "count"), [("cpu", "nanoseconds"), ("space", "bytes"), ("delay", "seconds")][random.next(below: 3)],
            ]
            // Same function count, other seeds: names overlap (the generator draws them from
            // one vocabulary), stacks and values differ.
            let old = SyntheticProfile(
                seed: seed, functions: 40 + random.next(below: 200), samples: 200 + random.next(below: 1500), sampleTypes: types,
                magnitude: 1 + random.next(below: 9))
            var new = old
            new.seed = seed &+ 1000
            new.samples = 200 + random.next(below: 1500)
            new.durationNanos = old.durationNanos * 2
            let oldPath = try temporaryFile(old.encoded(), name: "old\(seed).pb.gz")
            let newPath = try temporaryFile(new.encoded(gzip: seed % 2 == 0), name: "new\(seed).pb.gz")
            for meaning in DiffMeaning.allCases {
                try compare(base: oldPath, new: newPath, meaning: meaning)
                try compare(base: oldPath, new: newPath, meaning: meaning, normalize: true, TopOptions(nodeCount: 25), ["-nodecount=25"])
                try compare(
                    base: oldPath, new: newPath, meaning: meaning, TopOptions(nodeCount: 20, granularity: .lines, order: .cum),
                    ["-nodecount=20", "-lines", "-cum"])
                try compare(base: oldPath, new: newPath, meaning: meaning, TopOptions(focus: "auth|grpc"), ["-focus=auth|grpc"])
            }
        }
    }

    @Test("Profiles of other kinds cannot be compared: pprof's words")
    func incompatible() async throws {
        let cpu = try PprofDecoder.decode(contentsOf: try await ProfilePairs.pair(.profile).after)
        let heap = try PprofDecoder.decode(contentsOf: try await ProfilePairs.pair(.heap).after)
        let error = try #require(throws: PprofReportError.self) { try ProfileDiff.combine(new: cpu, base: heap, meaning: .diffBase) }
        #expect(error.description.hasPrefix("incompatible period types cpu/nanoseconds and space/bytes"), "\(error)")
        let block = try PprofDecoder.decode(contentsOf: try await ProfilePairs.pair(.block).after)
        let mutex = try PprofDecoder.decode(contentsOf: try await ProfilePairs.pair(.mutex).after)
        // block and mutex share their sample types: comparable, as pprof allows.
        #expect(throws: Never.self) { try ProfileDiff.combine(new: block, base: mutex, meaning: .diffBase) }
    }

    @Test("--folded of a diff: each stack's signed value is what go tool pprof -raw of the same diff sums", arguments: ProfilePairs.kinds)
    func foldedDiff(_ kind: ProfileKind) async throws {
        let pair = try await ProfilePairs.pair(kind)
        for meaning in DiffMeaning.allCases {
            let combined = try ProfileDiff.combine(
                new: PprofDecoder.decode(contentsOf: pair.after), base: PprofDecoder.decode(contentsOf: pair.before), meaning: meaning)
            let tree = try CallTree(combined)
            let ours = FoldedAndPeekPeerTests.ours(FoldedStacks.text(tree))
            let theirs = try Self.rawDiffStacks(base: pair.before, new: pair.after, meaning: meaning, column: tree.sampleTypeIndex)
            #expect(ours == theirs, "\(kind) \(meaning.flag)")
            if kind == .goroutine {
                #expect(ours.values.contains { $0 > 0 }, "the leak grew")
            }
        }
    }

    /// The stacks of `go tool pprof -raw -diff_base/-base OLD NEW` with their summed values.
    static func rawDiffStacks(base: String, new: String, meaning: DiffMeaning, column: Int) throws -> [String: Int64] {
        let directory = Paths.temporaryDirectory("rawdiff")
        let output = directory.appendingPathComponent("merged.pb.gz").path
        _ = try GoPprof.run(["-proto", "-output", output, meaning.flag, base], new)
        return try FoldedAndPeekPeerTests.rawStacks(output, column: column)
    }
}
