import Foundation
import Yams

/// A `--targets` file: a YAML list of `{name, diag_addr, debug_socket, config, ca_cert,
/// cert, key, host_name}` (at least one of diag_addr, debug_socket, config). Errors name
/// the file and line: `targets.yaml line 7: diag_addr: "x" is not host:port`.
public enum TargetsFile {
    /// The keys an entry may have.
    public static let keys: Set<String> = ["name", "diag_addr", "debug_socket", "config", "ca_cert", "cert", "key", "host_name"]
    /// The most entries a file may hold.
    public static let maxEntries = 10_000
    /// The largest file read.
    public static let maxBytes = 8 << 20

    /// Reads and checks a file.
    public static func load(_ path: String) throws(TargetError) -> [FleetTargetEntry] {
        let name = (path as NSString).lastPathComponent
        guard let handle = FileHandle(forReadingAtPath: path) else { throw TargetError(UnreadableFile.message(path)) }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: maxBytes + 1) ?? Data() } catch { throw TargetError(UnreadableFile.message(path)) }
        guard data.count <= maxBytes else { throw TargetError("\(name): larger than \(maxBytes >> 20) MiB") }
        return try parse(String(decoding: data, as: UTF8.self), fileName: name)
    }

    /// Parses a file's text; `fileName` prefixes the errors.
    public static func parse(_ text: String, fileName: String) throws(TargetError) -> [FleetTargetEntry] {
        func fail(_ line: Int?, _ why: String) -> TargetError {
            TargetError(line.map { "\(fileName) line \($0): \(why)" } ?? "\(fileName): \(why)")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw fail(YAMLErrorText.line(of: error), "not YAML (\(YAMLErrorText.reason(of: error)))")
        } catch { throw fail(nil, "not YAML") }
        guard let root else { throw fail(nil, "empty: list the targets, e.g. `- {name: auth-1, diag_addr: 10.0.0.5:3000}`") }
        var list = root
        if case .mapping(let mapping) = root, let inner = mapping["targets"] { list = inner }
        guard case .sequence(let sequence) = list else {
            throw fail(root.mark.map { $0.line }, "expected a list of targets (`- name: ...`)")
        }
        guard sequence.count <= maxEntries else { throw fail(nil, "more than \(maxEntries) targets") }
        guard !sequence.isEmpty else { throw fail(root.mark.map { $0.line }, "the list of targets is empty") }
        var entries: [FleetTargetEntry] = []
        var names: [String: Int] = [:]
        for item in sequence {
            let line = item.mark?.line
            guard case .mapping(let mapping) = item else { throw fail(line, "a target is a mapping (`name: ..., diag_addr: ...`)") }
            var fields: [String: String] = [:]
            for (keyNode, valueNode) in mapping {
                let keyLine = keyNode.mark?.line ?? line
                guard case .scalar(let key) = keyNode else { throw fail(keyLine, "a key must be a plain word") }
                guard keys.contains(key.string) else {
                    throw fail(keyLine, "unknown key \"\(Sanitized.quote(key.string))\" (known: \(keys.sorted().joined(separator: ", ")))")
                }
                guard case .scalar(let value) = valueNode else { throw fail(keyLine, "\(key.string): expected a string") }
                let trimmed = value.string.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { throw fail(keyLine, "\(key.string): empty") }
                fields[key.string] = trimmed
            }
            guard fields["diag_addr"] != nil || fields["debug_socket"] != nil || fields["config"] != nil else {
                throw fail(line, "a target needs diag_addr, debug_socket or config")
            }
            if let addr = fields["diag_addr"] {
                do { _ = try DiagTarget(diagAddr: addr) } catch { throw fail(line, "diag_addr: \(error.description)") }
            }
            if (fields["cert"] == nil) != (fields["key"] == nil) { throw fail(line, "cert and key go together") }
            let name = fields["name"] ?? fields["diag_addr"] ?? fields["debug_socket"] ?? fields["config"] ?? ""
            if let first = names[name] { throw fail(line, "the name \"\(Sanitized.quote(name))\" is already used on line \(first)") }
            names[name] = line ?? 0
            entries.append(
                FleetTargetEntry(
                    name: name, diagAddr: fields["diag_addr"], debugSocket: fields["debug_socket"],
                    config: fields["config"], caCert: fields["ca_cert"], cert: fields["cert"], key: fields["key"], hostName: fields["host_name"]))
        }
        return entries
    }

    /// Writes entries as a file `load` reads back (what `serve --instances N --targets-out` writes).
    public static func render(_ entries: [FleetTargetEntry]) -> String {
        var text = "# teleport-top --targets file: one entry per Teleport process.\n"
        for entry in entries {
            text += "- name: \(quoted(entry.name))\n"
            let fields: [(String, String?)] = [
                ("diag_addr", entry.diagAddr), ("debug_socket", entry.debugSocket), ("config", entry.config),
                ("ca_cert", entry.caCert), ("cert", entry.cert), ("key", entry.key), ("host_name", entry.hostName),
            ]
            for case (let key, let value?) in fields { text += "  \(key): \(quoted(value))\n" }
        }
        return text
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
