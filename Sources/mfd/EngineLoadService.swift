import Logging
import MFServer
import ServiceLifecycle

/// Waits for the engine's background load: on success it tells systemd; if
/// loading fails it throws, which stops mfd with that error, since nothing
/// may be written to a store it could not load. Either way it then stays
/// until the group shuts it down: ServiceGroup shuts services down one at a
/// time in reverse order and takes any other service that returns meanwhile
/// as a failure (exit 1), and a SIGTERM during the load ends the load while
/// the server drains.
struct EngineLoadService: Service {
    let engine: Engine
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        do {
            try await engine.loaded()
            do { try notifier.notify(.status("serving, \(engine.snapshot.ratingCount) ratings loaded")) } catch {
                logger.warning("sd_notify STATUS failed", metadata: ["error": "\(error)"])
            }
        } catch where engine.isShuttingDown {
            // Stopped while loading (SIGTERM): not a failure.
        }
        try? await gracefulShutdown()
    }
}
