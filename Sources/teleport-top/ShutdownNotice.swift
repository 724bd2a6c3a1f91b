import Logging
import ServiceLifecycle

/// Says what a graceful shutdown waits for (spans still queued for a collector that may not
/// answer), the moment it begins, so a slow exit is never silent.
struct ShutdownNotice: Service {
    let logger: Logger
    /// Nil: nothing worth saying.
    let message: String?

    func run() async throws {
        try? await gracefulShutdown()
        if let message { logger.info("\(message)") }
    }
}
