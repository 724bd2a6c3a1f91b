import Foundation
import TeleportTopTestPeers
import Testing

@testable import TeleportCore

@Suite("teleport.yaml redacted by an allowlist")
struct ConfigRedactionTests {
    @Test("Every planted secret is gone; addresses, switches and paths stay; the result is YAML with the same keys")
    func planted() throws {
        let redacted = try ConfigRedaction.redact(PlantedConfig.yaml)
        for secret in PlantedConfig.secrets { #expect(!redacted.contains(secret), "\(secret) leaked:\n\(redacted)") }
        for kept in PlantedConfig.kept { #expect(redacted.contains(kept), "\(kept) was lost:\n\(redacted)") }
        #expect(!redacted.contains("#"), "comments are dropped")
        // Keys stay where they were; values under the allowlist stay, the rest are replaced.
        for line in [
            "  auth_token: \"<redacted>\"", "  diag_addr: 127.0.0.1:3000", "  data_dir: /var/lib/teleport", "    method: token",
            "    token_name: \"<redacted>\"", "  enabled: true", "  tokens:\n  - \"<redacted>\"\n  - \"<redacted>\"",
            "  - key_file: /etc/teleport/exporter_key.pem", "    client_secret: \"<redacted>\"",
            // A kept key whose value is key material is redacted all the same.
            "  cert_file: \"<redacted>\"",
        ] {
            #expect(redacted.contains(line), "\(line) in\n\(redacted)")
        }
        // The config reader still reads what matters to teleport-top from the redacted file.
        let config = try TeleportConfig(yaml: redacted)
        #expect(config.diagAddr == "127.0.0.1:3000")
        #expect(config.dataDir == "/var/lib/teleport")
    }

    @Test("A URL keeps its place only without a user and password; a bad file is an error, never passed through")
    func urlsAndBadInput() throws {
        #expect(ConfigRedaction.isPlain("grpc://collector:4317/v1"))
        #expect(!ConfigRedaction.isPlain("https://u:p@host/x"))
        #expect(!ConfigRedaction.isPlain("line\nline"))
        #expect(throws: ConfigRedaction.Failure.self) { try ConfigRedaction.redact("a: [unclosed\n b: \"x") }
        #expect(try ConfigRedaction.redact("") == "")
        // Command lines and source names shown in a bundle lose URL credentials.
        #expect(
            ConfigRedaction.withoutCredentials("bundle --prometheus https://user:pa@ss@prom:9090/x --diag-addr http://h:3000")
                == "bundle --prometheus https://<redacted>@prom:9090/x --diag-addr http://h:3000")
        // Keys that are not plain text go too (a secret can be put in a key).
        let odd = try ConfigRedaction.redact("? [secret-in-key-ZZZZ]\n: value\n")
        #expect(!odd.contains("ZZZZ"))
    }
}
