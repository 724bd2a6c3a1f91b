import Testing

@testable import TeleportCore

@Suite("Small parsers: durations, addresses, log levels, teleport.yaml")
struct SmallParsersTests {
    @Test("Durations as people type them")
    func durations() {
        #expect(DurationText.parse("2s") == .seconds(2))
        #expect(DurationText.parse("500ms") == .milliseconds(500))
        #expect(DurationText.parse("1m30s") == .seconds(90))
        #expect(DurationText.parse("1.5s") == .milliseconds(1500))
        #expect(DurationText.parse("1h") == .seconds(3600))
        for bad in ["", "2", "s", "2x", "-1s", "1e3s", "ms"] { #expect(DurationText.parse(bad) == nil, "\(bad)") }
        #expect(DurationText.format(.milliseconds(500)) == "500ms")
        #expect(DurationText.format(.seconds(2)) == "2s")
        #expect(DurationText.format(.seconds(90)) == "1m30s")
    }

    @Test("Listen addresses")
    func addresses() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:3000") == .tcp(host: "127.0.0.1", port: 3000))
        #expect(try ListenAddress(parsing: ":0") == .tcp(host: "127.0.0.1", port: 0))
        #expect(try ListenAddress(parsing: "[::1]:3000") == .tcp(host: "::1", port: 3000))
        #expect(try ListenAddress(parsing: "unix:/run/x.sock") == .unix(path: "/run/x.sock"))
        #expect(try ListenAddress(parsing: "0.0.0.0:3000").isLoopback == false)
        #expect(try ListenAddress(parsing: "[::1]:3000").description == "[::1]:3000")
        for bad in ["3000", "host:", "host:99999", "[::1]3000"] {
            #expect(throws: ListenAddressError.self, "\(bad)") { try ListenAddress(parsing: bad) }
        }
    }

    @Test("Log levels read and written as Teleport's slog levels")
    func logLevels() {
        #expect(TeleportLogLevel(text: "debug") == .debug)
        #expect(TeleportLogLevel(text: "TRACE") == .trace)
        #expect(TeleportLogLevel(text: "Warn\n") == .warn)
        #expect(TeleportLogLevel(text: "info+2")?.value == 2)
        #expect(TeleportLogLevel(text: "ERROR-1")?.slogText == "WARN+3")
        for bad in ["", "loud", "info+", "info+x", "warning"] { #expect(TeleportLogLevel(text: bad) == nil, "\(bad)") }
        #expect(TeleportLogLevel.trace.text == "TRACE")
        #expect(TeleportLogLevel.trace.slogText == "DEBUG-4")
        #expect(TeleportLogLevel.warn.loggerLevel == .warning)
    }

    @Test("teleport.yaml: the keys we read, and clear errors")
    func config() throws {
        let config = try TeleportConfig(
            yaml: """
                teleport:
                  diag_addr: "127.0.0.1:3000"
                  data_dir: /var/lib/teleport-test
                  log: {severity: warning}
                proxy_service: {enabled: true}
                """)
        #expect(config.diagAddr == "127.0.0.1:3000")
        #expect(config.dataDir == "/var/lib/teleport-test")
        #expect(config.debugSocketPath == "/var/lib/teleport-test/debug.sock")
        #expect(try config.logLevel() == .warn)
        #expect(try TeleportConfig(yaml: "").debugSocketPath == "/var/lib/teleport/debug.sock")
        #expect(throws: ConfigError.self) { try TeleportConfig(yaml: "teleport: [1, 2]") }
        #expect(throws: ConfigError.self) { try TeleportConfig(yaml: "teleport:\n  data_dir: [x]\n") }
        #expect(throws: ConfigError.self) { try TeleportConfig(yaml: "teleport: {\n") }
        #expect(throws: ConfigError.self) { try TeleportConfig(yaml: "teleport:\n  log:\n    severity: loud\n").logLevel() }
    }
}
