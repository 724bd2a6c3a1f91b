import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

/// Captures of every kind from a real Go process with net/http/pprof (the godiag fixture
/// with -debug), over HTTP and the unix socket, and our reports of them against
/// `go tool pprof` on the same files.
@Suite("Profiles of a real Go process", .enabled(if: Prerequisites.required(Prerequisites.go)))
struct GoFixtureProfileTests {
    func total(_ capture: ProfilingFixture.Capture, _ type: String) throws -> Int64 {
        let profile = try #require(capture.captured.profile)
        return profile.total(sampleTypeIndex: try profile.sampleTypeIndex(type))
    }

    @Test("Every kind over HTTP decodes, with enough samples that comparisons mean something")
    func everyKindOverHTTP() async throws {
        let cpu = try await ProfilingFixture.capture(.profile)
        #expect(cpu.captured.seconds == 3)
        #expect(cpu.captured.profile?.sampleTypes.map(\.type) == ["samples", "cpu"])
        #expect(try total(cpu, "samples") >= 10)
        #expect(try TopReport(#require(cpu.captured.profile)).rows.contains { $0.name == "main.burnCPU" && $0.cum > 0 })

        let heap = try await ProfilingFixture.capture(.heap)
        #expect(heap.captured.profile?.sampleTypes.map(\.type) == ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"])
        #expect(try total(heap, "inuse_space") >= 4 << 20)
        let allocs = try await ProfilingFixture.capture(.allocs)
        #expect(allocs.captured.profile?.defaultSampleType == "alloc_space")
        #expect(try total(allocs, "alloc_space") >= 4 << 20)

        let goroutine = try await ProfilingFixture.capture(.goroutine)
        #expect(try total(goroutine, "goroutine") >= 15)
        let block = try await ProfilingFixture.capture(.block)
        #expect(try total(block, "contentions") >= 5)
        #expect(try total(block, "delay") > 0)
        let mutex = try await ProfilingFixture.capture(.mutex)
        #expect(try total(mutex, "contentions") >= 1)
        let threads = try await ProfilingFixture.capture(.threadcreate)
        #expect(try total(threads, "threadcreate") >= 2)

        let trace = try await ProfilingFixture.capture(.trace)
        #expect(trace.captured.profile == nil)
        #expect(trace.captured.body.count > 1000)
        #expect(String(decoding: trace.captured.body.prefix(16), as: UTF8.self).hasPrefix("go 1."))
        let cmdline = try await ProfilingFixture.capture(.cmdline)
        let arguments = String(decoding: cmdline.captured.body, as: UTF8.self).split(separator: "\0")
        #expect(arguments.contains("-debug"))
        #expect(arguments.first?.hasSuffix("godiag") == true)
    }

    @Test("Every kind over the unix socket (host debug)")
    func everyKindOverSocket() async throws {
        // Go runs one CPU profile at a time ("cpu profiling already in use"): after the HTTP captures.
        _ = try await ProfilingFixture.captures.value
        let client = try DiagClient(target: .socket(path: ProfilingFixture.socketPath), options: .init(timeout: .seconds(20)))
        for kind in ProfileKind.allCases {
            let captured = try await ProfileCapture(kind: kind, seconds: kind.isTimed ? 1 : nil).run(client: client)
            #expect(captured.target == ProfilingFixture.socketPath)
            #expect(!captured.body.isEmpty, "\(kind)")
            if kind.isPprof {
                let profile = try #require(captured.profile, "\(kind)")
                #expect(!profile.sampleTypes.isEmpty)
                if kind == .goroutine { #expect(profile.total(sampleTypeIndex: 0) >= 15) }
                if kind == .heap { #expect(profile.total(sampleTypeIndex: try profile.sampleTypeIndex("inuse_space")) >= 4 << 20) }
            }
        }
        await client.shutdown()
        let log = try await ProfilingFixture.instance.value.process.stderr
        #expect(log.contains("GET /debug/pprof/profile?seconds=1"))
        #expect(log.contains("GET /debug/pprof/heap"))
    }

    @Test(
        "Top 20 of cpu, heap, goroutine, block, mutex, allocs equal go tool pprof -top -nodecount=20",
        arguments: [ProfileKind.profile, .heap, .goroutine, .block, .mutex, .allocs, .threadcreate])
    func topMatchesPprof(_ kind: ProfileKind) async throws {
        let capture = try await ProfilingFixture.capture(kind)
        let ours = try TopReport(#require(capture.captured.profile), options: TopOptions(nodeCount: 20)).text()
        let theirs = try GoPprof.top(["-nodecount=20"], capture.path)
        #expect(firstDifference(ours, theirs) == nil, "\(firstDifference(ours, theirs) ?? "")")
        // Rows below the column header: enough that "equal" is not two empty tables.
        let rows = theirs.split(separator: "\n").drop { !$0.hasPrefix("      flat  flat%") }.dropFirst()
        #expect(rows.count >= ([.profile, .heap, .goroutine].contains(kind) ? 8 : 1), "\(theirs)")
    }

    @Test("Lines mode, sample indexes, focus and cum on the real captures equal pprof's")
    func modesMatchPprof() async throws {
        let cpu = try await ProfilingFixture.capture(.profile)
        let heap = try await ProfilingFixture.capture(.heap)
        let block = try await ProfilingFixture.capture(.block)
        let cases: [(ProfilingFixture.Capture, TopOptions, [String])] = [
            (cpu, TopOptions(nodeCount: 20, granularity: .lines), ["-nodecount=20", "-lines"]),
            (cpu, TopOptions(granularity: .lines), ["-lines"]),
            (cpu, TopOptions(sampleIndex: "samples", nodeCount: 20), ["-nodecount=20", "-sample_index=samples"]),
            (cpu, TopOptions(nodeCount: 20, focus: "burn"), ["-nodecount=20", "-focus=burn"]),
            (cpu, TopOptions(nodeCount: 20, order: .cum, focus: "sha256"), ["-nodecount=20", "-cum", "-focus=sha256"]),
            (heap, TopOptions(sampleIndex: "alloc_space", nodeCount: 20), ["-nodecount=20", "-sample_index=alloc_space"]),
            (heap, TopOptions(sampleIndex: "inuse_objects", nodeCount: 20), ["-nodecount=20", "-sample_index=inuse_objects"]),
            (heap, TopOptions(sampleIndex: "alloc_objects", nodeCount: 20, granularity: .lines), ["-nodecount=20", "-sample_index=alloc_objects", "-lines"]),
            (heap, TopOptions(nodeCount: 20, focus: "retain"), ["-nodecount=20", "-focus=retain"]),
            (block, TopOptions(sampleIndex: "contentions", nodeCount: 20), ["-nodecount=20", "-sample_index=contentions"]),
            (block, TopOptions(nodeCount: 20, order: .cum), ["-nodecount=20", "-cum"]),
        ]
        for (capture, options, flags) in cases {
            let ours = try TopReport(#require(capture.captured.profile), options: options).text()
            let theirs = try GoPprof.top(flags, capture.path)
            #expect(firstDifference(ours, theirs) == nil, "\(capture.kind) \(flags): \(firstDifference(ours, theirs) ?? "")")
        }
    }

    @Test("Goroutine groups: counts are the profile's sample values, stacks as go tool pprof -traces lists them")
    func goroutineGroups() async throws {
        let capture = try await ProfilingFixture.capture(.goroutine)
        let profile = try #require(capture.captured.profile)
        let groups = GoroutineGroup.groups(profile)
        #expect(groups.reduce(0) { $0 + $1.count } == profile.total(sampleTypeIndex: 0))
        // The fixture parks 5, 3 and 2 goroutines in functions of their own.
        for (function, count) in [("main.parkedOnChannel", Int64(5)), ("main.parkedInSelect", 3), ("main.parkedOnCond", 2)] {
            let group = try #require(groups.first { $0.frames.contains { $0.function == function } }, "\(function)")
            #expect(group.count == count, "\(function)")
        }
        #expect(groups.map(\.count) == groups.map(\.count).sorted(by: >))

        // go tool pprof -traces prints one block per sample: its value, then its frames.
        let traces = try GoPprof.run(["-traces"], capture.path)
        var fromPprof: [String: Int64] = [:]
        for block in traces.components(separatedBy: "-----------+-------------------------------------------------------").dropFirst() {
            let lines = block.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            guard let first = lines.first, let value = Int64(first.prefix(10).trimmingCharacters(in: .whitespaces)) else { continue }
            let frames = lines.map { line in
                String(line.dropFirst(13)).replacingOccurrences(of: " (inline)", with: "")
            }
            fromPprof[frames.joined(separator: "\n"), default: 0] += value
        }
        var ours: [String: Int64] = [:]
        // -traces leaves out samples without frames (a goroutine caught while starting).
        for group in groups where !group.frames.isEmpty {
            ours[group.frames.map(\.function).joined(separator: "\n"), default: 0] += group.count
        }
        #expect(ours == fromPprof)
        #expect(fromPprof.count >= 5)
    }
}
