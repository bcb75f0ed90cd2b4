import Foundation
import Logging
import MFProtocol
import Testing
import MFCore
@testable import MFServer

@Suite struct RecommendCacheTests {
    private func snapshot(_ users: ShardedMap<UserEntry> = ShardedMap(), catalogue: Int = 0) -> EngineSnapshot {
        EngineSnapshot(base: nil, users: users, items: ShardedMap(), ratingCount: 0, sequence: 0, pendingChanges: 0,
                       catalogueVersion: catalogue)
    }

    @Test func modelAnswersOutliveOtherUsersWritesAndPopularOnesDoNot() throws {
        let cache = RecommendCache(capacityBytes: 1 << 20)
        var users = ShardedMap<UserEntry>()
        users[7] = UserEntry()
        let s1 = snapshot(users)
        let k7 = try #require(cache.key(for: RecommendRequest(user: 7))), k9 = try #require(cache.key(for: RecommendRequest(user: 9)))
        #expect(cache.tail(for: k7, in: s1) == nil)
        cache.store([1, 2, 3], for: k7, in: s1, popular: false)
        cache.store([4], for: k9, in: s1, popular: true)
        #expect(cache.tail(for: k7, in: s1) == [1, 2, 3] && cache.tail(for: k9, in: s1) == [4])
        // Another write elsewhere: a new snapshot, user 7's entry untouched.
        let s2 = snapshot(users)
        #expect(cache.tail(for: k7, in: s2) == [1, 2, 3])
        #expect(cache.tail(for: k9, in: s2) == nil, "a popular answer serves only its snapshot")
        cache.store([5], for: k9, in: s1, popular: true)
        #expect(cache.tail(for: k9, in: s2) == nil, "a popular answer of an older snapshot is not kept")
        // User 7 changed: its answer is recomputed.
        var changed = users
        changed[7] = UserEntry(seen: [1])
        let s3 = snapshot(changed)
        #expect(cache.tail(for: k7, in: s3) == nil)
        cache.store([6], for: k7, in: s3, popular: false)
        #expect(cache.tail(for: k7, in: s3) == [6])
        // A catalogue change empties the cache.
        #expect(cache.tail(for: k7, in: snapshot(changed, catalogue: 1)) == nil && cache.usage.entries == 0)
        // Publishing moves the cache too, so what a snapshot replaced is let go without waiting for a lookup.
        cache.store([8], for: k7, in: snapshot(changed, catalogue: 1), popular: false)
        #expect(cache.usage.entries == 1)
        cache.follow(snapshot(changed, catalogue: 2))
        #expect(cache.usage.entries == 0)
    }

    /// What one answer of `bytes` bytes counts against the capacity.
    private func cost(_ bytes: Int) -> Int { RecommendCache.cost(of: Array(repeating: 0, count: bytes)) }

    @Test func theCacheStaysWithinItsCapacity() throws {
        let cache = RecommendCache(capacityBytes: cost(6) + cost(3) + cost(2) - 1)
        let s = snapshot()
        let keys = try (1...3).map { try #require(cache.key(for: RecommendRequest(user: Int64($0)))) }
        _ = cache.tail(for: keys[0], in: s)
        cache.store([1, 2, 3, 4, 5, 6], for: keys[0], in: s, popular: false)
        cache.store([1, 2, 3], for: keys[1], in: s, popular: true)
        #expect(cache.usage.entries == 2 && cache.usage.bytes == cost(6) + cost(3))
        cache.store([1, 2], for: keys[2], in: s, popular: false)
        #expect(cache.usage.entries == 1 && cache.usage.bytes == cost(2) && cache.tail(for: keys[0], in: s) == nil)
        cache.store([1, 2, 3], for: keys[2], in: s, popular: false)
        #expect(cache.usage.bytes == cost(3), "a replaced entry's bytes are given back")
        cache.store(Array(repeating: 0, count: cost(6) + cost(3) + cost(2)), for: keys[0], in: s, popular: false)
        #expect(cache.tail(for: keys[0], in: s) == nil, "an answer larger than the cache is not kept")
    }

    @Test func aReaderWithAnOlderSnapshotNeitherUsesNorResetsTheCache() throws {
        let cache = RecommendCache(capacityBytes: 1 << 20)
        let k = try #require(cache.key(for: RecommendRequest(user: 1)))
        let older = snapshot(), newer = snapshot(catalogue: 1)
        cache.follow(newer)
        cache.store([1], for: k, in: newer, popular: false)
        #expect(cache.tail(for: k, in: older) == nil)
        cache.store([2], for: k, in: older, popular: false)  // computed on the old catalogue: not kept
        #expect(cache.tail(for: k, in: newer) == [1] && cache.usage.entries == 1)
    }

    @Test func onlyPlainRequestsHaveKeys() {
        let cache = RecommendCache(capacityBytes: 1 << 20)
        #expect(cache.key(for: RecommendRequest(user: 1, n: 5, excludeSeen: false)) == .init(user: 1, n: 5, excludeSeen: false))
        #expect(cache.key(for: RecommendRequest(user: 1, exclude: [3])) == nil)
        #expect(cache.key(for: RecommendRequest(user: 1, include: [3])) == nil)
        #expect(cache.key(for: RecommendRequest(user: 1, explain: true)) == nil)
        #expect(RecommendCache(capacityBytes: 0).key(for: RecommendRequest(user: 1)) == nil)
    }

    private func reply(_ d: Dispatcher, _ line: String) throws -> String { d.immediateReply(line) }

    private func sample(_ engine: Engine, _ name: String) -> Double? {
        engine.metricsText(connections: 0).text.split(separator: "\n")
            .first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }

    @Test func aRepeatedRecommendIsCopiedUntilAWriteChangesTheAnswer() async throws {
        // No timed item passes: both engines must hold the same item rows whenever they are compared.
        let quiet: (inout EngineConfiguration) -> Void = { $0.itemRefreshInterval = 3600 }
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings, configure: quiet)
        defer { f.discard() }
        let uncached = try await EngineFixture.make(ratings: EngineFixture.tasteRatings, recommendCacheBytes: 0, configure: quiet)
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

        // Another user's rating leaves user 2's answer cached (unless an item pass brought a new base meanwhile).
        let baseBefore = f.engine.snapshot.base
        _ = try await f.engine.addRating(AddRatingRequest(user: 7, item: 3, rating: 2))
        let hits = sample(f.engine, "mfd_recommend_cache_hits_total") ?? 0
        let again = try reply(d, #"{"id":1,"op":"recommend","user":2,"n":5}"#)
        if f.engine.snapshot.base === baseBefore && f.engine.snapshot.users.generation(of: 2) != f.engine.snapshot.users.generation(of: 7) {
            #expect(again == first && sample(f.engine, "mfd_recommend_cache_hits_total") == hits + 1)
        }
        _ = try await uncached.engine.addRating(AddRatingRequest(user: 7, item: 3, rating: 2))

        // A rating of the top item makes it seen: the next answer changes at once, in both engines alike.
        let top = try #require(first.split(separator: ",").first { $0.contains(#""item":"#) }?
            .split(separator: ":").last.flatMap { Int64($0) })
        for e in [f.engine, uncached.engine] { _ = try await e.addRating(AddRatingRequest(user: 2, item: top, rating: 0.5)) }
        let after = try reply(d, #"{"id":1,"op":"recommend","user":2,"n":5}"#)
        #expect(after != first && !after.contains(#"{"item":\#(top),"#), "\(after)")
        #expect(try reply(plain, #"{"id":1,"op":"recommend","user":2,"n":5}"#) == after)

        // An unknown user's popularity answer shows damped means, which any user's rating moves.
        let popular = try reply(d, #"{"id":1,"op":"recommend","user":999,"n":3}"#)
        let listed = try #require(popular.split(separator: ",").first { $0.contains(#""item":"#) }?
            .split(separator: ":").last.flatMap { Int64($0) })
        _ = try reply(d, #"{"id":1,"op":"recommend","user":999,"n":3}"#)
        _ = try await f.engine.addRating(AddRatingRequest(user: 5, item: listed, rating: 0.5))
        let moved = try reply(d, #"{"id":1,"op":"recommend","user":999,"n":3}"#)
        #expect(moved.contains(#""source":"popular""#) && moved != popular, "\(moved)")
    }

    /// Any reply, waiting for asynchronous ones (writes).
    private func anyReply(_ d: Dispatcher, _ line: String) async throws -> String {
        try await d.testReply(Array(line.utf8)) ?? ""
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
                _ = try await anyReply(d, #"{"op":"add_rating","user":\#([1, 2, 3, 4, 5, 6, 33, 34][pick(0...7)]),"item":\#(pick(1...44)),"rating":\#(Double(pick(1...10)) / 2)}"#)
            case 4:
                _ = try await anyReply(d, #"{"op":"add_item","item":\#(pick(1...44)),"title":"title \#(step)","genres":["g\#(step % 3)"]}"#)
            case 5:
                _ = try await anyReply(d, #"{"op":"delete_rating","user":\#(pick(1...6)),"item":\#(pick(1...44))}"#)
            case 6 where step % 150 == 6:
                _ = try await anyReply(d, #"{"op":"train","wait":true}"#)
            default:
                // Few users (33 and 34 unknown until rated), so cached answers are asked for again after writes.
                let user = [1, 2, 3, 4, 33, 34][pick(0...5)], n = 3 + user % 3, seen = pick(0...3) > 0
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
