#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOPosix

/// The line-protocol Unix-socket server: accepts connections and runs one
/// `LineConnectionHandler` per connection on NIO event loops.
public final class SocketServer: Sendable {
    /// Live counters.
    public let stats: ServerStats
    /// The socket the server listens on.
    public let source: ListenSource
    private let configuration: SocketServerConfiguration
    private let logger: Logger
    private let listener: any Channel
    private let quiescer: ServerQuiescingHelper
    private let connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>
    /// Device and inode of the socket file we created, to never unlink someone else's.
    private let createdFile: (dev: UInt64, ino: UInt64)?
    private let shutdownStarted = NIOLockedValueBox(false)

    private init(stats: ServerStats, source: ListenSource, configuration: SocketServerConfiguration, logger: Logger,
                 listener: any Channel, quiescer: ServerQuiescingHelper,
                 connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>, createdFile: (dev: UInt64, ino: UInt64)?) {
        self.stats = stats
        self.source = source
        self.configuration = configuration
        self.logger = logger
        self.listener = listener
        self.quiescer = quiescer
        self.connections = connections
        self.createdFile = createdFile
    }

    /// Binds (or adopts) the listening socket and starts accepting.
    public static func start(
        source: ListenSource,
        configuration: SocketServerConfiguration = SocketServerConfiguration(),
        handler: some LineRequestHandler,
        errorEncoder: ErrorLineEncoder = .json,
        logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> SocketServer {
        let stats = ServerStats(slots: ConnectionSlots(limit: configuration.maxConnections, reserved: configuration.reservedConnections,
                                                       perUID: configuration.maxConnectionsPerUID))
        let quiescer = ServerQuiescingHelper(group: group)
        let connections = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
        let config = configuration
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescer.makeServerChannelHandler(channel: channel))
                }
            }
            // A client that shuts down its write side still gets its replies.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.writeBufferWaterMark,
                value: ChannelOptions.Types.WriteBufferWaterMark(low: config.outboundLowWaterBytes, high: config.outboundHighWaterBytes))
            .childChannelInitializer { channel in
                PeerCredentials.of(channel, withGroups: config.readSupplementaryGroups).flatMapThrowing { peer in
                    if let refusal = stats.admit(uid: peer.uid, privileged: handler.isPrivileged(peer)) {
                        let kind: ServerErrorKind = switch refusal {
                        case .full(let limit): .tooManyConnections(limit: limit)
                        case .perUID(let uid, let limit): .tooManyConnectionsForUID(uid: UInt32(uid), limit: limit)
                        }
                        logger.warning("connection refused", metadata: ["reason": "\(kind.message)", "peer_uid": "\(peer.uid)",
                                                                       "peer_pid": "\(peer.pid)"])
                        let line = errorEncoder.encode(kind, nil, channel.allocator)
                        try channel.pipeline.syncOperations.addHandler(RejectConnectionHandler(line: line))
                        return
                    }
                    let id = ObjectIdentifier(channel)
                    connections.withLockedValue { $0[id] = channel }
                    channel.closeFuture.whenComplete { _ in
                        stats.release(uid: peer.uid)
                        connections.withLockedValue { _ = $0.removeValue(forKey: id) }
                    }
                    let connectionID = stats.makeConnectionID()
                    let context = RequestContext(peer: peer, allocator: channel.allocator,
                                                 eventLoop: channel.eventLoop, connectionID: connectionID)
                    channel.closeFuture.whenComplete { _ in handler.connectionClosed(context: context) }
                    var connLogger = logger
                    connLogger[metadataKey: "conn"] = "\(connectionID)"
                    connLogger.debug("connection opened", metadata: ["peer_uid": "\(peer.uid)", "peer_pid": "\(peer.pid)"])
                    let sync = channel.pipeline.syncOperations
                    if let idle = config.idleConnectionTimeout {
                        try sync.addHandler(IdleStateHandler(readTimeout: idle))
                    }
                    try sync.addHandler(LineConnectionHandler(
                        handler: handler, configuration: config, errors: errorEncoder,
                        stats: stats, logger: connLogger, requestContext: context))
                }
            }

        let fd: CInt
        var created: (dev: UInt64, ino: UInt64)?
        switch source {
        case .path(let path):
            fd = try ListenSocket.bindListening(path: path, mode: mode_t(config.socketMode))
            var st = stat()
            if stat(path, &st) == 0 { created = (UInt64(st.st_dev), UInt64(st.st_ino)) }
        case .inherited(let inheritedFD):
            fd = inheritedFD
        }
        let listener: any Channel
        do {
            listener = try await bootstrap.withBoundSocket(fd).get()
        } catch {
            if case .path(let path) = source { unlink(path) }
            throw error
        }
        logger.info("listening", metadata: ["socket": "\(source.logDescription)"])
        return SocketServer(stats: stats, source: source, configuration: config, logger: logger, listener: listener,
                            quiescer: quiescer, connections: connections, createdFile: created)
    }

    /// Completes when the listener closes (after `shutdown()` or on error).
    public func waitUntilListenerClosed() async {
        try? await listener.closeFuture.get()
    }

    /// Graceful stop: stop accepting, let connections finish their in-flight
    /// requests for up to `shutdownGracePeriod`, close the rest, and remove
    /// the socket file we created (never an inherited one). Idempotent.
    public func shutdown() async {
        let first = shutdownStarted.withLockedValue { started in
            defer { started = true }
            return !started
        }
        guard first else {
            await waitUntilListenerClosed()
            return
        }
        let loop = listener.eventLoop
        let drained = loop.makePromise(of: Void.self)
        quiescer.initiateShutdown(promise: drained)
        // Race the drain against the grace period on the listener's loop. (A task
        // group awaiting `drained` cannot be cancelled, so it would wait for a
        // connection that never drains — e.g. a client that never reads.)
        let timedOut = try? await Self.race(drained.futureResult, gracePeriod: configuration.shutdownGracePeriod, on: loop).get()
        if timedOut ?? true {
            let open = connections.withLockedValue { Array($0.values) }
            logger.warning("shutdown grace period over; closing connections", metadata: ["open": "\(open.count)"])
            for channel in open { channel.close(promise: nil) }
            try? await drained.futureResult.get()
        }
        try? await listener.closeFuture.get()
        removeSocketFile()
        logger.info("server stopped", metadata: ["requests": "\(stats.requests)"])
    }

    /// True when `gracePeriod` elapses before `drained` completes, false otherwise.
    static func race(_ drained: EventLoopFuture<Void>, gracePeriod: TimeAmount, on loop: any EventLoop) -> EventLoopFuture<Bool> {
        loop.flatSubmit {
            let outcome = loop.makePromise(of: Bool.self)
            let done = NIOLoopBoundBox(false, eventLoop: loop)
            let timer = loop.assumeIsolated().scheduleTask(in: gracePeriod) {
                guard !done.value else { return }
                done.value = true
                outcome.succeed(true)
            }
            drained.hop(to: loop).assumeIsolated().whenComplete { _ in
                timer.cancel()
                guard !done.value else { return }
                done.value = true
                outcome.succeed(false)
            }
            return outcome.futureResult
        }
    }

    private func removeSocketFile() {
        guard case .path(let path) = source, let created = createdFile else { return }
        var st = stat()
        guard stat(path, &st) == 0, UInt64(st.st_dev) == created.dev, UInt64(st.st_ino) == created.ino else { return }
        unlink(path)
    }
}

extension ListenSource: CustomStringConvertible {
    public var description: String { logDescription }
    var logDescription: String {
        switch self {
        case .path(let p): p
        case .inherited(let fd): "inherited fd \(fd)"
        }
    }
}

/// Sends one `too_many_connections` line and closes.
final class RejectConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let line: ByteBuffer

    init(line: ByteBuffer) { self.line = line }

    /// Sends the line and shuts the output; the connection closes when the
    /// peer closes or after a second. Closing at once let a client that wrote
    /// its request meanwhile fail on the write (EPIPE) before it read the line.
    func channelActive(context: ChannelHandlerContext) {
        var line = self.line
        line.writeInteger(UInt8(ascii: "\n"))
        let loop = context.eventLoop.assumeIsolated()
        context.writeAndFlush(wrapOutboundOut(line)).assumeIsolated().whenComplete { _ in
            let halfClosed = context.eventLoop.makePromise(of: Void.self)
            halfClosed.futureResult.assumeIsolated().whenFailure { _ in context.close(promise: nil) }
            context.close(mode: .output, promise: halfClosed)
            let channel = context.channel
            loop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}  // discard

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .some(.inputClosed) = event as? ChannelEvent { context.close(promise: nil) }
    }
}
