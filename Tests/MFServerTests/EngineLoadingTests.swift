import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import MFProtocol
import MFStore
import NIOCore
import Testing
@testable import MFServer

/// The loading phase after a start: reads answer from the stored model with
/// each user's ratings read from the store, writes wait, `status` says so.
@Suite struct EngineLoadingTests {
    /// A database with a trained model, then changes after it: user 2 rates
    /// again and loses a rating, user 31 is new (folded in), user 3 is untouched.
    static func storeWithChangesAfterTheModel() async throws -> EngineFixture {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings)
        _ = try await f.engine.addRatings(AddRatingsRequest(ratings: [
            RatingTuple(user: 2, item: 3, rating: 5), RatingTuple(user: 31, item: 1, rating: 5),
            RatingTuple(user: 31, item: 2, rating: 4.5), RatingTuple(user: 31, item: 25, rating: 1),
        ]))
        _ = try await f.engine.deleteRating(DeleteRatingRequest(user: 2, item: 2))
        await f.engine.shutdown()
        return f
    }

    /// `storeWithChangesAfterTheModel`, reopened and held after the model stage
    /// (the stored model serves) until `release` opens.
    static func heldAfterTheModelStage() async throws -> (fixture: EngineFixture, engine: Engine, release: Latch) {
        let f = try await storeWithChangesAfterTheModel()
        let release = Latch()
        var cfg = EngineConfiguration()
        cfg.afterModelStage = { await release.wait() }
        let engine = try await Engine.start(store: f.store, configuration: cfg, logger: Logger(label: "loading-test"))
        await engine.loading.modelStage.wait()
        return (f, engine, release)
    }

    @Test func readsDuringLoadingExcludeExactlyTheStoredRatingsAndMatchTheLoadedAnswers() async throws {
        let (f, engine, release) = try await Self.heldAfterTheModelStage()
        defer { f.discard() }
        try #require(engine.isLoading && engine.snapshot.partial)  // else the reads would wait for the held load
        #expect(engine.status(connections: 0, requests: [:], errors: 0).loading?.stage == "model")

        var during: [Int64: RecommendResult] = [:]
        for user: Int64 in [2, 3, 31] {
            let stored = try await f.store.userRatings(user)
            let r = try await engine.recommendWhileLoading(RecommendRequest(user: user, n: 40)).result
            #expect(Set(r.items.map(\.item)).isDisjoint(with: stored.items), "user \(user) was recommended an item they rated")
            #expect(r.items.count == 40 - stored.items.count)
            during[user] = r
        }
        #expect(during[3]?.source == .model)
        #expect(during[2]?.source == .foldedIn)
        #expect(during[31]?.source == .foldedIn)
        let p = try await engine.predictWhileLoading(PredictRequest(user: 2, item: 5))
        #expect(p.source == .foldedIn)

        release.open()
        try await engine.loaded()
        #expect(!engine.isLoading)
        #expect(engine.status(connections: 0, requests: [:], errors: 0).loading == nil)
        // The load re-solves the rows of items rated after the model, so scores may move;
        // which items are candidates, and where each user's factors come from, may not.
        for user: Int64 in [2, 3, 31] {
            let loaded = try engine.recommend(RecommendRequest(user: user, n: 40))
            #expect(Set(loaded.items.map(\.item)) == Set(during[user]!.items.map(\.item)))
            #expect(loaded.source == during[user]!.source)
        }
        await engine.shutdown()
    }

    @Test func writesWaitForTheLoadAndThenApply() async throws {
        let (f, engine, release) = try await Self.heldAfterTheModelStage()
        defer { f.discard() }
        let all = AccessPolicy.Grant(everyone: true)
        let dispatcher = Dispatcher(engine: engine, policy: AccessPolicy(read: all, write: all, admin: all),
                                    logger: Logger(label: "loading-test"))
        let write = dispatcher.handle(line: ByteBuffer(string: #"{"id":1,"op":"add_rating","user":3,"item":3,"rating":5}"#),
                                      context: Dispatcher.testContext())
        guard case .later(let reply) = write else { Issue.record("a write during loading was answered at once"); return }
        #expect(dispatcher.immediateReply(#"{"id":2,"op":"ping"}"#).contains(#""pong":true"#))
        #expect(dispatcher.immediateReply(#"{"id":3,"op":"status"}"#).contains(#""loading":{"#))
        #expect(engine.isLoading)
        #expect(try await f.store.rating(user: 3, item: 3) == nil)  // (3, 3) is not in the taste set
        release.open()
        #expect(String(buffer: try await reply.get()).contains(#""ok":true"#))
        #expect(try await f.store.rating(user: 3, item: 3)?.value == 5)
        let listed = try engine.recommend(RecommendRequest(user: 3, n: 40)).items.map(\.item)
        #expect(!listed.contains(3))
        await engine.shutdown()
    }

    /// An import answers once its rows are stored and reloads in a loading phase;
    /// meanwhile reads answer at once, on the event loop, from the complete
    /// snapshot from before the import, writes get `busy`, admin requests wait;
    /// once reloaded the imported ratings are in.
    @Test func anImportReloadsInTheBackgroundWhileReadsAnswerFromTheSnapshotBeforeIt() async throws {
        let release = Latch()
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings) { $0.beforeImportReload = { await release.wait() } }
        defer { f.discard() }
        let e = f.engine
        let before = e.snapshot
        let all = AccessPolicy.Grant(everyone: true)
        let dispatcher = Dispatcher(engine: e, policy: AccessPolicy(read: all, write: all, admin: all), logger: Logger(label: "loading-test"))
        // User 3 rates items 3, 6 and 9 (none in the taste set) through an import.
        let begin = try e.importBegin(ImportBeginRequest(kind: .ratings, format: .csv))
        _ = try e.importChunk(ImportChunkRequest(import: begin.import, offset: 0, data: "userId,movieId,rating\n3,3,5\n3,6,4.5\n3,9,1\n"))
        let report = try await e.importCommit(begin.import, reloadInBackground: true)
        #expect(report.imported == 3)
        try #require(e.isLoading && e.loading.isReload)  // held before the reload reads anything
        #expect(!e.snapshot.partial)
        #expect(e.snapshot === before)  // nothing published: reads keep the in-memory lists
        let read = dispatcher.immediateReply(#"{"id":1,"op":"recommend","user":3,"n":40}"#)
        #expect(read.contains(#""ok":true"#))
        #expect(e.snapshot.users[3]?.ratings.ids.contains(9) != true)
        let write = dispatcher.immediateReply(#"{"id":2,"op":"add_rating","user":3,"item":4,"rating":5}"#)
        #expect(write.contains(#""code":"busy""#) && write.contains("retry"))
        #expect(dispatcher.immediateReply(#"{"id":3,"op":"status"}"#).contains(#""loading":{"stage":"rating lists""#))
        #expect(dispatcher.immediateReply(#"{"id":4,"op":"train_status"}"#).contains(#""ok":"#))
        guard case .later(let admin) = dispatcher.handle(line: ByteBuffer(string: #"{"id":5,"op":"import_begin","kind":"ratings"}"#),
                                                         context: Dispatcher.testContext()) else {
            Issue.record("an admin request during the reload was answered at once")
            return
        }
        #expect(e.isLoading)
        release.open()
        try await e.loaded()
        #expect(String(buffer: try await admin.get()).contains(#""ok":true"#))
        #expect(!e.isLoading && !e.loading.isReload)
        #expect(e.snapshot.users[3]?.ratings.ids.contains(9) == true)
        #expect(e.snapshot.ratingCount == EngineFixture.tasteRatings.count + 3)
        let after = try e.recommend(RecommendRequest(user: 3, n: 40))
        #expect(Set(after.items.map(\.item)).isDisjoint(with: [3, 6, 9]))
    }

    /// The reload's long parts run on a thread that yields the CPU to replies.
    @Test func theBackgroundThreadRunsAtALowerPriority() async {
        #if canImport(Glibc)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let here = getpriority(which, 0)
        let there = await BackgroundThread.shared.run { getpriority(which, 0) }
        #expect(there == min(19, here + 10))
        #endif
    }
}
