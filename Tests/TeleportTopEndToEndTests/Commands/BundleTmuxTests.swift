import Foundation
import TeleportTopTestPeers
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// `B` in the dashboard as a person uses it, under tmux: the step in the header, the path
/// when done, and a bundle that holds the dashboard's history.
@Suite("B in the dashboard under tmux", .serialized, .enabled(if: Prerequisites.required(Prerequisites.which("tmux") != nil)))
struct BundleTmuxTests {
    let binary = Paths.teleportTopBinary.path

    @Test("B on the embedded dashboard: progress in the header, then the file; it holds the history the dashboard kept (no --record)")
    func bundleKey() async throws {
        let folder = Paths.temporaryDirectory("bundle-key")
        let profiles = folder.appendingPathComponent("profiles").path
        // Its own temporary folder: the private history folder is looked for there.
        let temporary = folder.appendingPathComponent("tmp").path
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        let session = try DashboardTmuxTests.Session(environment: ["TMPDIR": temporary])
        try session.type(
            "\(binary) --embedded --otlp-grpc off --otlp-http off --interval 500ms --profile-seconds 3 --profile-dir \(profiles)")
        _ = try await session.wait(for: "scraped")
        // Some history first.
        try await Task.sleep(for: .seconds(3))
        try session.send("B")
        // The progress shows while the steps run (the CPU profile's 3 s the longest); a
        // loaded machine may draw or capture the screen only once the bundle is written.
        var progress = false
        let progressDeadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < progressDeadline {
            let screen = try session.capture()
            if screen.contains("● bundle: CPU profile (3 s)") { progress = true }
            if progress || screen.contains("bundle written: ") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let done = try await session.wait(for: "bundle written: \(profiles)/teleport-top-bundle-")
        if !progress { print("the bundle's progress was not caught on screen (written before a capture)") }
        #expect(done.contains("bundle: teleport-top-bundle-"), "the header names the file:\n\(done)")
        let names = try FileManager.default.contentsOfDirectory(atPath: profiles).filter { $0.hasSuffix(".tar.gz") }
        #expect(names.count == 1, "\(names)")
        let archive = profiles + "/" + (names.first ?? "")
        #expect((try FileManager.default.attributesOfItem(atPath: archive)[.posixPermissions] as? Int) == 0o600)
        let out = Paths.temporaryDirectory("bundle-key-x")
        let untar = try await runWithDeadlineOffPool("/bin/tar", ["-xzf", archive, "-C", out.path], timeout: .seconds(60))
        #expect(untar.status == 0, "\(untar.stderr)")
        let top = try FileManager.default.contentsOfDirectory(atPath: out.path)
        let bundle = out.appendingPathComponent(top.first ?? "")
        let readme = try String(contentsOf: bundle.appendingPathComponent("README.txt"), encoding: .utf8)
        #expect(readme.contains("(then B in the dashboard)"), "\(readme)")
        for name in ["snapshot.json", "findings.json", "recording/000001.ttrec", "profiles/cpu.pb.gz", "spans.otlp.json", "versions.txt"] {
            #expect(FileManager.default.fileExists(atPath: bundle.appendingPathComponent(name).path), "\(name):\n\(readme)")
        }
        let playback = try RecordingPlayback(path: bundle.appendingPathComponent("recording").path)
        #expect(playback.scrapes.count >= 6, "the dashboard's history: \(playback.scrapes.count) scrapes")
        // The private history folder goes when the dashboard does.
        let histories = { try FileManager.default.contentsOfDirectory(atPath: temporary).filter { $0.hasPrefix("teleport-top-history-") } }
        #expect(try histories().count == 1)
        try session.send("q")
        _ = try await session.wait(for: "shell> ")
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, try !histories().isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        #expect(try histories().isEmpty, "the history folder was removed at exit")
    }
}
