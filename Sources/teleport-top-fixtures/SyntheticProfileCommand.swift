import ArgumentParser
import Foundation
import TeleportCore
import TeleportTopTestSupport

/// `teleport-top-fixtures synthetic-profile OUT`: writes a generated pprof profile, for
/// Scripts/compare-pprof.sh, Scripts/limits.sh and trying the viewer without a Go process.
struct SyntheticProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthetic-profile",
        abstract: "Write a generated pprof profile (gzip-compressed) of about the given size."
    )

    @Argument(help: "Where to write it.")
    var output: String

    @Option(name: .customLong("compressed-bytes"), help: "Target gzip-compressed size in bytes.")
    var compressedBytes: Int = 10 << 20

    @Option(help: "Random seed (the same seed gives the same bytes).")
    var seed: UInt64 = 1

    func run() throws {
        guard compressedBytes > 0 else { throw ValidationError("--compressed-bytes must be positive") }
        let bytes = SyntheticProfile.ofCompressedSize(compressedBytes, seed: seed)
        do { try Data(bytes).write(to: URL(fileURLWithPath: output)) } catch {
            throw ValidationError("cannot write \(Sanitized.quote(output)): \(error.localizedDescription)")
        }
        FileHandle.standardError.write(Data("wrote \(bytes.count) bytes to \(Sanitized.quote(output))\n".utf8))
    }
}
