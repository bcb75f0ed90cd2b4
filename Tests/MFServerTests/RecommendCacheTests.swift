import Foundation
import Logging
import MFProtocol
import NIOCore
import NIOPosix
import Testing
import MFCore
@testable import MFServer

@Suite struct RecommendCacheTests {
    private func snapshot() -> EngineSnapshot {
        EngineSnapshot(base: nil, users: ShardedMap(), items: ShardedMap(), ratingCount: 0, sequence: 0, pendingChanges: 0)
    }

    @Test func entriesServeOnlyTheirSnapshotAndStayWithinCapacity() throws {
        let cache = RecommendCache(capacityBytes: 10)
        let s1 = snapshot(), s2 = snapshot()
        let k = try #require(cache.key(for: RecommendRequest(user: 7)))
        #expect(cache.tail(for: k, in: s1) == nil)
        cache.store([1, 2, 3, 4], for: k, in: s1)
        #expect(cache.tail(for: k, in: s1) == [1, 2, 3, 4])
        // A newer snapshot empties the cache; a store computed on the old one is dropped.
        #expect(cache.tail(for: k, in: s2) == nil)
        #expect(cache.usage.entries == 0)
        cache.store([9], for: k, in: s1)
        #expect(cache.tail(for: k, in: s2) == nil)
        // Past the capacity the cache empties and refills; a tail larger than it is not kept.
        let k2 = try #require(cache.key(for: RecommendRequest(user: 8))), k3 = try #require(cache.key(for: RecommendRequest(user: 9)))
        cache.store([1, 2, 3, 4, 5, 6], for: k, in: s2)
        cache.store([1, 2, 3], for: k2, in: s2)
        #expect(cache.usage.entries == 2 && cache.usage.bytes == 9)
        cache.store([1, 2], for: k3, in: s2)
        #expect(cache.usage.entries == 1 && cache.tail(for: k3, in: s2) == [1, 2] && cache.tail(for: k, in: s2) == nil)
        cache.store(Array(repeating: 0, count: 11), for: k, in: s2)
        #expect(cache.tail(for: k, in: s2) == nil)
    }

    @Test func onlyPlainRequestsHaveKeys() {
        let cache = RecommendCache(capacityBytes: 1 << 20)
        #expect(cache.key(for: RecommendRequest(user: 1, n: 5, excludeSeen: false)) == .init(user: 1, n: 5, excludeSeen: false))
        #expect(cache.key(for: RecommendRequest(user: 1, exclude: [3])) == nil)
        #expect(cache.key(for: RecommendRequest(user: 1, include: [3])) == nil)
        #expect(cache.key(for: RecommendRequest(user: 1, explain: true)) == nil)
        #expect(RecommendCache(capacityBytes: 0).key(for: RecommendRequest(user: 1)) == nil)
    }

    private func reply(_ d: Dispatcher, _ line: String) throws -> String {
        let context = RequestContext(peer: PeerCredentials(pid: 1, uid: 0, gid: 0), allocator: ByteBufferAllocator(),
                                     eventLoop: MultiThreadedEventLoopGroup.singleton.next(), connectionID: 1)
        guard case .now(let b) = d.handle(line: ByteBuffer(string: line), context: context) else {
            Issue.record("recommend did not answer at once")
            return ""
        }
        return String(buffer: b)
    }

    private func sample(_ engine: Engine, _ name: String) -> Double? {
        engine.metricsText(connections: 0).text.split(separator: "\n")
            .first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }

    @Test func aRepeatedRecommendIsCopiedUntilAWriteChangesTheAnswer() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings)
        defer { f.discard() }
        let uncached = try await EngineFixture.make(ratings: EngineFixture.tasteRatings, recommendCacheBytes: 0)
        defer { uncached.discard() }
        let d = Dispatcher(engine: f.engine, policy: .standard(daemonUID: 0), logger: Logger(label: "t"))
        let plain = Dispatcher(engine: uncached.engine, policy: .standard(daemonUID: 0), logger: Logger(label: "t"))

        let first = try reply(d, #"{"id":1,"op":"recommend","user":2,"n":5}"#)
        let second = try reply(d, #"{"id":"again","op":"recommend","user":2,"n":5}"#)
        #expect(first.hasPrefix(#"{"id":1,"ok":true,"result":{"user":2,"items":[{"item":"#), "\(first)")
        #expect(second == first.replacingOccurrences(of: #"{"id":1,"#, with: #"{"id":"again","#))
        #expect(try reply(plain, #"{"id":1,"op":"recommend","user":2,"n":5}"#) == first, "the cache changed the answer")
        #expect(sample(f.engine, "mfd_recommend_cache_hits_total") == 1 && sample(f.engine, "mfd_recommend_cache_misses_total") == 1)
        #expect(sample(f.engine, "mfd_recommend_cache_entries") == 1)
        // Other n, exclude_seen or a request with exclude are computed, not copied.
        _ = try reply(d, #"{"id":2,"op":"recommend","user":2,"n":4}"#)
        _ = try reply(d, #"{"id":3,"op":"recommend","user":2,"n":5,"exclude":[1]}"#)
        #expect(sample(f.engine, "mfd_recommend_cache_hits_total") == 1)

        // A rating of the top item makes it seen: the next answer changes at once, in both engines alike.
        let top = try #require(first.split(separator: ",").first { $0.contains(#""item":"#) }?
            .split(separator: ":").last.flatMap { Int64($0) })
        for e in [f.engine, uncached.engine] { _ = try await e.addRating(AddRatingRequest(user: 2, item: top, rating: 0.5)) }
        let after = try reply(d, #"{"id":1,"op":"recommend","user":2,"n":5}"#)
        #expect(after != first && !after.contains(#"{"item":\#(top),"#), "\(after)")
        #expect(try reply(plain, #"{"id":1,"op":"recommend","user":2,"n":5}"#) == after)
    }

    /// Any reply, waiting for asynchronous ones (writes).
    private func anyReply(_ d: Dispatcher, _ line: String) async throws -> String {
        let context = RequestContext(peer: PeerCredentials(pid: 1, uid: 0, gid: 0), allocator: ByteBufferAllocator(),
                                     eventLoop: MultiThreadedEventLoopGroup.singleton.next(), connectionID: 2)
        switch d.handle(line: ByteBuffer(string: line), context: context) {
        case .none: return ""
        case .now(let b): return String(buffer: b)
        case .later(let f): return String(buffer: try await f.get())
        }
    }

    /// The oracle: through random writes, catalogue changes and retrains, every
    /// recommend the Dispatcher answers (computed or cached) is byte for byte
    /// what computing it afresh on the same snapshot gives.
    @Test func cachedAnswersEqualFreshOnesThroughRandomWrites() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings)
        defer { f.discard() }
        let d = Dispatcher(engine: f.engine, policy: .standard(daemonUID: 0), logger: Logger(label: "t"))
        var rng = SeededRNG(seed: 7)
        func pick(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(rng.next() % UInt64(r.count)) }
        var hitsBefore = 0.0, checked = 0
        for step in 0..<600 {
            switch pick(0...19) {
            case 0...3:
                _ = try await anyReply(d, #"{"op":"add_rating","user":\#(pick(1...34)),"item":\#(pick(1...44)),"rating":\#(Double(pick(1...10)) / 2)}"#)
            case 4:
                _ = try await anyReply(d, #"{"op":"add_item","item":\#(pick(1...44)),"title":"title \#(step)","genres":["g\#(step % 3)"]}"#)
            case 5:
                _ = try await anyReply(d, #"{"op":"delete_rating","user":\#(pick(1...34)),"item":\#(pick(1...44))}"#)
            case 6 where step % 150 == 6:
                _ = try await anyReply(d, #"{"op":"train","wait":true}"#)
            default:
                let user = pick(1...34), n = pick(1...6), seen = pick(0...3) > 0
                let line = #"{"id":\#(step),"op":"recommend","user":\#(user),"n":\#(n),"exclude_seen":\#(seen)}"#
                for _ in 0..<20 {
                    let before = f.engine.snapshot
                    let first = try reply(d, line), second = try reply(d, line)
                    guard f.engine.snapshot === before else { continue }  // a background pass published meanwhile
                    let fresh = try f.engine.recommendReply(RecommendRequest(user: Int64(user), n: n, excludeSeen: seen), in: before)
                        .successLine(id: .int(Int64(step)))!.dropLast()
                    #expect(first == String(decoding: fresh, as: UTF8.self), "step \(step)")
                    #expect(second == first, "step \(step)")
                    checked += 1
                    break
                }
            }
        }
        hitsBefore = sample(f.engine, "mfd_recommend_cache_hits_total") ?? 0
        #expect(checked > 300 && hitsBefore >= Double(checked), "\(checked) checked, \(hitsBefore) hits")
    }
}
