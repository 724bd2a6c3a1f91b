import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopTestSupport
import Testing

@testable import TeleportTopRuntime
@testable import TeleportTopUI

/// The runner's answers for a diff: the report and tree of `ProfileDiff.combine` over the two
/// files, goroutine stacks ranked by growth, and errors that name what is wrong.
@Suite("Profile runner: diffs")
struct ProfileRunnerDiffTests {
    static func file(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tt-diff-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("The report of a diff is the top table of the combined profiles, under the meaning and -normalize asked for")
    func report() throws {
        let old = SyntheticProfile(seed: 3, functions: 60, samples: 500).encoded()
        let new = SyntheticProfile(seed: 4, functions: 60, samples: 700).encoded()
        let (oldPath, newPath) = (try Self.file(old, "old.pb.gz"), try Self.file(new, "new.pb.gz"))
        for meaning in DiffMeaning.allCases {
            for normalize in [false, true] {
                let diff = ProfileDiffRequest(basePath: oldPath, meaning: meaning, normalize: normalize)
                let data = ProfileRunner.report(path: newPath, options: TopOptions(nodeCount: 0), diff: diff)
                #expect(data.error == nil)
                #expect(data.diff == diff)
                let expected = try TopReport(
                    ProfileDiff.combine(new: PprofDecoder.decode(new), base: PprofDecoder.decode(old), meaning: meaning, normalize: normalize))
                #expect(data.report?.text() == expected.text())
                #expect(data.groups.isEmpty && data.groupChanges.isEmpty)
            }
        }
        // The tree of a -base diff: laid out over both captures, shares of the -base total.
        let diff = ProfileDiffRequest(basePath: oldPath, meaning: .base)
        let tree = try ProfileRunner.flame(path: newPath, options: TopOptions(), diff: diff).get()
        #expect(tree.isDiff)
        let combined = try ProfileDiff.combine(new: PprofDecoder.decode(new), base: PprofDecoder.decode(old), meaning: .base)
        #expect(tree.profileTotal == combined.total(sampleTypeIndex: try combined.sampleTypeIndex(nil)))
        let root = tree.nodes[0]
        let oldProfile = try PprofDecoder.decode(old)
        let newProfile = try PprofDecoder.decode(new)
        #expect(root.baseTotal == oldProfile.total(sampleTypeIndex: try oldProfile.sampleTypeIndex(nil)))
        #expect(root.total - root.baseTotal == newProfile.total(sampleTypeIndex: try newProfile.sampleTypeIndex(nil)))
        #expect(root.delta == root.total - 2 * root.baseTotal)
    }

    @Test("A goroutine diff carries the stacks ranked by growth; a missing baseline or another kind is an error naming it")
    func goroutinesAndErrors() throws {
        let types: [(type: String, unit: String)] = [("goroutine", "count")]
        let old = SyntheticProfile(seed: 5, functions: 20, samples: 50, sampleTypes: types, magnitude: 2).encoded()
        let new = SyntheticProfile(seed: 6, functions: 20, samples: 80, sampleTypes: types, magnitude: 2).encoded()
        let (oldPath, newPath) = (try Self.file(old, "g1.pb.gz"), try Self.file(new, "g2.pb.gz"))
        let data = ProfileRunner.report(path: newPath, options: TopOptions(), diff: ProfileDiffRequest(basePath: oldPath, meaning: .diffBase))
        #expect(data.groups.isEmpty)
        #expect(data.groupChanges == GoroutineGroupChange.changes(new: try PprofDecoder.decode(new), base: try PprofDecoder.decode(old)))
        #expect(!data.groupChanges.isEmpty)
        let changes = data.groupChanges.map(\.change).filter { $0 != 0 }
        #expect(changes == changes.sorted(by: >))

        let missing = ProfileRunner.report(
            path: newPath, options: TopOptions(), diff: ProfileDiffRequest(basePath: "/nonexistent/old.pb.gz", meaning: .diffBase))
        #expect(missing.report == nil)
        #expect(missing.error?.contains("/nonexistent/old.pb.gz") == true, "\(missing.error ?? "")")
        let cpuPath = try Self.file(SyntheticProfile(seed: 1).encoded(), "cpu.pb.gz")
        let mixed = ProfileRunner.report(path: newPath, options: TopOptions(), diff: ProfileDiffRequest(basePath: cpuPath, meaning: .diffBase))
        #expect(mixed.error?.hasPrefix("incompatible") == true, "\(mixed.error ?? "")")
        if case .failure(let failure) = ProfileRunner.flame(path: newPath, options: TopOptions(), diff: ProfileDiffRequest(basePath: cpuPath, meaning: .base)) {
            #expect(failure.message.hasPrefix("incompatible"))
        } else {
            Issue.record("a flame tree of two kinds")
        }
    }
}
