import Foundation
import TeleportCore

/// The folder captures are saved in (`--profile-dir`, default `./teleport-top-profiles`):
/// files named `<target>-<kind>-<UTC timestamp>.<ext>` (`127.0.0.1_3000-profile-20250102T030405Z.pb.gz`),
/// mode 0600, written to a temporary file in the same folder and then linked into place, so
/// a reader never sees half a file and an existing file is never replaced. The folder is
/// created 0700 when missing.
public struct ProfileDirectory: Sendable, Hashable {
    public static let defaultPath = ProfileFiles.defaultDirectory

    public var path: String

    public init(path: String = ProfileDirectory.defaultPath) {
        self.path = path
    }

    /// Why a file could not be saved.
    public struct SaveError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// Saves a capture; returns where it went.
    @discardableResult
    public func save(_ capture: CapturedProfile) throws(SaveError) -> SavedProfile {
        try save(capture.body, target: capture.target, kind: capture.kind, time: capture.startedAt)
    }

    /// Saves bytes under the name for `target`, `kind` and `time`; a second capture in the
    /// same second gets `-2`, `-3`... before the extension.
    @discardableResult
    public func save(_ bytes: [UInt8], target: String, kind: ProfileKind, time: Date) throws(SaveError) -> SavedProfile {
        try createDirectory()
        let stem = Self.safeTargetName(target) + "-" + kind.rawValue + "-" + Self.timestamp(time)
        let temporary = path + "/.\(stem).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SaveError(description: "cannot create a file in \(Sanitized.quote(path)): \(Self.errnoText())") }
        defer { unlink(temporary) }
        var failure: String?
        if fchmod(fd, 0o600) != 0 { failure = Self.errnoText() }
        var offset = 0
        while failure == nil && offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in raw.baseAddress.map { write(fd, $0 + offset, raw.count - offset) } ?? -1 }
            if written < 0 {
                if errno == EINTR { continue }
                failure = Self.errnoText()
            } else {
                offset += written
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = Self.errnoText() }
        if close(fd) != 0 && failure == nil { failure = Self.errnoText() }
        if let failure { throw SaveError(description: "cannot write \(Sanitized.quote(temporary)): \(failure)") }
        for attempt in 1...1000 {
            let name = stem + (attempt == 1 ? "" : "-\(attempt)") + "." + kind.fileExtension
            let final = path + "/" + name
            if link(temporary, final) == 0 {
                return SavedProfile(
                    path: final, target: Self.safeTargetName(target), kind: kind, time: Self.truncatedToSecond(time),
                    bytes: bytes.count)
            }
            let code = errno
            if code == EEXIST { continue }
            // Filesystems without hard links: rename, after checking the name is free.
            if access(final, F_OK) == 0 { continue }
            guard rename(temporary, final) == 0 else {
                throw SaveError(description: "cannot save \(Sanitized.quote(final)): \(Self.errnoText())")
            }
            return SavedProfile(
                path: final, target: Self.safeTargetName(target), kind: kind, time: Self.truncatedToSecond(time),
                bytes: bytes.count)
        }
        throw SaveError(description: "too many captures named \(Sanitized.quote(stem)) in \(Sanitized.quote(path))")
    }

    /// The saved captures in the folder, newest first; other files are ignored.
    public func list() -> [SavedProfile] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        var found: [SavedProfile] = []
        for name in names where !name.hasPrefix(".") {
            guard var saved = Self.parse(fileName: name) else { continue }
            saved.path = path + "/" + name
            let attributes = try? FileManager.default.attributesOfItem(atPath: saved.path)
            guard (attributes?[.type] as? FileAttributeType) == .typeRegular else { continue }
            saved.bytes = (attributes?[.size] as? Int) ?? 0
            found.append(saved)
        }
        return found.sorted { a, b in a.time != b.time ? a.time > b.time : a.path > b.path }
    }

    private func createDirectory() throws(SaveError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw SaveError(description: "\(Sanitized.quote(path)) is not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw SaveError(description: "cannot create \(Sanitized.quote(path)): \((error as NSError).localizedDescription)")
        }
        chmod(path, 0o700)
    }

    // MARK: Names

    /// A target as a file-name part: the scheme dropped, every character outside
    /// `[A-Za-z0-9._-]` replaced by `_`, runs collapsed, at most 64 characters, never empty,
    /// never starting with a dot (`127.0.0.1:3000` -> `127.0.0.1_3000`,
    /// `/var/lib/teleport/debug.sock` -> `var_lib_teleport_debug.sock`).
    public static func safeTargetName(_ target: String) -> String {
        var text = Substring(target)
        for scheme in ["http://", "https://", "unix://"] where text.lowercased().hasPrefix(scheme) { text = text.dropFirst(scheme.count) }
        var out = ""
        var lastWasUnderscore = false
        for scalar in text.unicodeScalars {
            let ok = (scalar.value < 0x80) && (CharacterSet.alphanumerics.contains(scalar) || scalar == "." || scalar == "-")
            if ok {
                out.unicodeScalars.append(scalar)
                lastWasUnderscore = false
            } else if !lastWasUnderscore {
                out += "_"
                lastWasUnderscore = true
            }
        }
        while let first = out.first, first == "_" || first == "." || first == "-" { out.removeFirst() }
        while let last = out.last, last == "_" { out.removeLast() }
        if out.count > 64 { out = String(out.prefix(64)) }
        return out.isEmpty ? "target" : out
    }

    /// `20250102T030405Z`.
    public static func timestamp(_ time: Date) -> String {
        var seconds = time_t(time.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }

    /// Reads a saved file's name back: target, kind, time; nil for any other name.
    public static func parse(fileName name: String) -> SavedProfile? {
        for kind in ProfileKind.allCases {
            let suffix = "." + kind.fileExtension
            guard name.hasSuffix(suffix) else { continue }
            var stem = Substring(name.dropLast(suffix.count))
            // An optional -N collision suffix.
            if let dash = stem.lastIndex(of: "-"), stem[stem.index(after: dash)...].allSatisfy(\.isNumber),
                stem.index(after: dash) != stem.endIndex, stem.distance(from: dash, to: stem.endIndex) <= 5
            {
                stem = stem[..<dash]
            }
            guard stem.count > 17 else { continue }
            let stamp = stem.suffix(16)
            let head = stem.dropLast(17)
            guard stem.dropLast(16).hasSuffix("-"), let time = parseTimestamp(String(stamp)) else { continue }
            let marker = "-" + kind.rawValue
            guard head.hasSuffix(marker), head.count > marker.count else { continue }
            return SavedProfile(path: name, target: String(head.dropLast(marker.count)), kind: kind, time: time, bytes: 0)
        }
        return nil
    }

    static func parseTimestamp(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        guard chars.count == 16, chars[8] == UInt8(ascii: "T"), chars[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for c in chars[range] {
                guard c >= 0x30 && c <= 0x39 else { return nil }
                value = value * 10 + Int32(c - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8), let hour = number(9..<11),
            let minute = number(11..<13), let second = number(13..<15), (1...12).contains(month), (1...31).contains(day),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    static func truncatedToSecond(_ time: Date) -> Date {
        Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down))
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// A capture on disk, as `ProfileDirectory.list` finds it.
public struct SavedProfile: Sendable, Hashable {
    public var path: String
    /// The target part of the name (already file-name safe).
    public var target: String
    public var kind: ProfileKind
    /// When the capture started, to the second (UTC in the name).
    public var time: Date
    public var bytes: Int

    public init(path: String, target: String, kind: ProfileKind, time: Date, bytes: Int) {
        self.path = path
        self.target = target
        self.kind = kind
        self.time = time
        self.bytes = bytes
    }

    public var fileName: String { GoPath.base(path) }
}
