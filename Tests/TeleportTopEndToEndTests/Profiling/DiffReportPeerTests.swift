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

    @Test("A goroutine leak switched on in the fixture is the top growing stack of the goroutine diff")
    func leakRanksFirst() async throws {
        let pair = try await ProfilePairs.pair(.goroutine)
        let changes = GoroutineGroupChange.changes(
            new: try PprofDecoder.decode(contentsOf: pair.after), base: try PprofDecoder.decode(contentsOf: pair.before))
        let top = try #require(changes.first)
        #expect(top.frames.contains { $0.function == "main.leakLoop.func1" }, "\(top.frames.map(\.function))")
        #expect(top.baseCount == 0 && top.count >= 40, "the leak parks 20 goroutines a second: \(top.count)")
        // Nothing else grew as much; the fixture's own parked goroutines did not change.
        #expect(changes.dropFirst().allSatisfy { $0.change < top.change })
        let parked = try #require(changes.first { $0.frames.contains { $0.function == "main.parkedOnChannel" } })
        #expect(parked.change == 0 && parked.count == 5)
        // In pprof's own diff the leak's function carries the growth too.
        let theirs = try GoPprof.top(["-diff_base", pair.before, "-cum"], pair.after)
        let row = try #require(theirs.split(separator: "\n").first { $0.hasSuffix("  main.leakLoop.func1") })
        #expect(row.contains(" \(top.count) "), "\(row)")
    }

    @Test("The command: --diff-base and --base print pprof's table, --normalize and --top as pprof's flags, --folded signed, --goroutines by growth")
    func command() async throws {
        let binary = Paths.teleportTopBinary.path
        let allocs = try await ProfilePairs.pair(.allocs)
        let heap = try await ProfilePairs.pair(.heap)
        let goroutine = try await ProfilePairs.pair(.goroutine)
        func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
            let result = try await runWithDeadlineOffPool(binary, ["pprof"] + arguments, timeout: .seconds(60))
            return (result.status, result.stdout, result.stderr)
        }
        let cases: [([String], [String], String)] = [
            (["--diff-base", heap.before], ["-diff_base", heap.before], heap.after),
            (["--base", allocs.before], ["-base", allocs.before], allocs.after),
            (["--base", allocs.before, "--normalize", "--top", "10"], ["-base", allocs.before, "-normalize", "-nodecount=10"], allocs.after),
            (
                ["--diff-base", goroutine.before, "--cum", "-i", "goroutine"], ["-diff_base", goroutine.before, "-cum", "-sample_index=goroutine"],
                goroutine.after
            ),
        ]
        for (ours, theirs, file) in cases {
            let result = try await run(ours + [file])
            #expect(result.status == 0, "\(result.stderr)")
            let expected = try GoPprof.top(theirs, file)
            #expect(firstDifference(result.stdout, expected) == nil, "\(ours): \(firstDifference(result.stdout, expected) ?? "")")
        }
        let folded = try await run(["--base", allocs.before, "--folded", allocs.after])
        #expect(folded.status == 0)
        let combined = try ProfileDiff.combine(
            new: PprofDecoder.decode(contentsOf: allocs.after), base: PprofDecoder.decode(contentsOf: allocs.before), meaning: .base)
        #expect(folded.stdout == FoldedStacks.text(try CallTree(combined)))
        let groups = try await run(["--diff-base", goroutine.before, "--goroutines", goroutine.after])
        #expect(groups.status == 0)
        let blocks = groups.stdout.components(separatedBy: "\n\n")
        #expect(blocks.count > 2)
        #expect(blocks[1].hasPrefix("+") && blocks[1].contains("main.leakLoop.func1"), "\(blocks.prefix(2))")

        let alone = try await run(["--normalize", heap.after])
        #expect(alone.status != 0 && alone.stdout.isEmpty)
        #expect(alone.stderr.contains("--normalize needs a baseline"))
        let both = try await run(["--base", heap.before, "--diff-base", heap.before, heap.after])
        #expect(both.status != 0 && both.stderr.contains("cannot both be given"))
        let cpu = try await ProfilePairs.pair(.profile)
        let mixed = try await run(["--diff-base", heap.before, cpu.after])
        #expect(mixed.status == 1 && mixed.stdout.isEmpty)
        #expect(mixed.stderr == "teleport-top: \(heap.before) and \(cpu.after): incompatible period types cpu/nanoseconds and space/bytes\n")
    }

    @Test(
        "--peek over a diff lists pprof's callers and callees; equal and opposite weights, which pprof leaves in map order, by name",
        arguments: ProfilePairs.kinds)
    func peekDiff(_ kind: ProfileKind) async throws {
        let pair = try await ProfilePairs.pair(kind)
        for meaning in DiffMeaning.allCases {
            let combined = try ProfileDiff.combine(
                new: PprofDecoder.decode(contentsOf: pair.after), base: PprofDecoder.decode(contentsOf: pair.before), meaning: meaning)
            let report = try PeekReport(combined, symbol: ".")
            let ours = try report.text()
            let theirs: String
            do {
                theirs = try GoPprof.run(["-peek", ".", meaning.flag, pair.before], pair.after)
            } catch let error where "\(error)".contains("no matches found for regexp") {
                // Two captures of a heap that did not change between them (Go's heap profile is
                // as of the last GC) diff to nothing: pprof lists no function, nor do we.
                #expect(report.entries.allSatisfy { $0.flat == 0 && $0.cum == 0 }, "\(kind) \(meaning.flag): \(ours)")
                continue
            }
            // Block by block (one per function, in order), the same lines; within a block the
            // same order but among edges of equal magnitude.
            let blocks = { (text: String) in text.components(separatedBy: PeekReport.separator) }
            let (a, b) = (blocks(ours), blocks(theirs))
            #expect(a.count == b.count && a.count > 2, "\(kind) \(meaning.flag)")
            for (x, y) in zip(a, b) where x != y {
                let (xl, yl) = (x.split(separator: "\n"), y.split(separator: "\n"))
                #expect(xl.sorted() == yl.sorted(), "\(kind) \(meaning.flag): \(x) vs \(y)")
                let magnitude = { (line: Substring) in line.split(separator: " ").first.map { $0.hasPrefix("-") ? String($0.dropFirst()) : String($0) } ?? "" }
                #expect(xl.map(magnitude) == yl.map(magnitude), "\(kind) \(meaning.flag): \(x) vs \(y)")
            }
        }
    }
}
