import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

/// `teleport-top profile` and `teleport-top pprof` as a user runs them, against the Go
/// fixture and `go tool pprof`.
@Suite("teleport-top profile and pprof, end to end", .serialized, .enabled(if: Prerequisites.required(Prerequisites.go)))
struct ProfileCommandTests {
    let binary = Paths.teleportTopBinary.path
    let tar = Prerequisites.which("tar") ?? "/bin/tar"

    /// The tarball's entries as `tar -tzvf` lists them: (mode, name).
    func listing(_ bytes: Data) async throws -> [(mode: String, name: String)] {
        let path = try temporaryFile([UInt8](bytes), name: "profiles.tar.gz")
        let result = try await runWithDeadlineOffPool(tar, ["-tzvf", path], timeout: .seconds(30))
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return (String(fields.first ?? ""), String(fields.last ?? ""))
        }
    }

    func extract(_ bytes: Data) async throws -> URL {
        let path = try temporaryFile([UInt8](bytes), name: "profiles.tar.gz")
        let out = Paths.temporaryDirectory("untar")
        let result = try await runWithDeadlineOffPool(tar, ["-xzf", path, "-C", out.path], timeout: .seconds(30))
        #expect(result.status == 0, "\(result.stderr)")
        return out
    }

    @Test("The tarball: entries <name>.pprof in the order asked, mode 0600, each decodes; -s reaches the server as ?seconds=")
    func tarball() async throws {
        let fixture = try await GoFixture.start(["-debug"])
        let result = try await runWithDeadlineOffPool(
            binary, ["profile", "--diag-addr", fixture.baseURL, "mutex,goroutine,heap,heap,profile,cmdline", "-s", "1"],
            timeout: .seconds(90))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let entries = try await listing(result.data)
        #expect(entries.map(\.name) == ["mutex.pprof", "goroutine.pprof", "heap.pprof", "profile.pprof", "cmdline.pprof"])
        #expect(entries.allSatisfy { $0.mode == "-rw-------" }, "\(entries)")
        let folder = try await extract(result.data)
        for name in ["mutex", "goroutine", "heap", "profile"] {
            let profile = try PprofDecoder.decode(contentsOf: folder.appendingPathComponent("\(name).pprof").path)
            #expect(!profile.sampleTypes.isEmpty, "\(name)")
        }
        let goroutines = try PprofDecoder.decode(contentsOf: folder.appendingPathComponent("goroutine.pprof").path)
        // With -s the goroutine profile is a delta over that second, so only its shape is fixed.
        #expect(goroutines.sampleTypes.map(\.type) == ["goroutine"])
        let cmdline = try String(contentsOf: folder.appendingPathComponent("cmdline.pprof"), encoding: .utf8)
        #expect(cmdline.contains("-debug"))

        let seconds = try await runWithDeadlineOffPool(binary, ["profile", "--diag-addr", fixture.baseURL, "heap", "-s", "3"], timeout: .seconds(60))
        #expect(seconds.status == 0, "\(seconds.stderr)")
        let secondsListing = try await listing(seconds.data)
        #expect(secondsListing.map(\.name) == ["heap.pprof"])
        let log = fixture.process.stderr
        #expect(log.contains("GET /debug/pprof/heap?seconds=3"), "\(log.suffix(10))")
        #expect(log.contains("GET /debug/pprof/mutex?seconds=1"))
        #expect(log.contains("GET /debug/pprof/profile?seconds=1"))
        await fixture.stop()
    }

    @Test("Default list goroutine,heap,profile with profile at 10 s; over the debug socket too")
    func defaultsOverSocket() async throws {
        let socket = Paths.temporaryDirectory("psock").appendingPathComponent("debug.sock").path
        let fixture = try await GoFixture.start(["-debug", "-listen", "off", "-unix", socket])
        let result = try await runWithDeadlineOffPool(binary, ["profile", "--debug-socket", socket], timeout: .seconds(90))
        #expect(result.status == 0, "\(result.stderr)")
        let socketListing = try await listing(result.data)
        #expect(socketListing.map(\.name) == ["goroutine.pprof", "heap.pprof", "profile.pprof"])
        let log = fixture.process.stderr
        #expect(log.contains("GET /debug/pprof/profile?seconds=10"))
        #expect(log.contains("GET /debug/pprof/goroutine"))
        #expect(!log.contains("GET /debug/pprof/goroutine?"))
        await fixture.stop()
    }

    @Test("Unsupported names, pprof off (404), no target, --embedded and a terminal stdout fail with one clear line and no output")
    func failures() async throws {
        let unsupported = try await runWithDeadlineOffPool(binary, ["profile", "--diag-addr", "127.0.0.1:1", "heap,bogus"])
        #expect(unsupported.status != 0)
        #expect(unsupported.stderr == "teleport-top: \"bogus\" profile not supported\n")
        #expect(unsupported.data.isEmpty)

        let fixture = try await GoFixture.start()
        let off = try await runWithDeadlineOffPool(binary, ["profile", "--diag-addr", fixture.baseURL, "goroutine"])
        #expect(off.status != 0)
        #expect(off.stderr == "teleport-top: Unable to collect profile \"goroutine\": 404 page not found (\(ProfileCaptureError.pprofOffMessage))\n")
        #expect(off.data.isEmpty)
        await fixture.stop()

        if !FileManager.default.fileExists(atPath: "/etc/teleport.yaml") {
            let none = try await runWithDeadlineOffPool(binary, ["profile"], environment: ["PATH": "/usr/bin:/bin", "HOME": "/tmp"])
            #expect(none.status != 0)
            #expect(none.stderr == "teleport-top: \(SourceResolver.noProcessMessage)\n")
        }
        // There is no --embedded here: profiles come from a real process only.
        let embedded = try await runWithDeadlineOffPool(binary, ["profile", "--embedded"])
        #expect(embedded.status != 0)
        #expect(embedded.stderr.contains("Unknown option '--embedded'"), "\(embedded.stderr)")

        if let script = Prerequisites.which("script") {
            let tty = try await runWithDeadlineOffPool(script, ["-qec", "\(binary) profile --diag-addr 127.0.0.1:1 heap", "/dev/null"])
            #expect(tty.stdout.contains("refusing to write a gzip-compressed tar to a terminal"), "\(tty.stdout)")
        }
    }

    @Test("pprof FILE --top 20 prints what go tool pprof -top -nodecount=20 prints; without --top, what -top prints")
    func pprofMatchesGo() async throws {
        let cpu = try await ProfilingFixture.capture(.profile)
        let heap = try await ProfilingFixture.capture(.heap)
        let cases: [(String, [String], [String])] = [
            (cpu.path, ["--top", "20"], ["-nodecount=20"]),
            (cpu.path, [], []),
            (cpu.path, ["--top", "10", "--lines"], ["-nodecount=10", "-lines"]),
            (cpu.path, ["--top", "10", "--cum", "--focus", "burn"], ["-nodecount=10", "-cum", "-focus=burn"]),
            (heap.path, ["--top", "20", "--sample-index", "alloc_space"], ["-nodecount=20", "-sample_index=alloc_space"]),
        ]
        for (file, ours, theirs) in cases {
            let result = try await runWithDeadlineOffPool(binary, ["pprof", file] + ours, timeout: .seconds(60))
            #expect(result.status == 0, "\(result.stderr)")
            let expected = try GoPprof.top(theirs, file)
            #expect(firstDifference(result.stdout, expected) == nil, "\(ours): \(firstDifference(result.stdout, expected) ?? "")")
        }
        let goroutines = try await ProfilingFixture.capture(.goroutine)
        let grouped = try await runWithDeadlineOffPool(binary, ["pprof", goroutines.path, "--goroutines"])
        #expect(grouped.status == 0)
        #expect(grouped.stdout.contains("\n5 goroutines\n"))
        #expect(grouped.stdout.contains("main.parkedOnChannel"))
    }

    @Test("pprof on hostile names escapes them; on a trace, an HTML page, an empty or missing file it fails with one line")
    func pprofHostileAndBad() async throws {
        let hostile = SyntheticProfile(seed: 9, functions: 20, samples: 200, nameDecoration: "\u{1B}[2J\u{1B}]0;owned\u{07}\u{202E}x")
        let path = try temporaryFile(hostile.encoded(), name: "hostile.pb.gz")
        let result = try await runWithDeadlineOffPool(binary, ["pprof", path, "--top", "5"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.data.contains(0x1B))
        #expect(!result.data.contains(0x07))
        #expect(!result.stdout.unicodeScalars.contains("\u{202E}"))
        #expect(result.stdout.contains("\\e[2J\\e]0;owned\\x07\\u{202E}x"))

        let trace = try await ProfilingFixture.capture(.trace)
        let html = try temporaryFile(Array("<html><body>login</body></html>".utf8), name: "page.html")
        let empty = try temporaryFile([], name: "empty.pb.gz")
        let truncated = try temporaryFile(Array(hostile.encoded().dropLast(40)), name: "cut.pb.gz")
        for (file, message) in [
            (trace.path, "not a pprof profile"), (html, "not a pprof profile: the body is an HTML page"),
            (empty, "not a pprof profile: the body is empty (0 bytes)"), (truncated, "the gzip stream is truncated or corrupt"),
            ("/nonexistent/x.pb.gz", "/nonexistent/x.pb.gz: cannot be read: No such file or directory"),
        ] {
            let bad = try await runWithDeadlineOffPool(binary, ["pprof", file])
            #expect(bad.status == 1, "\(file)")
            #expect(bad.stderr.hasPrefix("teleport-top: \(file): ") && bad.stderr.contains(message), "\(bad.stderr)")
            #expect(bad.stderr.split(separator: "\n").count == 1)
            #expect(bad.stdout.isEmpty)
        }
        let badIndex = try await runWithDeadlineOffPool(binary, ["pprof", path, "--sample-index", "nope"])
        #expect(badIndex.stderr == "teleport-top: sample_index \"nope\" must be one of: [samples cpu]\n")
    }
}
