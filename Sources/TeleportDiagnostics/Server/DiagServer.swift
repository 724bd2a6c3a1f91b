import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import TeleportCore

/// Serves the engine over HTTP: the diag listener on a TCP address, or the debug service
/// on a unix socket. A ServiceLifecycle service; `onListening` reports the bound address
/// (with the real port when asked for port 0).
public struct DiagServer: Service {
    public let address: ListenAddress
    let application: Application<RouterResponder<BasicRequestContext>>

    public init(
        engine: DiagnosticsEngine,
        address: ListenAddress,
        exposure: DiagExposure,
        logger: Logger,
        onListening: @escaping @Sendable (ListenAddress) async -> Void = { _ in }
    ) {
        self.address = address
        let bind: BindAddress
        switch address {
        case .tcp(let host, let port): bind = .hostname(host, port: port)
        case .unix(let path): bind = .unixDomainSocket(path: path)
        }
        application = Application(
            router: DiagRoutes.router(engine: engine, exposure: exposure),
            configuration: ApplicationConfiguration(address: bind, serverName: nil),
            onServerRunning: { channel in
                switch address {
                case .tcp(let host, _):
                    let port = channel.localAddress?.port ?? 0
                    await onListening(.tcp(host: host, port: port))
                case .unix(let path):
                    chmod(path, 0o600)
                    await onListening(address)
                }
            },
            logger: logger
        )
    }

    public func run() async throws {
        try await application.run()
    }
}
