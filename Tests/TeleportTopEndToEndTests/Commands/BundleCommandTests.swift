import Foundation
import TeleportTopTestPeers
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// `teleport-top bundle` as a user runs it, against the Go fixture and the embedded engine:
/// every file the index lists is there and opens with its own tool (`tar`, `go tool pprof`,
/// `python3 -m json.tool`, opentelemetry-proto's JSON format, `snapshot --from`), planted
/// secrets never reach the tar, and the fault paths keep what they can and say what failed.
@Suite("teleport-top bundle, end to end", .serialized, .enabled(if: Prerequisites.required(Prerequisites.go)))
struct BundleCommandTests {
    let binary = Paths.teleportTopBinary.path

    /// A bundle unpacked: its folder and the README's file list.
    struct Unpacked {
        var folder: URL
        var readme: String
        /// The files the index lists under "Files" (README.txt included).
        var listed: [String]

        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        func text(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }
        func has(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

        /// The index's rows under a heading ("Left out", "Failed while collecting").
        func rows(_ heading: String) -> [String] {
            let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let start = lines.firstIndex(of: heading) else { return [] }
            return Array(lines[(start + 1)...].prefix { !$0.isEmpty }).filter { $0.hasPrefix("  ") && !$0.hasPrefix("    ") }
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    /// `tar -xzf` into a fresh folder; the one folder it holds, and the index read.
    func unpack(_ archive: String) async throws -> Unpacked {
        let out = Paths.temporaryDirectory("bundle-x")
        let result = try await runWithDeadlineOffPool("/bin/tar", ["-xzf", archive, "-C", out.path], timeout: .seconds(60))
        #expect(result.status == 0, "tar: \(result.stderr)")
        let top = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(top.count == 1 && top[0].hasPrefix("teleport-top-bundle-"), "\(top)")
        let folder = out.appendingPathComponent(top[0])
        let readme = try String(contentsOf: folder.appendingPathComponent("README.txt"), encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "Files"))
        let listed = lines[(start + 1)...].prefix { !$0.isEmpty }.filter { !$0.hasPrefix("    ") }.compactMap {
            $0.split(separator: " ", omittingEmptySubsequences: true).first.map(String.init)
        }
        return Unpacked(folder: folder, readme: readme, listed: listed)
    }

    /// Every file the index lists exists, and every file that exists is listed.
    func checkIndex(_ bundle: Unpacked) throws {
        let enumerator = FileManager.default.enumerator(atPath: bundle.folder.path)
        var present: [String] = []
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: bundle.path(name), isDirectory: &isDirectory), !isDirectory.boolValue { present.append(name) }
        }
        #expect(Set(present) == Set(bundle.listed), "listed \(bundle.listed), present \(present)")
    }

    /// Each JSON file through `python3 -m json.tool`, each pprof file through `go tool pprof -top`.
    func openEach(_ bundle: Unpacked) async throws {
        for name in bundle.listed where name.hasSuffix(".json") {
            let result = try await runWithDeadlineOffPool("/usr/bin/python3", ["-m", "json.tool", bundle.path(name)], timeout: .seconds(60))
            #expect(result.status == 0, "json.tool \(name): \(result.stderr)")
        }
        for name in bundle.listed where name.hasSuffix(".pb.gz") {
            let top = try GoPprof.top([], bundle.path(name))
            #expect(top.contains("flat%"), "go tool pprof -top \(name):\n\(top)")
        }
    }

    /// A snapshot document without what differs between a live and a replayed print of it
    /// (the source's name, the target's label, the uptime counted from "now").
    func comparable(_ json: String) throws -> NSDictionary {
        var document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in ["source", "target", "uptime_seconds"] { document[key] = nil }
        return document as NSDictionary
    }

    @Test("Go fixture: every listed file opens with its tool; snapshot --from the bundled recording equals snapshot.json; no planted secret in the tar")
    func goFixture() async throws {
        let folder = Paths.temporaryDirectory("bundle-go")
        let socket = folder.appendingPathComponent("debug.sock").path
        let fixture = try await GoFixture.start(["-debug", "-unix", socket, "-log-stream", "200ms"])
        defer { Task { await fixture.stop() } }
        let config = folder.appendingPathComponent("teleport.yaml").path
        try PlantedConfig.yaml.write(toFile: config, atomically: true, encoding: .utf8)
        let archive = folder.appendingPathComponent("incident.tar.gz").path
        let result = try await runWithDeadlineOffPool(
            binary,
            [
                "bundle", "--diag-addr", fixture.baseURL, "--debug-socket", socket, "-c", config, "--for", "6s", "--interval", "500ms",
                "--profile-seconds", "2", "-o", archive,
            ], timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote \(archive)"), "\(result.stdout)")
        #expect((try FileManager.default.attributesOfItem(atPath: archive)[.posixPermissions] as? Int) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }.isEmpty)

        let bundle = try await unpack(archive)
        try checkIndex(bundle)
        for name in [
            "snapshot.txt", "snapshot.json", "findings.txt", "findings.json", "recording/000001.ttrec", "profiles/cpu.pb.gz", "profiles/heap.pb.gz",
            "profiles/goroutine.pb.gz", "profiles/goroutine-debug2.txt", "logs.ndjson", "teleport.yaml", "versions.txt",
        ] {
            #expect(bundle.listed.contains(name), "\(name) missing from the index:\n\(bundle.readme)")
        }
        #expect(bundle.readme.contains("command    teleport-top bundle --diag-addr"))
        #expect(bundle.rows("Left out").contains { $0.hasPrefix("spans.otlp.json") }, "\(bundle.readme)")
        #expect(bundle.rows("Failed while collecting") == ["nothing"], "\(bundle.readme)")
        try await openEach(bundle)
        #expect(try bundle.text("profiles/goroutine-debug2.txt").contains("goroutine "))
        #expect(try bundle.text("versions.txt").contains("teleport-top   \(TeleportTopVersion.current)"))
        #expect(try bundle.text("snapshot.txt").contains("backend_requests"))
        let logLines = try bundle.text("logs.ndjson").split(separator: "\n")
        #expect(logLines.count >= 5, "a line every 200 ms for 6 s")
        for line in logLines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any]) }

        // The bundled recording, read back as a user would, is the bundled snapshot.
        let recording = bundle.path("recording")
        let replayed = try await runWithDeadlineOffPool(binary, ["snapshot", "--from", recording, "--json"], timeout: .seconds(60))
        #expect(replayed.status == 0, "\(replayed.stderr)")
        #expect(try comparable(replayed.stdout) == comparable(bundle.text("snapshot.json")))

        // No planted secret anywhere: not in any file, not in the tar as a whole.
        let tar = try await runWithDeadlineOffPool("/bin/sh", ["-c", "gzip -dc '\(archive)'"], timeout: .seconds(60))
        for secret in PlantedConfig.secrets { #expect(!tar.stdout.contains(secret), "\(secret) is in the tar") }
        let yaml = try bundle.text("teleport.yaml")
        for kept in PlantedConfig.kept { #expect(yaml.contains(kept), "\(kept)") }
        #expect(yaml.contains(ConfigRedaction.placeholder))
    }

    @Test("Embedded engine: the spans parse with opentelemetry-proto's JSON format (hex IDs); pprof kinds it does not serve are left out with the reason")
    func embedded() async throws {
        let folder = Paths.temporaryDirectory("bundle-emb")
        let archive = folder.appendingPathComponent("b.tar.gz").path
        let result = try await runWithDeadlineOffPool(
            binary, ["bundle", "--embedded", "--for", "5s", "--interval", "500ms", "--profile-seconds", "1", "-o", archive], timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        let bundle = try await unpack(archive)
        try checkIndex(bundle)
        for name in ["snapshot.json", "findings.json", "recording/000001.ttrec", "logs.ndjson", "spans.otlp.json", "versions.txt"] {
            #expect(bundle.listed.contains(name), "\(name):\n\(bundle.readme)")
        }
        #expect(bundle.rows("Left out").contains { $0.hasPrefix("teleport.yaml") })
        // What the engine does not serve is said, never silently missing.
        for name in ["profiles/cpu.pb.gz", "profiles/heap.pb.gz", "profiles/goroutine.pb.gz", "profiles/goroutine-debug2.txt"] {
            #expect(
                bundle.listed.contains(name) || bundle.rows("Left out").contains { $0.hasPrefix(name) }
                    || bundle.rows("Failed while collecting").contains { $0.hasPrefix(name) },
                "\(name):\n\(bundle.readme)")
        }
        try await openEach(bundle)
        if PythonOTel.enabled {
            let check = try await PythonOTel.runScript("check_otlp_json.py", [bundle.path("spans.otlp.json")])
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
            struct Report: Decodable {
                struct Span: Decodable {
                    var trace: String
                    var span: String
                    var name: String
                }
                var spans: [Span]
                var errors: [String]
            }
            let report = try JSONDecoder().decode(Report.self, from: Data(check.stdout.utf8))
            #expect(report.errors.isEmpty, "\(report.errors)")
            #expect(!report.spans.isEmpty)
            // The IDs are the recorded spans' own: the bundled recording holds the same spans.
            let playback = try RecordingPlayback(path: bundle.path("recording"))
            var recorded: [SpanRecord] = []
            for ref in playback.frames(.spans, in: playback.start!...playback.end!) { recorded += try playback.spans(ref) }
            #expect(Set(report.spans.map { "\($0.trace)/\($0.span)" }) == Set(recorded.map { "\($0.traceID.description)/\($0.spanID.description)" }))
        }
    }

    @Test("The target dies part way: the bundle is written with what was collected, and the index says what failed")
    func targetDies() async throws {
        let folder = Paths.temporaryDirectory("bundle-dies")
        let fixture = try await GoFixture.start(["-debug"])
        let archive = folder.appendingPathComponent("b.tar.gz").path
        let bundling = Task {
            try await runWithDeadlineOffPool(
                binary,
                ["bundle", "--diag-addr", fixture.baseURL, "--for", "8s", "--interval", "500ms", "--profile-seconds", "2", "--timeout", "2s", "-o", archive],
                timeout: .seconds(120))
        }
        // Dies once the recording holds some scrapes, before the profiles (the last 2 s).
        try await Task.sleep(for: .seconds(3))
        await fixture.stop()
        let result = try await bundling.value
        #expect(result.status == 0, "\(result.stderr)")
        let bundle = try await unpack(archive)
        try checkIndex(bundle)
        let failed = bundle.rows("Failed while collecting")
        #expect(failed.contains { $0.hasPrefix("scrapes") && $0.contains("stopped answering") }, "\(bundle.readme)")
        #expect(failed.contains { $0.hasPrefix("profiles/cpu.pb.gz") }, "\(bundle.readme)")
        #expect(bundle.has("snapshot.json") && bundle.has("recording/000001.ttrec"))
        let playback = try RecordingPlayback(path: bundle.path("recording"))
        #expect(playback.scrapes.count >= 3)
    }

    @Test("A full disk (ulimit -f) and -o in a missing folder: one clear line, exit 1, nothing under the final name")
    func outputFaults() async throws {
        let folder = Paths.temporaryDirectory("bundle-faults")
        let archive = folder.appendingPathComponent("b.tar.gz").path
        // 8 blocks of 512 bytes: far less than a bundle.
        let full = try await runWithDeadlineOffPool(
            "/bin/sh", ["-c", "ulimit -f 8; exec '\(binary)' bundle --embedded --for 2s --interval 500ms --no-profiles -o '\(archive)'"],
            timeout: .seconds(120))
        #expect(full.status == 1, "\(full.stdout)\(full.stderr)")
        #expect(full.stderr.contains("cannot write \(archive): file too large"), "\(full.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "no file, no temporary file")

        let missing = folder.appendingPathComponent("no/such/b.tar.gz").path
        let started = ContinuousClock.now
        let result = try await runWithDeadlineOffPool(binary, ["bundle", "--embedded", "--for", "60s", "-o", missing], timeout: .seconds(120))
        #expect(result.status == 1)
        #expect(result.stderr == "teleport-top: cannot write \(missing): the folder \(folder.path)/no/such does not exist\n")
        #expect(ContinuousClock.now - started < .seconds(60), "said before watching, not after")
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test("-o - writes the tar to stdout and what it holds to stderr; --no-profiles leaves them out, said so")
    func standardOutput() async throws {
        let result = try await runWithDeadlineOffPool(
            binary, ["bundle", "--embedded", "--for", "2s", "--interval", "500ms", "--no-profiles", "-o", "-"], timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("wrote standard output"), "\(result.stderr)")
        #expect(result.data.prefix(2) == Data([0x1F, 0x8B]), "gzip on stdout")
        let archive = try temporaryFile([UInt8](result.data), name: "stdout.tar.gz")
        let bundle = try await unpack(archive)
        try checkIndex(bundle)
        #expect(bundle.rows("Left out").contains { $0.hasPrefix("profiles/") && $0.hasSuffix("--no-profiles") }, "\(bundle.readme)")
        #expect(!bundle.listed.contains { $0.hasPrefix("profiles/") })
    }

    @Test("A fleet: a folder per instance with its snapshot and findings, the fleet table; --from a recording cut to --window")
    func fleetAndRecording() async throws {
        let folder = Paths.temporaryDirectory("bundle-fleet")
        let archive = folder.appendingPathComponent("fleet.tar.gz").path
        let result = try await runWithDeadlineOffPool(
            binary, ["bundle", "--embedded", "--instances", "3", "--for", "4s", "--interval", "500ms", "--profile-seconds", "1", "-o", archive],
            timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        let bundle = try await unpack(archive)
        try checkIndex(bundle)
        for name in ["fleet.txt", "fleet.json", "findings.txt", "findings.json", "recording/000001.ttrec", "versions.txt"] {
            #expect(bundle.listed.contains(name), "\(name):\n\(bundle.readme)")
        }
        let instances = bundle.listed.filter { $0.hasPrefix("instances/") && $0.hasSuffix("/snapshot.json") }
        #expect(instances.count == 3, "\(bundle.listed)")
        let fleet = try #require(try JSONSerialization.jsonObject(with: Data(bundle.text("fleet.json").utf8)) as? [String: Any])
        #expect((fleet["instances"] as? [Any])?.count == 3, "\(fleet.keys)")
        try await openEach(bundle)
        let fromFleet = try await runWithDeadlineOffPool(binary, ["snapshot", "--from", bundle.path("recording")], timeout: .seconds(60))
        #expect(fromFleet.status == 0, "\(fromFleet.stderr)")

        // A recording made by `record`, bundled with --from and cut to its last 3 s.
        let recording = folder.appendingPathComponent("rec").path
        let recorded = try await runWithDeadlineOffPool(
            binary, ["record", recording, "--embedded", "--interval", "250ms", "--for", "6s"], timeout: .seconds(120))
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let cutArchive = folder.appendingPathComponent("cut.tar.gz").path
        let cut = try await runWithDeadlineOffPool(binary, ["bundle", "--from", recording, "--window", "3s", "-o", cutArchive], timeout: .seconds(120))
        #expect(cut.status == 0, "\(cut.stderr)")
        let cutBundle = try await unpack(cutArchive)
        try checkIndex(cutBundle)
        let whole = try RecordingPlayback(path: recording)
        let part = try RecordingPlayback(path: cutBundle.path("recording"))
        #expect(part.scrapes.count < whole.scrapes.count && part.scrapes.count >= 8, "\(part.scrapes.count) of \(whole.scrapes.count)")
        #expect(part.end == whole.end)
        let replayed = try await runWithDeadlineOffPool(binary, ["snapshot", "--from", cutBundle.path("recording"), "--json"], timeout: .seconds(60))
        #expect(try comparable(replayed.stdout) == comparable(cutBundle.text("snapshot.json")))
        #expect(cutBundle.rows("Left out").contains { $0.hasPrefix("profiles/") })
    }
}
