import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

/// Saved captures (names, modes, atomic no-clobber writes, listing) and the tar.gz writer,
/// checked with the system's tar.
@Suite("Profile files: saving, listing, tar.gz")
struct ProfileFilesTests {
    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test("File-name-safe targets")
    func safeNames() {
        #expect(ProfileDirectory.safeTargetName("127.0.0.1:3000") == "127.0.0.1_3000")
        #expect(ProfileDirectory.safeTargetName("https://auth.example.com:3080") == "auth.example.com_3080")
        #expect(ProfileDirectory.safeTargetName("/var/lib/teleport/debug.sock") == "var_lib_teleport_debug.sock")
        #expect(ProfileDirectory.safeTargetName("[::1]:3000") == "1_3000")
        #expect(ProfileDirectory.safeTargetName("../../etc/passwd") == "etc_passwd")
        #expect(ProfileDirectory.safeTargetName("\u{1B}[31m\u{202E}évil") == "31m_vil")
        #expect(ProfileDirectory.safeTargetName("") == "target")
        #expect(ProfileDirectory.safeTargetName(String(repeating: "a", count: 300)).count == 64)
    }

    @Test("Saved 0600 in a folder created 0700, named <target>-<kind>-<UTC>.<ext>, never replacing a file; listed back")
    func saveAndList() throws {
        let root = Paths.temporaryDirectory("save")
        let directory = ProfileDirectory(path: root.appendingPathComponent("nested/profiles").path)
        let time = Date(timeIntervalSince1970: 1_735_787_045.75)  // 2025-01-02T03:04:05Z
        let first = try directory.save([1, 2, 3], target: "127.0.0.1:3000", kind: .profile, time: time)
        #expect(first.fileName == "127.0.0.1_3000-profile-20250102T030405Z.pb.gz")
        #expect(try mode(first.path) == 0o600)
        #expect(try mode(directory.path) == 0o700)
        #expect(try Data(contentsOf: URL(fileURLWithPath: first.path)) == Data([1, 2, 3]))
        let second = try directory.save([4, 5], target: "127.0.0.1:3000", kind: .profile, time: time)
        #expect(second.fileName == "127.0.0.1_3000-profile-20250102T030405Z-2.pb.gz")
        #expect(try Data(contentsOf: URL(fileURLWithPath: first.path)) == Data([1, 2, 3]))
        let trace = try directory.save(Array("go 1.19 trace".utf8), target: "/var/lib/teleport/debug.sock", kind: .trace, time: time + 60)
        #expect(trace.fileName == "var_lib_teleport_debug.sock-trace-20250102T030505Z.trace")
        let cmdline = try directory.save([0x61], target: "x", kind: .cmdline, time: time)
        #expect(cmdline.fileName.hasSuffix(".txt"))
        // No temporary files are left behind; stray files are not listed.
        try Data("notes".utf8).write(to: URL(fileURLWithPath: directory.path + "/README.txt"))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(!names.contains { $0.hasPrefix(".") })
        let listed = directory.list()
        #expect(
            listed.map(\.fileName)
                == [trace.fileName, second.fileName, first.fileName, cmdline.fileName].sorted { a, b in
                    let ta = ProfileDirectory.parse(fileName: a)!.time
                    let tb = ProfileDirectory.parse(fileName: b)!.time
                    return ta != tb ? ta > tb : a > b
                })
        let parsed = try #require(listed.first { $0.kind == .trace })
        #expect(parsed.target == "var_lib_teleport_debug.sock")
        #expect(parsed.time == Date(timeIntervalSince1970: 1_735_787_105))
        #expect(parsed.bytes == 13)
        #expect(ProfileDirectory.parse(fileName: "x-profile-2025010T030405Z.pb.gz") == nil)
        #expect(ProfileDirectory.parse(fileName: "x-nosuch-20250102T030405Z.pb.gz") == nil)
        #expect(ProfileDirectory.parse(fileName: "profile-20250102T030405Z.pb.gz") == nil)
    }

    @Test("A path that is a file, or a folder we cannot write, fails with a clear error")
    func saveErrors() throws {
        let root = Paths.temporaryDirectory("saveerr")
        let file = root.appendingPathComponent("file").path
        try Data().write(to: URL(fileURLWithPath: file))
        #expect(throws: ProfileDirectory.SaveError.self) {
            try ProfileDirectory(path: file).save([1], target: "t", kind: .heap, time: Date())
        }
        #expect(ProfileDirectory(path: root.appendingPathComponent("missing").path).list().isEmpty)
    }

    @Test(
        "tar -tzvf lists the entries in order with mode 0600; tar -xzf gives the bytes back; long names use the prefix field",
        .enabled(if: Prerequisites.which("tar") != nil || Prerequisites.isCI))
    func tarGz() throws {
        let tar = try #require(Prerequisites.which("tar"))
        var writer = TarGzWriter()
        var random = SplitMix64(seed: 5)
        let long = String(repeating: "d", count: 90) + "/" + String(repeating: "e", count: 40) + "/" + String(repeating: "f", count: 90) + ".pprof"
        let entries: [(String, [UInt8])] = [
            ("goroutine.pprof", (0..<1000).map { _ in UInt8(truncatingIfNeeded: random.next()) }),
            ("heap.pprof", []),
            ("profile.pprof", (0..<512).map { _ in UInt8(truncatingIfNeeded: random.next()) }),
            (long, Array("long".utf8)),
        ]
        let time = Date(timeIntervalSince1970: 1_735_787_045)
        for (name, bytes) in entries { try writer.append(name: name, contents: bytes, modified: time) }
        #expect(throws: TarGzWriter.EntryError.self) { try writer.append(name: String(repeating: "x", count: 101), contents: []) }
        let path = try temporaryFile(writer.finish(), name: "bundle.tar.gz")
        let listing = try runWithDeadline(tar, ["-tzvf", path], environment: ["TZ": "UTC", "LC_ALL": "C"])
        #expect(listing.status == 0, "\(listing.stderr)")
        let lines = listing.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.hasPrefix("-rw------- ") })
        #expect(lines.map { $0.split(separator: " ").last.map(String.init) ?? "" } == entries.map(\.0))
        #expect(lines[0].contains(" 1000 2025-01-02 03:04 "))
        let out = Paths.temporaryDirectory("untar")
        let extract = try runWithDeadline(tar, ["-xzf", path, "-C", out.path])
        #expect(extract.status == 0, "\(extract.stderr)")
        for (name, bytes) in entries {
            #expect(try Data(contentsOf: out.appendingPathComponent(name)) == Data(bytes), "\(name)")
        }
    }
}
