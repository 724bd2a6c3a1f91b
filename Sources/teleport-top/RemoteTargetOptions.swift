import ArgumentParser
import TeleportCore
import TeleportDiagnostics
import TeleportTopData

/// The options that name a real target, for commands that never use the embedded engine
/// (`profile`): TargetOptions without `--embedded`.
struct RemoteTargetOptions: ParsableArguments {
    @Option(name: .customLong("diag-addr"), help: "The diag listener: host:port, http://host:port or https://host:port.")
    var diagAddr: String?

    @Option(name: .customLong("debug-socket"), help: "Teleport's debug socket (<data_dir>/debug.sock).")
    var debugSocket: String?

    @Option(name: [.customShort("c"), .customLong("config")], help: "A teleport.yaml: its <teleport.data_dir>/debug.sock (pprof is always served there).")
    var config: String?

    @Option(name: .customLong("ca-cert"), help: "CA certificate (PEM) to trust for https:// targets.")
    var caCert: String?

    @Option(help: "Client certificate (PEM) for mutual TLS.")
    var cert: String?

    @Option(help: "Client key (PEM) for mutual TLS.")
    var key: String?

    @Option(help: "Time allowed for one request on top of its capture seconds, e.g. 10s.", transform: TargetOptions.duration)
    var timeout: Duration = .seconds(10)

    var request: SourceResolver.Request {
        SourceResolver.Request(diagAddr: diagAddr, debugSocket: debugSocket, configPath: config)
    }

    /// The source the options name, by the one rule (a socket answers when a process accepts on it).
    func resolve(headless: Bool) throws(TargetError) -> SourceResolver.Source {
        try SourceResolver.resolve(request, headless: headless, socketAnswers: DebugSocketFile.answers)
    }

    var tls: ClientTLS? {
        caCert == nil && cert == nil && key == nil ? nil : ClientTLS(caCertPath: caCert, certPath: cert, keyPath: key)
    }
}
