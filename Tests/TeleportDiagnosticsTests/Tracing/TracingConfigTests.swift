import Foundation
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

@Suite("tracing_service config and exporter URLs")
struct TracingConfigTests {
    @Test(
        "Exporter URLs by Teleport's rules",
        arguments: [
            ("collector.example.com:4317", TracingEndpoint.grpc(host: "collector.example.com", port: 4317)),
            ("127.0.0.1:0", .grpc(host: "127.0.0.1", port: 0)),
            ("[::1]:4317", .grpc(host: "::1", port: 4317)),
            ("grpc://collector:4317", .grpc(host: "collector", port: 4317)),
            ("http://collector:4318", .http(url: "http://collector:4318/v1/traces")),
            ("http://collector:4318/", .http(url: "http://collector:4318/v1/traces")),
            ("http://collector:4318/custom/path", .http(url: "http://collector:4318/custom/path")),
            ("https://collector", .https(url: "https://collector/v1/traces")),
            ("file:///var/lib/teleport/traces", .file(directory: "/var/lib/teleport/traces", limit: 104_857_600)),
            ("file:///tmp/t?limit=4096", .file(directory: "/tmp/t", limit: 4096)),
        ])
    func urls(text: String, endpoint: TracingEndpoint) throws {
        #expect(try TracingEndpoint(parsing: text) == endpoint)
    }

    @Test(
        "Bad exporter URLs fail with Teleport's texts",
        arguments: [
            ("", "exporter URL cannot be empty"),
            ("ftp://collector:21", "unsupported exporter scheme: \"ftp\""),
            ("collector", "unsupported exporter scheme: \"\""),
            ("file:///tmp/t?limit=lots", "invalid file exporter limit: lots"),
            ("unix:///run/otel.sock", "unsupported exporter scheme: \"unix\""),
        ])
    func badURLs(text: String, message: String) {
        #expect(throws: TracingConfigError(message)) { try TracingEndpoint(parsing: text) }
    }

    @Test("Hostile URLs: the error text never carries a control character to the terminal")
    func hostileURLs() {
        for text in ["evil\u{1b}[2J://x", "ev\u{1b}il://x", "x\u{202E}y://z", "file:///tmp/t?limit=\u{1b}[31m", "\u{07}\u{1b}]0;title\u{07}:1"] {
            do {
                let endpoint = try TracingEndpoint(parsing: text)
                Issue.record("\(endpoint) accepted")
            } catch {
                #expect(!error.description.unicodeScalars.contains(where: Sanitized.isUnsafe), "\(error.description)")
            }
        }
    }

    @Test("tracing_service from teleport.yaml: every key, keypairs and the docs' https_keypairs")
    func yaml() throws {
        let config = try TeleportConfig(
            yaml: """
                teleport:
                  data_dir: /var/lib/teleport
                tracing_service:
                  enabled: yes
                  exporter_url: grpc://collector.example.com:4317
                  sampling_rate_per_million: 250000
                  ca_certs:
                    - /var/lib/teleport/exporter_ca.pem
                    - /var/lib/teleport/other_ca.pem
                  keypairs:
                    - key_file: /var/lib/teleport/exporter_key.pem
                      cert_file: /var/lib/teleport/exporter_cert.pem
                  https_keypairs:
                    - key_file: /k2.pem
                      cert_file: /c2.pem
                """)
        let tracing = try #require(config.tracing)
        #expect(tracing.enabled)
        #expect(tracing.exporterURL == "grpc://collector.example.com:4317")
        #expect(tracing.samplingRatePerMillion == 250_000)
        #expect(tracing.samplingRatio == 0.25)
        #expect(tracing.caCerts == ["/var/lib/teleport/exporter_ca.pem", "/var/lib/teleport/other_ca.pem"])
        #expect(
            tracing.keypairs == [
                TracingKeypair(keyFile: "/var/lib/teleport/exporter_key.pem", certFile: "/var/lib/teleport/exporter_cert.pem"),
                TracingKeypair(keyFile: "/k2.pem", certFile: "/c2.pem"),
            ])
        #expect(config.dataDir == "/var/lib/teleport")
        #expect(try TeleportConfig(yaml: "tracing_service:\n  enabled: false\n").tracing?.enabled == false)
        #expect(
            try TeleportConfig(yaml: "tracing_service:\n  enabled: \"on\"\n  sampling_rate_per_million: 0.5\n").tracing
                == TracingConfig(enabled: true, samplingRatePerMillion: 0.5))
        #expect(try TeleportConfig(yaml: "teleport: {}\n").tracing == nil)
        #expect(throws: ConfigError.self) { try TeleportConfig(yaml: "tracing_service: [1]\n") }
        #expect(throws: ConfigError.self) { try TeleportConfig(yaml: "tracing_service:\n  enabled: maybe\n") }
        #expect(throws: ConfigError.self) { try TeleportConfig(yaml: "tracing_service:\n  sampling_rate_per_million: lots\n") }
        #expect(throws: ConfigError.self) { try TeleportConfig(yaml: "tracing_service:\n  keypairs: [/a.pem]\n") }
    }

    @Test("Validation with Teleport's error texts, in Teleport's order")
    func validation() throws {
        let existing: Set<String> = ["/ca.pem", "/key.pem", "/cert.pem"]
        let exists = { (path: String) in existing.contains(path) }
        #expect(try TracingConfig(enabled: false, exporterURL: "ftp://x").validated(fileExists: exists) == nil)
        #expect(throws: TracingConfigError("tracing_service is enabled but no exporter_url is specified")) {
            try TracingConfig(enabled: true).validated(fileExists: exists)
        }
        #expect(throws: TracingConfigError("tracing_service ca cert does not exist: /missing-ca.pem")) {
            try TracingConfig(enabled: true, exporterURL: "c:1", caCerts: ["/ca.pem", "/missing-ca.pem"]).validated(fileExists: exists)
        }
        #expect(throws: TracingConfigError("tracing_service private key does not exist: /missing-key.pem")) {
            try TracingConfig(enabled: true, exporterURL: "c:1", keypairs: [TracingKeypair(keyFile: "/missing-key.pem", certFile: "/missing-cert.pem")])
                .validated(fileExists: exists)
        }
        #expect(throws: TracingConfigError("tracing_service cert does not exist: /missing-cert.pem")) {
            try TracingConfig(enabled: true, exporterURL: "c:1", keypairs: [TracingKeypair(keyFile: "/key.pem", certFile: "/missing-cert.pem")])
                .validated(fileExists: exists)
        }
        #expect(throws: TracingConfigError("unsupported exporter scheme: \"udp\"")) {
            try TracingConfig(enabled: true, exporterURL: "udp://c:1").validated(fileExists: exists)
        }
        let ok = TracingConfig(
            enabled: true, exporterURL: "https://c", caCerts: ["/ca.pem"], keypairs: [TracingKeypair(keyFile: "/key.pem", certFile: "/cert.pem")])
        #expect(try ok.validated(fileExists: exists) == .https(url: "https://c/v1/traces"))
        #expect(ok.hasTLSMaterial)
    }

    @Test("The sampler: 0 and 1 exact, parents followed, the ratio by the trace ID's low half as Go computes it")
    func sampler() {
        var random = SplitMix64(seed: 42)
        let ids = (0..<20_000).map { _ in TraceID(high: random.next(), low: random.next()) }
        #expect(ids.allSatisfy { !TraceSampler(ratePerMillion: 0).sampleRoot($0) })
        #expect(ids.allSatisfy { TraceSampler(ratePerMillion: 1_000_000).sampleRoot($0) })
        let half = TraceSampler(ratePerMillion: 500_000)
        let sampled = ids.filter { half.sampleRoot($0) }.count
        #expect((9_000...11_000).contains(sampled))
        #expect(half.sampleRoot(TraceID(high: 1, low: 0)))
        #expect(!half.sampleRoot(TraceID(high: 1, low: UInt64.max)))
        #expect(TraceSampler(ratePerMillion: 0).shouldSample(traceID: ids[0], parentSampled: true))
        #expect(!TraceSampler(ratePerMillion: 1_000_000).shouldSample(traceID: ids[0], parentSampled: false))
        #expect(TraceSampler(ratePerMillion: 2_000_000).ratio == 1)
        #expect(TraceSampler(ratePerMillion: -5).ratio == 0)
    }

    @Test("W3C traceparent: read, written back, hostile forms refused")
    func traceparent() {
        let text = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let context = RecordedSpanContext(traceparent: text)
        #expect(context?.traceparent == text)
        #expect(context?.sampled == true)
        #expect(context?.isRemote == true)
        #expect(RecordedSpanContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")?.sampled == false)
        for bad in [
            "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        ] {
            #expect(RecordedSpanContext(traceparent: bad) == nil, "\(bad)")
        }
    }
}
