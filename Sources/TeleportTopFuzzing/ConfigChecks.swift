import Foundation
import TeleportCore
import TeleportTopUI

/// Checks of the YAML readers: teleport.yaml, theme files and `--targets` files.
enum ConfigChecks {
    /// teleport.yaml: read or a one-line error naming the file.
    static func teleportYAML(_ bytes: [UInt8]) -> [String] {
        do {
            _ = try TeleportConfig(yaml: String(decoding: bytes, as: UTF8.self), path: "fuzz.yaml")
        } catch {
            return oneLine(error.description, "teleport-yaml")
        }
        return []
    }

    /// Theme files: read or a one-line error.
    static func theme(_ bytes: [UInt8]) -> [String] {
        do {
            _ = try ThemeLoader.parse(yaml: String(decoding: bytes, as: UTF8.self), source: "fuzz.yaml")
        } catch {
            return oneLine(error.description, "theme")
        }
        return []
    }

    /// `--targets` files: entries read are written back by `render` and read again to the
    /// same entries; an error is one line.
    static func targets(_ bytes: [UInt8]) -> [String] {
        let entries: [FleetTargetEntry]
        do {
            entries = try TargetsFile.parse(String(decoding: bytes, as: UTF8.self), fileName: "targets.yaml")
        } catch {
            return oneLine(error.description, "targets")
        }
        let written = TargetsFile.render(entries)
        do {
            let again = try TargetsFile.parse(written, fileName: "targets.yaml")
            if again != entries { return ["targets: rendered and read again, the entries differ:\n\(written.prefix(2000))"] }
        } catch {
            return ["targets: our rendering does not read back: \(error.description)\n\(written.prefix(2000))"]
        }
        return []
    }

    /// An error shown to the user is one line without control characters.
    static func oneLine(_ text: String, _ name: String) -> [String] {
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }) {
            return ["\(name): the error is not one clean line: \(text.debugDescription.prefix(500))"]
        }
        return []
    }
}
