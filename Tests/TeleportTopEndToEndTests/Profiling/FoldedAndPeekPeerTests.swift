import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportTopData

/// Folded stacks against the stacks `go tool pprof -raw` lists, and peek against
/// `go tool pprof -peek`, on real captures of every kind from the Go fixture and on generated
/// profiles with inlining and recursion.
@Suite("Folded stacks and peek equal go tool pprof's", .serialized, .enabled(if: Prerequisites.required(Prerequisites.go)))
struct FoldedAndPeekPeerTests {
    static let kinds: [ProfileKind] = [.profile, .heap, .allocs, .goroutine, .block, .mutex, .threadcreate]

    /// The stacks of `go tool pprof -raw FILE` (root first, inlined frames expanded, named by
    /// function) with the sum of one sample type's values, zero sums left out.
    static func rawStacks(_ file: String, column: Int) throws -> [String: Int64] {
        let raw = try GoPprof.run(["-raw"], file)
        var samples: [([Int64], [Int])] = []
        var locations: [Int: [String]] = [:]
        var section = ""
        var current = -1
        let sampleLine = try NSRegularExpression(pattern: #"^\s*(-?\d+(?:\s+-?\d+)*):((?:\s+\d+)*)\s*$"#)
        let locationLine = try NSRegularExpression(pattern: #"^\s*(\d+): 0x[0-9a-f]+ (?:M=\d+ )?(?:\[F\] )?(.*)$"#)
        func groups(_ regex: NSRegularExpression, _ line: String) -> [String]? {
            guard let match = regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) else { return nil }
            return (1..<match.numberOfRanges).map { i in Range(match.range(at: i), in: line).map { String(line[$0]) } ?? "" }
        }
        // Frames without a function name (pprof -raw prints "??" or an empty name) are
        // compared as "[?]": pprof names them by their binary, which -raw lists elsewhere.
        func function(_ text: String) -> String {
            text.hasPrefix("??") || text.isEmpty || text.hasPrefix(" ") ? "[?]" : String(text.split(separator: " ").first ?? "")
        }
        for line in raw.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == "Samples:" || line == "Locations" || line == "Mappings" {
                section = line
                continue
            }
            switch section {
            case "Samples:":
                guard let parts = groups(sampleLine, line) else { continue }
                let values = parts[0].split(separator: " ").compactMap { Int64($0) }
                let ids = parts[1].split(separator: " ").compactMap { Int($0) }
                samples.append((values, ids))
            case "Locations":
                if let parts = groups(locationLine, line), let id = Int(parts[0]) {
                    current = id
                    locations[id] = [function(parts[1])]
                } else if line.hasPrefix("             "), current >= 0 {
                    locations[current, default: []].append(function(String(line.dropFirst(13))))
                }
            default:
                continue
            }
        }
        var stacks: [String: Int64] = [:]
        for (values, ids) in samples where column < values.count {
            let frames = ids.reversed().flatMap { (locations[$0] ?? ["?"]).reversed() }
            stacks[frames.joined(separator: ";"), default: 0] += values[column]
        }
        return stacks.filter { $0.value != 0 }
    }

    /// Our folded lines as stack -> value, frames named by their binary or unknown as "[?]".
    static func ours(_ text: String) -> [String: Int64] {
        var stacks: [String: Int64] = [:]
        for line in text.split(separator: "\n") {
            guard let space = line.lastIndex(of: " "), let value = Int64(line[line.index(after: space)...]) else {
                Issue.record("not a folded line: \(line)")
                continue
            }
            let frames = line[..<space].split(separator: ";", omittingEmptySubsequences: false).map { frame in
                (frame.hasPrefix("[") && frame.hasSuffix("]")) || frame == "<unknown>" ? "[?]" : String(frame)
            }
            stacks[frames.joined(separator: ";"), default: 0] += value
        }
        return stacks
    }

    func compareFolded(_ path: String, _ profile: PprofProfile, sampleIndex: String?, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let tree = try CallTree(profile, options: TopOptions(sampleIndex: sampleIndex))
        let text = FoldedStacks.text(tree)
        let mine = Self.ours(text)
        let theirs = try Self.rawStacks(path, column: tree.sampleTypeIndex)
        #expect(!theirs.isEmpty, "\(path): pprof -raw listed no stack", sourceLocation: sourceLocation)
        #expect(Set(mine.keys) == Set(theirs.keys), "\(path) \(sampleIndex ?? "default"): stacks differ", sourceLocation: sourceLocation)
        for (stack, value) in theirs where mine[stack] != value {
            Issue.record("\(path) \(sampleIndex ?? "default"): \(stack) is \(mine[stack] ?? 0), pprof -raw sums \(value)", sourceLocation: sourceLocation)
            break
        }
        // Each distinct stack once, and the lines add up to the tree's root but for the
        // samples without any frame (threadcreate has them), which -raw leaves out too.
        #expect(mine.count == text.split(separator: "\n").count, sourceLocation: sourceLocation)
        #expect(mine.values.reduce(0, +) == tree.nodes[0].total - tree.nodes[0].selfValue, sourceLocation: sourceLocation)
    }

    @Test("Folded stacks of every kind, every sample type, equal go tool pprof -raw's stacks and totals", arguments: kinds)
    func foldedMatchesRaw(_ kind: ProfileKind) async throws {
        let capture = try await ProfilingFixture.capture(kind)
        let profile = try #require(capture.captured.profile)
        try compareFolded(capture.path, profile, sampleIndex: nil)
        for type in profile.sampleTypes.map(\.type) { try compareFolded(capture.path, profile, sampleIndex: type) }
    }

    @Test("Folded stacks of generated profiles with inlined frames and recursion equal -raw's")
    func foldedGenerated() throws {
        for seed in UInt64(40)..<UInt64(44) {
            let shape = SyntheticProfile(seed: seed, functions: 80, samples: 600, maxDepth: 30, inlineShare: 0.5, recursionShare: 0.4)
            let path = try temporaryFile(shape.encoded(), name: "folded\(seed).pb.gz")
            try compareFolded(path, try PprofDecoder.decode(contentsOf: path), sampleIndex: nil)
        }
    }

    func comparePeek(
        _ path: String, _ profile: PprofProfile, _ regex: String, _ options: TopOptions = TopOptions(), _ flags: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let ours = try PeekReport(profile, symbol: regex, options: options)
        let theirs = try GoPprof.run(["-peek", regex] + flags, path)
        #expect(!ours.entries.isEmpty, "\(path) \(regex): no entry", sourceLocation: sourceLocation)
        // Below the header lines, byte for byte (the header is the top table's, tested there).
        let below = { (text: String) in text.range(of: PeekReport.separator).map { String(text[$0.lowerBound...]) } ?? "" }
        #expect(!below(theirs).isEmpty, sourceLocation: sourceLocation)
        if let difference = firstDifference(below(ours.text()), below(theirs)) {
            Issue.record("-peek \(regex) \(flags) on \(path): \(difference)", sourceLocation: sourceLocation)
        }
        #expect(ours.text() == theirs, "the header lines too", sourceLocation: sourceLocation)
    }

    @Test("--peek on every kind equals go tool pprof -peek", arguments: kinds)
    func peekMatchesPprof(_ kind: ProfileKind) async throws {
        let capture = try await ProfilingFixture.capture(kind)
        let profile = try #require(capture.captured.profile)
        for regex in ["main\\.", "runtime\\.(gopark|mallocgc|main)$", "sync|sha256|chan"] {
            let report = try PeekReport(profile, symbol: regex)
            guard !report.entries.isEmpty else { continue }
            try comparePeek(capture.path, profile, regex)
        }
        try comparePeek(capture.path, profile, ".")
        if kind == .profile {
            try comparePeek(capture.path, profile, "burn|Sum256", TopOptions(granularity: .lines), ["-lines"])
            try comparePeek(capture.path, profile, "sha256", TopOptions(sampleIndex: "samples"), ["-sample_index=samples"])
            try comparePeek(capture.path, profile, "sha256", TopOptions(order: .cum), ["-cum"])
        }
    }

    @Test("peek of generated profiles (inline marks, recursion, ties) equals go tool pprof -peek")
    func peekGenerated() throws {
        for seed in UInt64(50)..<UInt64(54) {
            let shape = SyntheticProfile(seed: seed, functions: 60, samples: 500, maxDepth: 25, inlineShare: 0.5, recursionShare: 0.4)
            let path = try temporaryFile(shape.encoded(), name: "peek\(seed).pb.gz")
            let profile = try PprofDecoder.decode(contentsOf: path)
            try comparePeek(path, profile, ".")
            try comparePeek(path, profile, "[0-9]$", TopOptions(granularity: .lines), ["-lines"])
        }
    }

    @Test("The command: pprof FILE --folded (-i for another type) and --peek REGEX print what the library computes; no match fails")
    func command() async throws {
        let binary = Paths.teleportTopBinary.path
        let heap = try await ProfilingFixture.capture(.heap)
        let profile = try #require(heap.captured.profile)
        let folded = try await runWithDeadlineOffPool(binary, ["pprof", heap.path, "--folded"], timeout: .seconds(60))
        #expect(folded.status == 0, "\(folded.stderr)")
        #expect(folded.stdout == FoldedStacks.text(try CallTree(profile)))
        #expect(Self.ours(folded.stdout) == (try Self.rawStacks(heap.path, column: try profile.sampleTypeIndex(nil))))
        let allocated = try await runWithDeadlineOffPool(binary, ["pprof", heap.path, "--folded", "-i", "alloc_objects"], timeout: .seconds(60))
        #expect(allocated.status == 0, "\(allocated.stderr)")
        #expect(Self.ours(allocated.stdout) == (try Self.rawStacks(heap.path, column: try profile.sampleTypeIndex("alloc_objects"))))
        #expect(allocated.stdout != folded.stdout)

        let cpu = try await ProfilingFixture.capture(.profile)
        let peek = try await runWithDeadlineOffPool(binary, ["pprof", cpu.path, "--peek", "sha256"], timeout: .seconds(60))
        #expect(peek.status == 0, "\(peek.stderr)")
        #expect(firstDifference(peek.stdout, try GoPprof.run(["-peek", "sha256"], cpu.path)) == nil)
        let none = try await runWithDeadlineOffPool(binary, ["pprof", cpu.path, "--peek", "no-such-function"], timeout: .seconds(60))
        #expect(none.status == 1)
        #expect(none.stderr == "teleport-top: no matches found for regexp: no-such-function\n")
        let both = try await runWithDeadlineOffPool(binary, ["pprof", cpu.path, "--peek", "x", "--folded"], timeout: .seconds(60))
        #expect(both.status != 0)
        #expect(both.stdout.isEmpty)
    }
}
