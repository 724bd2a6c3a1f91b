import ArgumentParser
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime

/// The options that name a target, shared by every command that reads one.
struct TargetOptions: ParsableArguments {
    @Option(
        name: .customLong("diag-addr"),
        help: "The diag listener: host:port, http://host:port or https://host:port. Repeat it for a fleet (each its own target).")
    var diagAddrs: [String] = []

    /// The one diag address named (a fleet names several).
    var diagAddr: String? { diagAddrs.count == 1 ? diagAddrs[0] : nil }

    @Option(name: .customLong("debug-socket"), help: "Teleport's debug socket (<data_dir>/debug.sock).")
    var debugSocket: String?

    @Option(name: [.customShort("c"), .customLong("config")], help: "A teleport.yaml: its teleport.diag_addr, else <teleport.data_dir>/debug.sock.")
    var config: String?

    @Flag(help: "Run the built-in simulated Teleport in-process and read it.")
    var embedded = false

    @Option(name: .customLong("embedded-addr"), help: "Pin the embedded engine's diag listener (default 127.0.0.1:0, a free port).")
    var embeddedAddr: String?

    @Option(name: .customLong("ca-cert"), help: "CA certificate (PEM) to trust for https:// targets.")
    var caCert: String?

    @Option(help: "Client certificate (PEM) for mutual TLS.")
    var cert: String?

    @Option(help: "Client key (PEM) for mutual TLS.")
    var key: String?

    @Option(help: "Time allowed for one request, e.g. 5s.", transform: TargetOptions.duration)
    var timeout: Duration = .seconds(10)

    @Option(
        name: .customLong("max-payload"), help: "The largest /metrics body read, e.g. 64MiB (bodies past it are a clear error).",
        transform: TargetOptions.byteCount)
    var maxPayload: Int = 64 << 20

    @Option(
        name: .customLong("max-series"), help: "The most series one /metrics body may hold (past it the scrape is a clear error).",
        transform: TargetOptions.positive)
    var maxSeries: Int = ExpositionLimits.defaultMaxSeries

    static func positive(_ text: String) throws -> Int {
        guard let value = Int(text), value > 0 else { throw ValidationError("\"\(text)\" is not a positive whole number") }
        return value
    }

    static func byteCount(_ text: String) throws -> Int {
        guard let bytes = Int(byteCount: text) else {
            throw ValidationError(Sanitized.quote("\"\(text.prefix(80))\" is not a size: a whole number and a unit, as in 64MiB, 512KiB, 1048576"))
        }
        return bytes
    }

    /// The client's options: timeout, payload limit (of the body and of the parser), TLS.
    var clientOptions: DiagClient.Options {
        DiagClient.Options(
            timeout: timeout, maxBodyBytes: maxPayload, parserLimits: ExpositionLimits(maxPayloadBytes: maxPayload, maxSeries: maxSeries), tls: tls)
    }

    static func duration(_ text: String) throws -> Duration {
        let duration: Duration
        do { duration = try DurationText.read(text) } catch {
            throw ValidationError(Sanitized.quote("\"\(text.prefix(80))\" is not a duration: \(error.reason)"))
        }
        guard duration > .zero else { throw ValidationError(InputError(text, "must be longer than 0 (examples: 500ms, 5s, 1m)").description) }
        return duration
    }

    /// A polling interval: 250ms to 60s, as `+` and `-` step (never silently moved into range).
    static func interval(_ text: String) throws -> Duration {
        let value = try duration(text)
        guard value >= .milliseconds(250), value <= .seconds(60) else {
            throw ValidationError(InputError(text, "an interval is 250ms to 60s").description)
        }
        return value
    }

    var request: SourceResolver.Request {
        SourceResolver.Request(diagAddr: diagAddr, debugSocket: debugSocket, configPath: config, embedded: embedded)
    }

    /// The source the options name, by the one rule (a socket answers when a process accepts on it).
    func resolve(headless: Bool) throws(TargetError) -> SourceResolver.Source {
        try SourceResolver.resolve(request, headless: headless, socketAnswers: DebugSocketFile.answers)
    }

    var tls: ClientTLS? {
        caCert == nil && cert == nil && key == nil ? nil : ClientTLS(caCertPath: caCert, certPath: cert, keyPath: key)
    }

    /// The embedded listener's address.
    func embeddedAddress() throws -> ListenAddress {
        guard let embeddedAddr else { return .tcp(host: "127.0.0.1", port: 0) }
        do { return try ListenAddress(parsing: embeddedAddr) } catch { throw ValidationError(String(describing: error)) }
    }
}

/// Prints `teleport-top: message` on stderr and exits non-zero.
func fail(_ message: String) -> ExitCode {
    FileHandleOutput.standardError("teleport-top: \(Sanitized.quote(message))\n")
    return ExitCode.failure
}
