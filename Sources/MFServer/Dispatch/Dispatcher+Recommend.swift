import Dispatch
import MFProtocol

extension Dispatcher {
    /// `recommend`: a plain request whose cached answer the current snapshot
    /// would compute again is copied from the engine's `RecommendCache`;
    /// anything else is computed, and a plain request's encoded result is kept.
    func recommend(_ r: RecommendRequest, id: RequestID, context: RequestContext) -> LineReply {
        let cache = engine.recommendCache
        guard let key = cache.key(for: r) else { return now(.recommend, id, context) { try engine.recommendReply(r) } }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let snapshot = engine.snapshot
        if let tail = cache.tail(for: key, in: snapshot) {
            engine.metrics.recommendCacheHits.increment()
            counters.count(.recommend, failed: false, since: t0)
            return .now(buffer(RecommendReply.successLine(id: id, tail: tail), context))
        }
        engine.metrics.recommendCacheMisses.increment()
        return now(.recommend, id, context) {
            let reply = try engine.recommendReply(r, in: snapshot)
            if let tail = reply.lineTail() {
                cache.store(tail, for: key, in: snapshot, popular: reply.result.source == .popular)
                return CachedRecommendReply(reply: reply, tail: tail)
            }
            return CachedRecommendReply(reply: reply, tail: nil)
        }
    }
}

/// A computed recommend whose line tail is already encoded (so the miss path encodes once).
private struct CachedRecommendReply: Encodable, FastResultJSON {
    let reply: RecommendReply
    let tail: [UInt8]?

    func encode(to encoder: any Encoder) throws { try reply.encode(to: encoder) }

    func successLine(id: RequestID) -> [UInt8]? {
        tail.map { RecommendReply.successLine(id: id, tail: $0) }
    }
}
