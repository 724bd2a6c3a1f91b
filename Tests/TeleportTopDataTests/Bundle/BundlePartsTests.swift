import Foundation
import Synchronization
import TeleportTopTestPeers
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// The diagnostics bundle's parts that need no target: the index, the archive, the output
/// file (temporary name, rename, a disk that fills), and a recording cut to its last part.
@Suite("Bundle parts: index, archive, output file, recording cut")
struct BundlePartsTests {
    static func manifest() -> BundleManifest {
        var manifest = BundleManifest(created: Date(timeIntervalSince1970: 1_780_000_000), command: "teleport-top bundle --embedded", source: "embedded")
        manifest.add("snapshot.txt", text: "state ok\n", about: "the snapshot")
        manifest.add("profiles/heap.pb.gz", [1, 2, 3], about: "heap profile; `go tool pprof -top profiles/heap.pb.gz`")
        manifest.leaveOut("teleport.yaml", "not known: name it with -c FILE")
        manifest.fail("profiles/cpu.pb.gz", "connection refused\u{1b}[31m")
        return manifest
    }

    @Test("README.txt names every file with what it is, what was left out and what failed; network text is sanitized")
    func readme() {
        let text = Self.manifest().readme()
        #expect(text.contains("command    teleport-top bundle --embedded"))
        #expect(text.contains("made       2026-05-28 20:26:40 UTC"))
        for name in ["README.txt", "snapshot.txt", "profiles/heap.pb.gz", "teleport.yaml", "profiles/cpu.pb.gz"] { #expect(text.contains(name), "\(name)") }
        #expect(text.contains("Left out\n  teleport.yaml"))
        #expect(text.contains("Failed while collecting\n  profiles/cpu.pb.gz"))
        #expect(!text.unicodeScalars.contains("\u{1b}"), "no escape reaches the index")
    }

    @Test("The archive: one folder, README.txt first, every entry 0600, as tar lists it")
    func archive() async throws {
        let manifest = Self.manifest()
        let path = try temporaryFile(try manifest.archive(), name: "b.tar.gz")
        let listing = try await runWithDeadlineOffPool("/bin/tar", ["-tzvf", path], timeout: .seconds(30))
        #expect(listing.status == 0, "\(listing.stderr)")
        let lines = listing.stdout.split(separator: "\n")
        #expect(
            lines.map { String($0.split(separator: " ").last ?? "") }
                == ["README.txt", "snapshot.txt", "profiles/heap.pb.gz"].map { manifest.folder + "/" + $0 })
        #expect(lines.allSatisfy { $0.hasPrefix("-rw-------") }, "\(lines)")
        #expect(manifest.folder == "teleport-top-bundle-20260528T202640Z")
    }

    @Test("The output file: 0600 under its name, no temporary file left; a missing folder is one clear line")
    func output() throws {
        let folder = Paths.temporaryDirectory("bundle-out").path
        let path = folder + "/b.tar.gz"
        try BundleOutput().save([1, 2, 3, 4], to: path)
        #expect(FileManager.default.contents(atPath: path) == Data([1, 2, 3, 4]))
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["b.tar.gz"])
        do {
            try BundleOutput().save([1], to: folder + "/missing/b.tar.gz")
            Issue.record("a missing folder was written to")
        } catch {
            #expect(error.description == "cannot write \(folder)/missing/b.tar.gz: the folder \(folder)/missing does not exist")
        }
        #expect(throws: BundleOutput.Failure.self) { try BundleOutput.check(folder) }
    }

    @Test("A disk that fills part way: a clear error, nothing under the final name, no temporary file, an older bundle untouched")
    func diskFull() throws {
        let folder = Paths.temporaryDirectory("bundle-full").path
        let path = folder + "/b.tar.gz"
        try BundleOutput().save(Array("old".utf8), to: path)
        let written = Mutex(0)
        // Takes 1000 bytes, then the disk is full.
        let full = BundleOutput { fd, bytes in
            let room = written.withLock { total -> Int in
                let room = max(0, min(bytes.count, 1000 - total))
                total += room
                return room
            }
            guard room > 0 else {
                errno = ENOSPC
                return -1
            }
            return bytes.baseAddress.map { Foundation.write(fd, $0, room) } ?? -1
        }
        do {
            try full.save([UInt8](repeating: 7, count: 100_000), to: path)
            Issue.record("a full disk was written to")
        } catch {
            #expect(error.description == "cannot write \(path): no space left on the device (disk full)")
        }
        #expect(FileManager.default.contents(atPath: path) == Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["b.tar.gz"])
    }

    @Test("A recording cut in the middle of a compression chain reads back alone: the same bodies, the same store at its end")
    func recordingCut() async throws {
        let source = Paths.temporaryDirectory("cut-src").path
        try RecordingFileTests.recording(source, count: 400)
        let reader = try RecordingReader(path: source)
        let end = try #require(reader.frames.last?.time)
        // 200 scrapes (400 s): the cut starts mid-chain (a keyframe every 64).
        let cut = try RecordingCut.segment(reader, from: end.addingTimeInterval(-398))
        #expect(cut.scrapes == 200)
        let folder = Paths.temporaryDirectory("cut-out").path
        try Data(cut.bytes).write(to: URL(fileURLWithPath: folder + "/000001.ttrec"))
        let playback = try RecordingPlayback(path: folder)
        #expect(playback.scrapes.count == 200)
        #expect(playback.reader.skipped == 0)
        #expect(playback.header.sources == reader.segments[0].header.sources)
        for position in [0, 1, 63, 199] { #expect(try playback.scrape(at: position).body == RecordingFileTests.body(200 + position)) }
        let logs = playback.frames(.logs, in: playback.start!...playback.end!)
        #expect(logs.count == (200..<400).filter { $0 % 3 == 2 }.count)
        // The store at the end over a history the cut holds (300 s < 398 s): the same metrics,
        // rates and quantiles as the whole recording's (the state timeline before the cut is
        // what the cut leaves out).
        let (whole, _) = try await RecordingPlayback(reader: reader).store(at: end, target: "t", history: .seconds(300))
        let (alone, _) = try await playback.store(at: end, target: "t", history: .seconds(300))
        let a = SnapshotDocument(await whole.snapshot(), source: "x", now: end)
        let b = SnapshotDocument(await alone.snapshot(), source: "x", now: end)
        #expect(try SnapshotDocument.encoder().encode(a.groups) == SnapshotDocument.encoder().encode(b.groups))
        #expect(a.state == b.state)
        #expect(!a.groups.isEmpty)
    }
}
