import Foundation
import TeleportCore

/// What a diagnostics bundle holds: its files (each with what it is and the command that
/// opens it), what was left out and why, what failed while collecting, and the command that
/// made it. `archive()` makes the `.tar.gz`: one folder named for the bundle, `README.txt`
/// (the index) first, then the files in the order they were added, each 0600.
public struct BundleManifest: Sendable {
    /// One file of the bundle.
    public struct Entry: Sendable {
        /// Its path inside the bundle's folder (`snapshot.json`, `profiles/heap.pb.gz`).
        public var name: String
        public var bytes: [UInt8]
        /// What it is and how to open it, one line or two.
        public var about: String

        public init(name: String, bytes: [UInt8], about: String) {
            self.name = name
            self.bytes = bytes
            self.about = about
        }
    }

    /// Something not in the bundle, and why.
    public struct Gap: Sendable, Hashable {
        public var what: String
        public var why: String

        public init(what: String, why: String) {
            self.what = what
            self.why = why
        }
    }

    /// The folder every file sits in (`teleport-top-bundle-20261207T154000Z`).
    public var folder: String
    public var created: Date
    /// The command line that made it.
    public var command: String
    /// What was bundled (`diag-addr 127.0.0.1:3000`, `embedded`, `recording DIR`).
    public var source: String
    public private(set) var entries: [Entry] = []
    /// Left out on purpose (not asked for, not served, not known).
    public private(set) var leftOut: [Gap] = []
    /// Tried and failed (the target died, a capture timed out).
    public private(set) var failed: [Gap] = []

    public init(created: Date = Date(), command: String, source: String) {
        self.created = created
        self.command = command
        self.source = source
        folder = "teleport-top-bundle-" + Self.stamp(created)
    }

    public mutating func add(_ name: String, _ bytes: [UInt8], about: String) {
        entries.append(Entry(name: name, bytes: bytes, about: about))
    }

    public mutating func add(_ name: String, text: String, about: String) {
        add(name, Array(text.utf8), about: about)
    }

    public mutating func leaveOut(_ what: String, _ why: String) {
        leftOut.append(Gap(what: what, why: why))
    }

    public mutating func fail(_ what: String, _ why: String) {
        failed.append(Gap(what: what, why: why))
    }

    /// Appends another manifest's files, gaps and failures under `folder/` (a fleet's instance).
    public mutating func merge(_ other: BundleManifest, under subfolder: String) {
        for entry in other.entries { entries.append(Entry(name: subfolder + "/" + entry.name, bytes: entry.bytes, about: entry.about)) }
        for gap in other.leftOut { leftOut.append(Gap(what: subfolder + "/" + gap.what, why: gap.why)) }
        for gap in other.failed { failed.append(Gap(what: subfolder + "/" + gap.what, why: gap.why)) }
    }

    /// Whether a file of that name is in the bundle.
    public func contains(_ name: String) -> Bool { entries.contains { $0.name == name } }

    /// The total size of the files (uncompressed).
    public var size: Int { entries.reduce(0) { $0 + $1.bytes.count } }

    /// `README.txt`: what the bundle is, the command, each file with what it is, what was
    /// left out and what failed. Plain text, sanitized (network strings end up here).
    public func readme() -> String {
        var out = "teleport-top diagnostics bundle\n\n"
        out += "made       \(Self.utc(created)) by teleport-top \(TeleportTopVersion.current)\n"
        out += "command    \(Sanitized.quote(ConfigRedaction.withoutCredentials(command)))\n"
        out += "source     \(Sanitized.quote(ConfigRedaction.withoutCredentials(source)))\n\n"
        out += "Unpack with `tar xzf FILE.tar.gz`; every file opens with the tool named beside it.\n\n"
        let width = min(44, ([10] + entries.map { $0.name.count } + leftOut.map { $0.what.count } + failed.map { $0.what.count }).max() ?? 10)
        func row(_ name: String, _ text: String) -> String {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Sanitized.quote(String($0)) }
            let pad = String(repeating: " ", count: max(1, width + 2 - name.count))
            var row = "  " + Sanitized.quote(name) + pad + (lines.first ?? "") + "\n"
            for line in lines.dropFirst() { row += "  " + String(repeating: " ", count: width + 2) + line + "\n" }
            return row
        }
        out += "Files\n"
        out += row("README.txt", "this index")
        for entry in entries { out += row(entry.name, entry.about) }
        out += "\nLeft out\n"
        if leftOut.isEmpty { out += "  nothing\n" }
        for gap in leftOut { out += row(gap.what, gap.why) }
        out += "\nFailed while collecting\n"
        if failed.isEmpty { out += "  nothing\n" }
        for gap in failed { out += row(gap.what, gap.why) }
        return out
    }

    /// The `.tar.gz`: the folder, README.txt first, then every file (0600).
    public func archive() throws(TarGzWriter.EntryError) -> [UInt8] {
        var tar = TarGzWriter()
        // Whole seconds, rounded down: never a time in the future for tar to warn about.
        let time = Date(timeIntervalSince1970: created.timeIntervalSince1970.rounded(.down))
        try tar.append(name: folder + "/README.txt", contents: Array(readme().utf8), mode: 0o600, modified: time)
        for entry in entries { try tar.append(name: folder + "/" + entry.name, contents: entry.bytes, mode: 0o600, modified: time) }
        return tar.finish()
    }

    /// `20261207T154000Z`.
    public static func stamp(_ date: Date) -> String { UTCText.stamp(date) }

    /// `2026-12-07 15:40:00 UTC`.
    public static func utc(_ date: Date) -> String { UTCText.time(date) }
}
