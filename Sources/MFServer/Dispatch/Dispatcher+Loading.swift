import MFProtocol
import NIOCore

extension Dispatcher {
    /// While the engine loads: `recommend` and `predict` answer from the stored
    /// model (`Engine.recommendWhileLoading`), requests that need no ratings
    /// run as usual (nil), and everything else, writes among them, waits for
    /// the load to end and then runs as usual.
    func routeWhileLoading(_ request: Request, id: RequestID, context c: RequestContext) -> LineReply? {
        let e = engine
        switch request {
        case .hello, .ping, .status, .metrics, .getConfig, .trainStatus, .similarItems:
            return nil
        case .recommend(let r):
            return later(.recommend, id, c) { try await e.recommendWhileLoading(r) }
        case .predict(let r):
            return later(.predict, id, c) { try await e.predictWhileLoading(r) }
        default:
            let promise = c.eventLoop.makePromise(of: Void.self)
            promise.completeWithTask { try await e.loaded() }
            return .later(promise.futureResult.flatMap { _ -> EventLoopFuture<ByteBuffer> in
                switch self.route(request, id: id, context: c) {
                case .now(let b): return c.eventLoop.makeSucceededFuture(b)
                case .later(let f): return f
                case .none: return c.eventLoop.makeSucceededFuture(ByteBuffer())
                }
            }.flatMapErrorThrowing { [encoder] error in
                self.counters.count(request.op, failed: true)
                return Self.trimmed(encoder.failure(id: id, WireError(engine: error)), c.allocator)
            })
        }
    }
}
