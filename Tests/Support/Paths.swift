import Foundation

/// Places in the repository and its build folder, found from this file's path.
package enum Paths {
    package static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    package static func repo(_ relative: String) -> URL { packageRoot.appendingPathComponent(relative) }

    /// Where fixtures built on first use are cached (under .build, never committed).
    package static let fixtureCache: URL = packageRoot.appendingPathComponent(".build/fixtures")

    /// The built `teleport-top` executable of the same build as the tests.
    package static var teleportTopBinary: URL {
        let bundle = Bundle.main.bundleURL
        var candidates: [URL] = [bundle.deletingLastPathComponent().appendingPathComponent("teleport-top")]
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<3 {
            candidates.append(dir.appendingPathComponent("teleport-top"))
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/teleport-top"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? packageRoot.appendingPathComponent(".build/debug/teleport-top")
    }

    /// A fresh temporary directory (short path, so unix socket paths fit).
    package static func temporaryDirectory(_ tag: String) -> URL {
        let url = URL(fileURLWithPath: "/tmp/tt-\(tag)-\(UInt32.random(in: 0...UInt32.max))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Whether this run is CI's: there a missing prerequisite fails the test instead of skipping it.
package enum Prerequisites {
    package static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    package static func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    package static let go: Bool =
        which("go") != nil
        && FileManager.default.fileExists(atPath: "/usr/share/gocode/src/github.com/prometheus/client_golang/prometheus")
    package static let promtool: Bool = which("promtool") != nil
    package static let curl: Bool = which("curl") != nil

    /// Run the test when the prerequisite is there, and always under CI (where a missing one fails).
    package static func required(_ available: Bool) -> Bool { available || isCI }
}
