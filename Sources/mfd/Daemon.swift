import Foundation
import Logging
import MFCore
import MFDKit
import MFProtocol
import MFServer
import MFStore
import ServiceLifecycle

/// Wires settings, systemd integration and the server into one ServiceGroup.
struct Daemon {
    let settings: DaemonSettings

    func run() async throws {
        Heap.configure()
        let env = settings.environment
        let level = settings.logLevel
        let journal = env["JOURNAL_STREAM"] != nil
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, level: level, priorityPrefix: journal) }
        let logger = Logger(label: "mfd")
        for deprecation in settings.deprecations { logger.warning("\(deprecation)") }
        let hangup = await HangupService.trap(logger: logger)

        // Adopt before anything else can read or inherit LISTEN_* variables.
        let activated = try SocketActivation.select(SocketActivation.adoptFromEnvironment(env))
        let source: ListenSource
        if let activated {
            source = .inherited(fd: activated.fd)
        } else {
            guard settings.socketPath.utf8.count <= SocketPath.maxPathBytes else {
                throw MFServerError.invalidConfiguration(
                    field: "--socket", message: "is \(settings.socketPath.utf8.count) bytes long; a Unix socket path may have at most \(SocketPath.maxPathBytes)")
            }
            try DefaultPaths.ensureParentDirectory(of: settings.socketPath, mode: 0o700)
            source = .path(settings.socketPath)
        }
        let notifier = SystemdNotifier(environment: env)
        logger.info("starting", metadata: [
            "pid": "\(getpid())", "db": "\(settings.databasePath)", "socket": "\(source)",
            "max_line_bytes": "\(settings.server.maxLineBytes)", "max_connections": "\(settings.server.maxConnections)",
            "max_batch": "\(settings.maxBatch)", "notify": "\(notifier.isEnabled)",
            "access": "\(settings.access)", "kernels": "\(KernelPath.active.rawValue)",
        ])

        try DefaultPaths.ensureParentDirectory(of: settings.databasePath, mode: 0o700)
        var storeOptions = StoreOptions()
        storeOptions.keepModels = settings.keepModels
        storeOptions.sharedGroup = settings.accessGroup
        storeOptions.ratingScale = Float(settings.engine.ratingMin)...Float(settings.engine.ratingMax)
        // The engine runs the check in its loading phase, before any write: it reads every page.
        storeOptions.quickCheckAtOpen = false
        let store = try Store.open(path: settings.databasePath, options: storeOptions)
        try notifier.notify(.status("loading model"))
        // Returns at once; the engine serves its stored model while it loads the ratings.
        let engine = try await Engine.start(store: store, configuration: settings.engine, logger: logger)
        let dispatcher = Dispatcher(engine: engine, policy: settings.access, logger: logger)
        let server = SocketServerService(
            source: source, configuration: settings.server, handler: dispatcher, logger: logger,
            onReady: { server in
                dispatcher.attach(server.stats)
                logger.info("ready", metadata: ["socket": "\(server.source)", "model": "\(engine.snapshot.modelID.map(String.init) ?? "none")",
                                                "loading": "\(engine.isLoading)"])
                try notifier.notify(.ready, .status(engine.isLoading ? "serving the stored model, loading ratings" : "serving on \(server.source)"))
            },
            onShutdownStarted: {
                do { try notifier.notify(.stopping, .status("shutting down")) } catch {
                    logger.warning("sd_notify STOPPING failed", metadata: ["error": "\(error)"])
                }
                await engine.shutdown()  // cancels training; in-flight writes still finish
            },
            onDrained: {
                do { try store.close() } catch { logger.error("closing the database failed", metadata: ["error": "\(error)"]) }
            })
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: server)]
        if let interval = try Watchdog.pingInterval(environment: env, pid: getpid()) {
            // First in the list = shut down last, so it pings while the server drains.
            services.insert(.init(service: WatchdogService(interval: interval, notifier: notifier, logger: logger)), at: 0)
        }
        // First of all: a SIGTERM while loading drains the server and closes the store,
        // which ends the load, before this service is asked to stop.
        services.insert(.init(service: EngineLoadService(engine: engine, notifier: notifier, logger: logger),
                              successTerminationBehavior: .ignore), at: 0)
        // Shut down last: a SIGHUP while draining is logged too.
        services.insert(.init(service: hangup, successTerminationBehavior: .ignore), at: 0)
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        logger.info("stopped")
    }
}
