import Logging
import MFServer
import ServiceLifecycle

/// Waits for the engine's background load: on success it tells systemd and
/// returns (the group ignores that); if loading fails it throws, which stops
/// mfd with that error, since nothing may be written to a store it could not load.
struct EngineLoadService: Service {
    let engine: Engine
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        do { try await engine.loaded() } catch where engine.isShuttingDown {
            return  // stopped while loading (SIGTERM): not a failure
        }
        do { try notifier.notify(.status("serving, \(engine.snapshot.ratingCount) ratings loaded")) } catch {
            logger.warning("sd_notify STATUS failed", metadata: ["error": "\(error)"])
        }
    }
}
