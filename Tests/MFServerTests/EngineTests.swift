import Foundation
import MFProtocol
import Testing
@testable import MFServer

@Suite struct EngineTests {
    @Test func trainedModelRecommendsUnseenItemsOfTheUsersTaste() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings)
        defer { f.discard() }
        let rec = try f.engine.recommend(RecommendRequest(user: 2, n: 5))
        #expect(rec.source == .model)
        let seen = Set(EngineFixture.tasteRatings.filter { $0.user == 2 }.map(\.item))
        #expect(Set(rec.items.map(\.item)).isDisjoint(with: seen))
        #expect(rec.items.filter { $0.item <= 20 }.count >= 4, "user 2 likes items 1...20: \(rec.items.map(\.item))")
    }

    @Test func aWriteIsFoldedInBeforeItsReply() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings)
        defer { f.discard() }
        let before = try f.engine.recommend(RecommendRequest(user: 2, n: 3))
        let top = try #require(before.items.first?.item)
        let ack = try await f.engine.addRating(AddRatingRequest(user: 2, item: top, rating: 0.5))
        #expect(!ack.newUser && !ack.newItem && ack.seq > 0)
        let after = try f.engine.recommend(RecommendRequest(user: 2, n: 3))
        #expect(after.source == .foldedIn && !after.items.map(\.item).contains(top))
        #expect(try f.engine.user(UserRequest(user: 2)).foldedIn)
    }

    @Test func newUsersAndItemsAreCreatedOnFirstSight() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings)
        defer { f.discard() }
        let ack = try await f.engine.addRatings(AddRatingsRequest(ratings: [
            RatingTuple(user: 500, item: 2, rating: 5), RatingTuple(user: 500, item: 4, rating: 5),
            RatingTuple(user: 500, item: 900, rating: 4),
        ]))
        #expect(ack.newUsers == 1 && ack.newItems == 1)
        let rec = try f.engine.recommend(RecommendRequest(user: 500, n: 5))
        #expect(rec.source == .foldedIn)
        #expect(Set(rec.items.map(\.item)).isDisjoint(with: [2, 4, 900]))
        #expect(f.engine.predict(PredictRequest(user: 500, item: 900)).source == .foldedIn, "new item rows are added at once")
    }

    @Test func deletesUpdateTheListsAndTheModel() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings)
        defer { f.discard() }
        let count = try f.engine.user(UserRequest(user: 3)).ratings
        _ = try await f.engine.deleteRating(DeleteRatingRequest(user: 3, item: 1))
        #expect(try f.engine.user(UserRequest(user: 3)).ratings == count - 1)
        await #expect(throws: WireError.self) { try await f.engine.deleteRating(DeleteRatingRequest(user: 3, item: 1)) }
        let gone = try await f.engine.deleteUser(DeleteUserRequest(user: 3))
        #expect(gone.ratingsDeleted == count - 1)
        #expect(throws: WireError(.unknownUser, "user 3 has no data", field: "user")) { try f.engine.user(UserRequest(user: 3)) }
        #expect(try f.engine.recommend(RecommendRequest(user: 3)).source == .popular)
        #expect(try await f.store.ratings(ofUser: 3).isEmpty)
    }

    @Test func invalidWritesStoreNothing() async throws {
        let f = try await EngineFixture.make(maxBatch: 2)
        defer { f.discard() }
        _ = try await f.engine.addRating(AddRatingRequest(user: 1, item: 1, rating: 4))
        let before = try await f.store.counts().ratings
        #expect(before == 1)
        await #expect(throws: WireError(.invalidRating, "rating 7.0 is outside the scale 0.5...5.0", field: "rating")) {
            try await f.engine.addRating(AddRatingRequest(user: 1, item: 1, rating: 7))
        }
        let three = (1...3).map { RatingTuple(user: 1, item: Int64($0), rating: 3) }
        await #expect(throws: WireError(.batchTooLarge, "3 ratings in one request; the limit is 2", field: "ratings")) {
            try await f.engine.addRatings(AddRatingsRequest(ratings: three))
        }
        let bad = [RatingTuple(user: 1, item: 1, rating: 3), RatingTuple(user: 1, item: 2, rating: 0.1)]
        do {
            _ = try await f.engine.addRatings(AddRatingsRequest(ratings: bad))
            Issue.record("a rating below the scale was accepted")
        } catch let e as WireError {
            #expect(e.code == .invalidRating && e.field == "ratings[1][2]")
        }
        #expect(try await f.store.counts().ratings == before)
    }

    @Test func emptyEngineServesPopularityAndFailsTrainingCleanly() async throws {
        let f = try await EngineFixture.make()
        defer { f.discard() }
        let rec = try f.engine.recommend(RecommendRequest(user: 1))
        #expect(rec.source == .popular && rec.items.isEmpty)
        let job = try await f.engine.train(wait: true)
        #expect(job.state == .failed && job.error?.code == .noModel)
        #expect(throws: WireError.self) { try f.engine.similarItems(SimilarItemsRequest(item: 1)) }
    }

    @Test func anonymousFoldInStoresNothing() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings)
        defer { f.discard() }
        let before = try await f.store.counts().ratings
        let r = try await f.engine.foldIn(FoldInRequest(user: nil, ratings: [ItemRating(item: 1, rating: 5), ItemRating(item: 2, rating: 5)],
                                                       persist: false, n: 5))
        #expect(!r.persisted && r.source == .foldedIn && r.items.count == 5)
        #expect(r.items.filter { $0.item <= 20 }.count >= 3, "\(r.items.map(\.item))")
        #expect(try await f.store.counts().ratings == before)
    }

    @Test func configIsValidatedAndPersisted() async throws {
        let f = try await EngineFixture.make()
        defer { f.discard() }
        await #expect(throws: WireError.self) { try await f.engine.setConfig(SetConfigRequest(factors: 0)) }
        let c = try await f.engine.setConfig(SetConfigRequest(retrain: .external))
        #expect(c.retrain == .external && f.engine.getConfig().retrain == .external)
        #expect(try await f.store.setting(Engine.trainingSettingsKey)?.contains("\"external\"") == true)
    }
}
