import Foundation
import Testing

@testable import TeleportCore

/// `--targets` files: what a good file gives, and the line an error names.
@Suite("targets file")
struct TargetsFileTests {
    @Test("a file of entries parses; names default to the address; render and parse round-trip")
    func parses() throws {
        let text = """
            # the cluster
            - name: auth-1
              diag_addr: 10.0.0.5:3000
              debug_socket: /var/lib/teleport/debug.sock
              host_name: auth-1.example.com
            - diag_addr: https://10.0.0.6:3000
              ca_cert: /etc/ca.pem
              cert: /etc/c.pem
              key: /etc/k.pem
            - {name: agent, config: /etc/teleport.yaml}
            """
        let entries = try TargetsFile.parse(text, fileName: "fleet.yaml")
        #expect(entries.map(\.name) == ["auth-1", "https://10.0.0.6:3000", "agent"])
        #expect(entries[0].debugSocket == "/var/lib/teleport/debug.sock")
        #expect(entries[0].hostName == "auth-1.example.com")
        #expect(entries[1].caCert == "/etc/ca.pem" && entries[1].key == "/etc/k.pem")
        #expect(entries[2].config == "/etc/teleport.yaml")
        #expect(try TargetsFile.parse(TargetsFile.render(entries), fileName: "again") == entries)
        // A mapping with `targets:` holding the list is read too.
        #expect(try TargetsFile.parse("targets:\n  - diag_addr: 127.0.0.1:3000\n", fileName: "f").count == 1)
    }

    @Test(
        "errors name the file and the line",
        arguments: [
            ("- name: a\n  diag_addr: 127.0.0.1:3000\n- name: b\n  port: 3000\n", "f.yaml line 4: unknown key \"port\""),
            ("- name: a\n  diag_addr: 127.0.0.1:3000\n- name: b\n", "f.yaml line 3: a target needs diag_addr, debug_socket or config"),
            ("- name: a\n  diag_addr: not an address\n", "f.yaml line 1: diag_addr:"),
            ("- name: a\n  diag_addr: 127.0.0.1:1\n- name: a\n  diag_addr: 127.0.0.1:2\n", "f.yaml line 3: the name \"a\" is already used on line 1"),
            ("- name: a\n  cert: c.pem\n  diag_addr: 127.0.0.1:1\n", "f.yaml line 1: cert and key go together"),
            ("name: a\n", "f.yaml line 1: expected a list of targets"),
            ("- [1, 2]\n", "f.yaml line 1: a target is a mapping"),
            ("- name: a\n  diag_addr: [1]\n", "f.yaml line 2: diag_addr: expected a string"),
            ("- name: a\n  diag_addr: \"127.0.0.1:1\n", "f.yaml line"),
            ("", "f.yaml: empty"),
            ("[]", "f.yaml line 1: the list of targets is empty"),
        ])
    func errors(text: String, expected: String) {
        #expect {
            _ = try TargetsFile.parse(text, fileName: "f.yaml")
        } throws: { error in
            String(describing: error).hasPrefix(expected)
        }
    }

    @Test("hostile and oversized files: escapes never pass through; a file past the limit is refused")
    func hostile() throws {
        #expect {
            _ = try TargetsFile.parse("- name: a\n  \"\u{202E}evil\": 1\n", fileName: "f")
        } throws: { error in
            let text = String(describing: error)
            return !text.contains("\u{202E}") && text.contains("unknown key")
        }
        #expect {
            _ = try TargetsFile.parse("- name: \"\u{1B}[31m\"\n", fileName: "f")
        } throws: { error in !String(describing: error).contains("\u{1B}") }
        let path = NSTemporaryDirectory() + "tt-big-\(getpid()).yaml"
        _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x20, count: TargetsFile.maxBytes + 1))
        defer { unlink(path) }
        #expect(throws: TargetError.self) { try TargetsFile.load(path) }
        #expect(throws: TargetError.self) { try TargetsFile.load("/nonexistent/targets.yaml") }
        // Truncated at every byte: an entry or a clear error, never a crash.
        let good = TargetsFile.render([FleetTargetEntry(name: "a", diagAddr: "127.0.0.1:3000", hostName: "h")])
        for cut in 0..<good.utf8.count {
            let text = String(decoding: Array(good.utf8)[..<cut], as: UTF8.self)
            _ = try? TargetsFile.parse(text, fileName: "cut")
        }
    }

    @Test("a file that cannot be read is named with its absolute path and the system's reason")
    func unreadable() throws {
        #expect(throws: TargetError("/nonexistent/targets.yaml: cannot be read: No such file or directory")) {
            try TargetsFile.load("/nonexistent/../nonexistent/targets.yaml")
        }
        let directory = NSTemporaryDirectory() + "tt-dir-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { rmdir(directory) }
        #expect(throws: TargetError("\(URL(fileURLWithPath: directory).standardizedFileURL.path): cannot be read: is a directory")) {
            try TargetsFile.load(directory)
        }
        let relative = "tt-missing-\(getpid()).yaml"
        #expect(throws: TargetError("\(FileManager.default.currentDirectoryPath)/\(relative): cannot be read: No such file or directory")) {
            try TargetsFile.load(relative)
        }
    }
}
