import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Runs the socket server as a ServiceLifecycle `Service`.
///
/// `run()` binds (or adopts) the socket, calls `onReady` (send READY=1
/// there), and serves until graceful shutdown. Then it calls
/// `onShutdownStarted` (send STOPPING=1; the engine cancels training), stops
/// accepting, lets in-flight requests finish within the grace period, calls
/// `onDrained` (the engine flushes), removes the socket file it created and
/// returns normally so the process can exit 0.
public struct SocketServerService: Service {
    public let source: ListenSource
    public let configuration: SocketServerConfiguration
    public let handler: any LineRequestHandler
    public let errorEncoder: ErrorLineEncoder
    public let logger: Logger
    public let group: any EventLoopGroup
    public let onReady: @Sendable (SocketServer) async throws -> Void
    public let onShutdownStarted: @Sendable () async -> Void
    public let onDrained: @Sendable () async -> Void

    public init(
        source: ListenSource,
        configuration: SocketServerConfiguration = SocketServerConfiguration(),
        handler: any LineRequestHandler,
        errorEncoder: ErrorLineEncoder = .json,
        logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onReady: @escaping @Sendable (SocketServer) async throws -> Void = { _ in },
        onShutdownStarted: @escaping @Sendable () async -> Void = {},
        onDrained: @escaping @Sendable () async -> Void = {}
    ) {
        self.source = source
        self.configuration = configuration
        self.handler = handler
        self.errorEncoder = errorEncoder
        self.logger = logger
        self.group = group
        self.onReady = onReady
        self.onShutdownStarted = onShutdownStarted
        self.onDrained = onDrained
    }

    public func run() async throws {
        let server = try await SocketServer.start(
            source: source, configuration: configuration, handler: handler,
            errorEncoder: errorEncoder, logger: logger, group: group)
        do {
            try await onReady(server)
        } catch {
            await server.shutdown()
            throw error
        }
        // Serve until graceful shutdown, cancellation, or the listener failing.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await gracefulShutdown() }
            group.addTask { await server.waitUntilListenerClosed() }
            await group.next()
            logger.info("shutting down")
            await onShutdownStarted()
            await server.shutdown()  // closes the listener, so the other child ends too
            group.cancelAll()  // ends gracefulShutdown() if the listener failed first
        }
        await onDrained()
    }
}
