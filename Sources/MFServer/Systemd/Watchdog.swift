#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle

/// The systemd watchdog: ping interval parsing and the pinger service.
public enum Watchdog {
    /// Half of `WATCHDOG_USEC`, or nil when the watchdog is off or meant for
    /// another process (`WATCHDOG_PID` ≠ `pid`). Throws on a malformed value.
    public static func pingInterval(environment env: [String: String], pid: pid_t) throws -> Duration? {
        guard let usecText = env["WATCHDOG_USEC"] else { return nil }
        if let pidText = env["WATCHDOG_PID"] {
            guard let watchdogPID = pid_t(pidText) else {
                throw MFServerError.invalidConfiguration(field: "WATCHDOG_PID", message: "not a process id: '\(pidText)'")
            }
            guard watchdogPID == pid else { return nil }
        }
        guard let usec = UInt64(usecText), usec > 0 else {
            throw MFServerError.invalidConfiguration(field: "WATCHDOG_USEC", message: "not a positive integer: '\(usecText)'")
        }
        return .microseconds(Int64(clamping: usec / 2))
    }
}

/// Sends `WATCHDOG=1` every `interval` until graceful shutdown. Put it first
/// in the ServiceGroup so it is shut down last and keeps pinging while the
/// server drains.
public struct WatchdogService: Service {
    public let interval: Duration
    public let notifier: SystemdNotifier
    public let logger: Logger

    public init(interval: Duration, notifier: SystemdNotifier, logger: Logger) {
        self.interval = interval
        self.notifier = notifier
        self.logger = logger
    }

    public func run() async throws {
        logger.info("watchdog enabled", metadata: ["interval": "\(interval)"])
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try notifier.notify(.watchdog)
                } catch {
                    logger.error("watchdog ping failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
