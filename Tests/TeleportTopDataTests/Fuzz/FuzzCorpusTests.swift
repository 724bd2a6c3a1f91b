import Foundation
import TeleportTopTestPeers
import Testing

@testable import TeleportTopFuzzing

/// Every committed fuzz corpus file and crash input (Fuzz/Corpus/TARGET, Fuzz/Crashes/TARGET)
/// replayed through the same reader and invariant checks the libFuzzer binary runs: CI does
/// not fuzz, but what fuzzing found stays fixed.
@Suite("Fuzz corpora replayed")
struct FuzzCorpusTests {
    static func files(_ kind: String, _ target: FuzzTarget) -> [URL] {
        let directory = Paths.repo("Fuzz/\(kind)/\(target.rawValue)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test("each target's seed corpus and crash inputs pass its checks", arguments: FuzzTarget.allCases)
    func corpus(_ target: FuzzTarget) throws {
        let seeds = Self.files("Corpus", target)
        #expect(seeds.count >= 3, "Fuzz/Corpus/\(target.rawValue) holds \(seeds.count) seeds")
        for file in seeds + Self.files("Crashes", target) {
            let bytes = [UInt8](try Data(contentsOf: file))
            let broken = target.check(bytes)
            #expect(broken.isEmpty, "\(file.lastPathComponent): \(broken.joined(separator: "\n"))")
        }
    }

    @Test("the checks catch what they look for: an error text with an escape sequence; a hostile Prometheus warning comes out clean")
    func checksCatch() {
        #expect(!ConfigChecks.oneLine("bad\u{1B}[31mred", "x").isEmpty)
        #expect(ConfigChecks.oneLine("file line 3: bad", "x").isEmpty)
        let hostile = #"{"status":"success","data":{"resultType":"vector","result":[]},"warnings":["a\u001b[31mb"]}"#
        #expect(FuzzTarget.prometheus.check(Array(hostile.utf8)).isEmpty)
        #expect(FuzzTarget.targets.check(Array("- {name: a, diag_addr: \"127.0.0.1:3000\"}\n".utf8)).isEmpty)
    }
}
