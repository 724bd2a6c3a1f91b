import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import TeleportCore
import TeleportDiagnostics
import TeleportOTLP
import TeleportTopData
import TeleportTopTestSupport

/// Real HTTP servers on loopback that misbehave the ways targets do: hang, answer HTML,
/// stream without end. Each is a Hummingbird application bound to 127.0.0.1:0.
package struct MisbehavingServer {
    package let port: Int
    package let group: ServiceGroup
    package let task: Task<Void, any Error>

    package static func start(_ configure: @escaping @Sendable (Router<BasicRequestContext>) -> Void) async throws -> MisbehavingServer {
        let router = Router(context: BasicRequestContext.self)
        configure(router)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let logger = Logger.diagnostics("misbehaving", control: LogLevelControl(.error), sink: quietSink)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        // A handler still streaming to a client that went away must not keep the server up
        // for ever: graceful shutdown becomes cancellation after 40 s (the /hang route sleeps 30).
        var configuration = ServiceGroupConfiguration(services: [.init(service: app)], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(40)
        let group = ServiceGroup(configuration: configuration)
        let task = Task { try await group.run() }
        guard let port = await stream.first(where: { _ in true }) else { throw FixtureError("no port") }
        return MisbehavingServer(port: port, group: group, task: task)
    }

    package var address: String { "127.0.0.1:\(port)" }

    package func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

/// A TCP server that answers every connection with a non-HTTP banner, as an SSH server would.
package final class BannerServer: @unchecked Sendable {
    package let port: Int
    private let fd: Int32
    private let thread: Thread

    package init(banner: String = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n") throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = self.fd
        guard withUnsafePointer(to: &address, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }) == 0,
            listen(fd, 16) == 0,
            withUnsafeMutablePointer(to: &address, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }) == 0
        else { throw FixtureError("banner server: cannot listen") }
        port = Int(UInt16(bigEndian: address.sin_port))
        let bytes = Array(banner.utf8)
        thread = Thread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                _ = bytes.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                // Read what the client sends until it hangs up (at most 2 s), as an SSH server
                // waits for the client's identification: closing with its request unread would
                // make the kernel answer with a reset, which a loaded machine can deliver before
                // the client has read the banner.
                var timeout = timeval(tv_sec: 2, tv_usec: 0)
                setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var sink = [UInt8](repeating: 0, count: 4096)
                while sink.withUnsafeMutableBytes({ read(client, $0.baseAddress, $0.count) }) > 0 {}
                close(client)
            }
        }
        thread.start()
    }

    package func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}
