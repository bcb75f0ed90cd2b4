import Dispatch
import Logging
import MFProtocol
import NIOCore
import Synchronization

/// The engine's line handler: decode (MFProtocol) → access check → route → encode.
///
/// Reads answer synchronously on the event loop (`.now`); writes and admin
/// work complete on the engine's writer or a task (`.later`).
public final class Dispatcher: LineRequestHandler {
    public let engine: Engine
    let policy: AccessPolicy
    let logger: Logger
    let decoder = RequestDecoder()
    let encoder = ResponseEncoder()
    let counters: RequestCounters
    private let stats = Mutex<ServerStats?>(nil)
    /// Per connection, its unfinished asynchronous requests: later requests on
    /// that connection wait for them, so a pipelined client reads its own writes.
    private let pendingWrites = Mutex<[UInt64: Pending]>([:])

    struct Pending {
        var done: EventLoopFuture<Void>
        /// Only add_rating/add_ratings are pending.
        var ratingWrites: Bool
    }

    public init(engine: Engine, policy: AccessPolicy, logger: Logger) {
        self.engine = engine
        self.policy = policy
        self.logger = logger
        counters = RequestCounters(metrics: engine.metrics)
    }

    /// Lets `status` report open connections (call from the server's onReady).
    public func attach(_ serverStats: ServerStats) { stats.withLock { $0 = serverStats } }

    /// Peers allowed writes (root and the daemon's user among them) may use the reserved connection slots.
    public func isPrivileged(_ peer: PeerCredentials) -> Bool { policy.allows(peer, .write) }

    public func handle(line: ByteBuffer, context: RequestContext) -> LineReply {
        let decoded = line.withUnsafeReadableBytes { decoder.decode($0) }
        guard let decoded else { return .none }
        // Permission first: a peer that may not run an op learns nothing about its parameters.
        if let op = decoded.op {
            let needed = op.access
            guard policy.check(context.peer, needed, op: op.rawValue, logger: logger) else {
                counters.count(op, failed: true)
                let e = WireError(.permissionDenied, "permission denied: uid \(context.peer.uid) may not perform \(needed.rawValue) operations such as \(op.rawValue)")
                return .now(buffer(encoder.failure(id: decoded.id, e), context))
            }
        }
        switch decoded.request {
        case .success(let request):
            let progress = decoded.progress ? OperationProgress() : nil
            return Self.reporting(ordered(request, id: decoded.id, context: context, progress: progress),
                                  progress, id: decoded.id, encoder: encoder, allocator: context.allocator)
        case .failure(let e):
            counters.countDecodeError()
            return .now(buffer(encoder.failure(id: decoded.id, e), context))
        }
    }

    /// Drops the import sessions the connection began (`Engine.connectionClosed`):
    /// at once, and again once the connection's unfinished requests are done,
    /// so a queued `import_begin` cannot leave a session behind it.
    public func connectionClosed(context: RequestContext) {
        let conn = context.connectionID
        engine.connectionClosed(conn)
        if let pending = pendingWrites.withLock({ $0[conn] }) {
            pending.done.whenComplete { [engine] _ in engine.connectionClosed(conn) }
        }
    }

    /// Runs requests of one connection in order: a request waits for the
    /// connection's unfinished ones, except that consecutive rating writes
    /// overlap (they share group commits; the store keeps their queue order).
    func ordered(_ request: Request, id: RequestID, context: RequestContext, progress: OperationProgress? = nil) -> LineReply {
        let conn = context.connectionID
        let ratingWrite = request.op == .addRating || request.op == .addRatings
        let pending = pendingWrites.withLock { $0[conn] }
        let reply: LineReply
        var overlap: EventLoopFuture<Void>?
        if let pending, !(pending.ratingWrites && ratingWrite) {
            reply = .later(pending.done.flatMap { _ in self.routedLater(request, id: id, context: context, progress: progress) })
        } else {
            overlap = pending?.done
            reply = route(request, id: id, context: context, progress: progress)
        }
        if case .later(let f) = reply {
            let done = overlap.map { $0.and(f).map { _ in () } } ?? f.map { _ in () }
            pendingWrites.withLock { $0[conn] = Pending(done: done, ratingWrites: ratingWrite) }
            done.whenComplete { _ in
                self.pendingWrites.withLock { p in if p[conn]?.done === done { p[conn] = nil } }
            }
        }
        return reply
    }

    /// `route`'s reply as a future, for a request that runs once something else is done.
    func routedLater(_ request: Request, id: RequestID, context: RequestContext,
                     progress: OperationProgress? = nil) -> EventLoopFuture<ByteBuffer> {
        switch route(request, id: id, context: context, progress: progress) {
        case .now(let b): return context.eventLoop.makeSucceededFuture(b)
        case .later(let f), .progressing(let f, _): return f
        case .none: return context.eventLoop.makeSucceededFuture(ByteBuffer())
        }
    }

    /// A reply that completes later gets progress lines when the request asked
    /// for them (`"progress": true`): whatever runs it reports into `progress`.
    static func reporting(_ reply: LineReply, _ progress: OperationProgress?, id: RequestID,
                          encoder: ResponseEncoder, allocator: ByteBufferAllocator) -> LineReply {
        guard let progress, case .later(let future) = reply else { return reply }
        return .progressing(future, progress: { trimmed(encoder.progress(id: id, progress.report), allocator) })
    }

    /// Encodes a synchronous outcome.
    func now<R: Encodable>(_ op: Op, _ id: RequestID, _ context: RequestContext, _ body: () throws -> R) -> LineReply {
        let t0 = DispatchTime.now().uptimeNanoseconds
        do {
            let r = try body()
            let line = (r as? any FastResultJSON)?.successLine(id: id) ?? encoder.success(id: id, r)
            counters.count(op, failed: false, since: t0)
            return .now(buffer(line, context))
        } catch {
            let line = encoder.failure(id: id, WireError(engine: error))
            counters.count(op, failed: true, since: t0)
            return .now(buffer(line, context))
        }
    }

    /// Runs `body` on a task and completes the reply on the connection's loop.
    func later<R: Encodable & Sendable>(_ op: Op, _ id: RequestID, _ context: RequestContext,
                                        _ body: @escaping @Sendable () async throws -> R) -> LineReply {
        let promise = context.eventLoop.makePromise(of: ByteBuffer.self)
        let allocator = context.allocator
        let t0 = DispatchTime.now().uptimeNanoseconds
        promise.completeWithTask { [encoder, counters] in
            do {
                let line = encoder.success(id: id, try await body())
                counters.count(op, failed: false, since: t0)
                return Self.trimmed(line, allocator)
            } catch {
                let line = encoder.failure(id: id, WireError(engine: error))
                counters.count(op, failed: true, since: t0)
                return Self.trimmed(line, allocator)
            }
        }
        return .later(promise.futureResult)
    }

    /// Encodes the outcome of work queued by `body` (rating writes): no task
    /// of its own; an invalid request is answered at once.
    func queued<R: Encodable & Sendable>(_ op: Op, _ id: RequestID, _ context: RequestContext,
                                         _ body: () throws -> EventLoopFuture<R>) -> LineReply {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let future: EventLoopFuture<R>
        do { future = try body() } catch {
            return now(op, id, context) { () throws -> R in throw error }
        }
        let allocator = context.allocator
        return .later(future.map { [encoder, counters] r in
            let line = encoder.success(id: id, r)
            counters.count(op, failed: false, since: t0)
            return Self.trimmed(line, allocator)
        }.recover { [encoder, counters] error in
            let line = encoder.failure(id: id, WireError(engine: error))
            counters.count(op, failed: true, since: t0)
            return Self.trimmed(line, allocator)
        })
    }

    func buffer(_ bytes: [UInt8], _ context: RequestContext) -> ByteBuffer { Self.trimmed(bytes, context.allocator) }

    /// The encoder ends lines with `\n`; the server adds its own.
    static func trimmed(_ bytes: [UInt8], _ allocator: ByteBufferAllocator) -> ByteBuffer {
        var b = allocator.buffer(capacity: bytes.count)
        b.writeBytes(bytes.dropLast())
        return b
    }

    var openConnections: Int { stats.withLock { $0?.openConnections ?? 0 } }
}
