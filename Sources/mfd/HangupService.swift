import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP, the reload signal of the systemd convention. mfd reads its
/// settings (flags and environment) once at start and has nothing it could
/// re-read, so it logs the signal and keeps serving, where the default action
/// would end the process with no drain (exit 129).
struct HangupService: Service {
    let signals: UnixSignalsSequence
    let logger: Logger

    /// Traps SIGHUP from this call on; call it before the slow parts of startup.
    static func trap(logger: Logger) async -> HangupService {
        HangupService(signals: await UnixSignalsSequence(trapping: .sighup), logger: logger)
    }

    /// Logs each SIGHUP until graceful shutdown; the signal stays trapped until mfd exits.
    func run() async {
        for await _ in signals.cancelOnGracefulShutdown() {
            logger.notice("SIGHUP: nothing to reload; settings are read at start, restart mfd to change them")
        }
    }
}
