import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

/// The top-N report against the real `go tool pprof -top` on the same files: generated
/// profiles with inlined frames, recursion, ties, many small nodes (the dropping rule) and
/// values over many magnitudes in several units, under every option we copy.
@Suite("Top report equals go tool pprof -top on generated profiles", .serialized, .enabled(if: Prerequisites.required(GoPprof.available)))
struct TopReportPeerTests {
    /// Our text and pprof's for one file and one set of flags.
    func compare(_ path: String, _ options: TopOptions, _ flags: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let profile = try PprofDecoder.decode(contentsOf: path)
        let ours = try TopReport(profile, options: options).text()
        let theirs = try GoPprof.top(flags, path)
        #expect(!theirs.isEmpty, sourceLocation: sourceLocation)
        if let difference = firstDifference(ours, theirs) {
            Issue.record("\(flags) on \(path): \(difference)", sourceLocation: sourceLocation)
        }
    }

    static let shapes: [(String, SyntheticProfile)] = [
        ("cpu", SyntheticProfile(seed: 1)),
        (
            "bytes",
            SyntheticProfile(
                seed: 2, functions: 400, samples: 3000,
                sampleTypes: [("alloc_objects", "count"), ("alloc_space", "bytes"), ("inuse_objects", "count"), ("inuse_space", "bytes")],
                magnitude: 10, durationNanos: 0)
        ),
        (
            "contention",
            SyntheticProfile(
                seed: 3, functions: 60, samples: 400, sampleTypes: [("contentions", "count"), ("delay", "nanoseconds")],
                magnitude: 12, inlineShare: 0.5, recursionShare: 0.4)
        ),
        (
            "micro",
            SyntheticProfile(
                seed: 4, functions: 900, locationsPerFunction: 2, samples: 5000, maxDepth: 40,
                sampleTypes: [("samples", "count"), ("wall", "microseconds")], magnitude: 5)
        ),
        (
            "tiny",
            SyntheticProfile(
                seed: 5, functions: 5, locationsPerFunction: 1, samples: 7, maxDepth: 4,
                sampleTypes: [("goroutine", "count")], timeNanos: 0, durationNanos: 0)
        ),
    ]

    @Test("Default -top, -nodecount=20, -cum, -lines, every sample index", arguments: shapes.map(\.0))
    func generated(_ name: String) throws {
        let shape = try #require(Self.shapes.first { $0.0 == name }?.1)
        let path = try temporaryFile(shape.encoded(), name: "\(name).pb.gz")
        try compare(path, TopOptions(), [])
        try compare(path, TopOptions(nodeCount: 20), ["-nodecount=20"])
        try compare(path, TopOptions(nodeCount: 15, order: .cum), ["-nodecount=15", "-cum"])
        try compare(path, TopOptions(nodeCount: 25, granularity: .lines), ["-nodecount=25", "-lines"])
        for (index, type) in shape.sampleTypes.enumerated() {
            try compare(path, TopOptions(sampleIndex: type.type, nodeCount: 20), ["-nodecount=20", "-sample_index=\(type.type)"])
            try compare(path, TopOptions(sampleIndex: String(index), nodeCount: 10, order: .cum), ["-nodecount=10", "-cum", "-sample_index=\(index)"])
        }
    }

    @Test("-focus keeps the samples with a matching frame and the shares of the whole profile")
    func focus() throws {
        let path = try temporaryFile(SyntheticProfile(seed: 11, functions: 300, samples: 4000).encoded(), name: "focus.pb.gz")
        for pattern in ["auth", "Serve|Write", "^runtime\\.", "file1[0-9]\\.go", "teleport$", "nothing-matches-this"] {
            try compare(path, TopOptions(nodeCount: 20, focus: pattern), ["-nodecount=20", "-focus=\(pattern)"])
            try compare(
                path, TopOptions(nodeCount: 12, granularity: .lines, order: .cum, focus: pattern),
                ["-nodecount=12", "-lines", "-cum", "-focus=\(pattern)"])
        }
    }

    @Test("Many random shapes, default flags (property check over seeds)")
    func seeds() throws {
        for seed in UInt64(20)..<UInt64(30) {
            var random = SplitMix64(seed: seed)
            let shape = SyntheticProfile(
                seed: seed, functions: 5 + random.next(below: 600), locationsPerFunction: 1 + random.next(below: 4),
                samples: 1 + random.next(below: 3000), maxDepth: 2 + random.next(below: 50),
                sampleTypes: [
                    ("samples", "count"), [("cpu", "nanoseconds"), ("space", "bytes"), ("delay", "seconds"), ("wall", "milliseconds")][random.next(below: 4)],
                ],
                magnitude: 1 + random.next(below: 12), inlineShare: random.unit(), recursionShare: random.unit() * 0.6)
            let path = try temporaryFile(shape.encoded(gzip: seed % 2 == 0), name: "seed\(seed).pb.gz")
            try compare(path, TopOptions(nodeCount: 30), ["-nodecount=30"])
            try compare(path, TopOptions(granularity: .lines, order: .cum), ["-lines", "-cum"])
        }
    }

    @Test("Sample index errors read as pprof's")
    func sampleIndexErrors() throws {
        let profile = try PprofDecoder.decode(SyntheticProfile(seed: 1).encoded())
        #expect(throws: PprofReportError.unknownSampleType("inuse_space", known: ["samples", "cpu"])) {
            try TopReport(profile, options: TopOptions(sampleIndex: "inuse_space"))
        }
        let error = try #require(throws: PprofReportError.self) { try TopReport(profile, options: TopOptions(sampleIndex: "7")) }
        #expect(error.description == "sample_index 7 is outside the range [0..1]")
        #expect(throws: PprofReportError.self) { try TopReport(profile, options: TopOptions(focus: "(unclosed")) }
    }
}

/// Go's filepath.Clean and Base, checked against Go itself.
@Suite("Go path cleaning", .enabled(if: Prerequisites.required(GoPprof.available)))
struct GoPathTests {
    @Test("Clean and Base agree with Go on tricky paths")
    func againstGo() throws {
        let paths = [
            "", ".", "..", "/", "//", "a//b", "a/./b/", "a/b/../c", "a/b/../../..", "/../a", "../../a/b/..", "src//x/../x/./f.go",
            "/proc/self/cwd/./a.go", "a/b/c/../../d", "/a/b/../../../c", "./a", "a/..", "/a/..", "abc/def/..//ghi/./", "é/ü/../ö",
        ]
        let directory = Paths.temporaryDirectory("gopath")
        let source = directory.appendingPathComponent("main.go")
        let literal = paths.map { "\"\($0)\"" }.joined(separator: ", ")
        try """
        package main

        import (
        \t"fmt"
        \t"path/filepath"
        )

        func main() {
        \tfor _, p := range []string{\(literal)} {
        \t\tfmt.Printf("%s\\t%s\\n", filepath.Clean(p), filepath.Base(p))
        \t}
        }
        """.write(to: source, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["GO111MODULE"] = "off"
        environment["GOCACHE"] = Paths.fixtureCache.appendingPathComponent("gocache").path
        let result = try runWithDeadline(try #require(GoPprof.go), ["run", source.path], timeout: .seconds(120), environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == paths.count)
        for (path, line) in zip(paths, lines) {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            #expect(GoPath.clean(path) == parts[0], "Clean(\(path))")
            #expect(GoPath.base(path) == parts[1], "Base(\(path))")
        }
    }
}
