import Foundation
import Logging
import MFCore
import MFProtocol
import MFStore
@testable import MFServer

import Testing

/// A retrain holds out a fraction of the ratings, scores it every epoch, and folds it back in.
@Suite struct TrainingHoldoutTests {
    @Test func membershipIsDeterministicSeededAndNearTheFraction() {
        var hits = 0, again = 0, otherSeed = 0
        for u in 1...400 {
            for i in 1...250 {
                let h = TrainingHoldout.isHeldOut(user: Int64(u), item: Int64(i), fraction: 0.05, seed: 42)
                if h { hits += 1 }
                if h == TrainingHoldout.isHeldOut(user: Int64(u), item: Int64(i), fraction: 0.05, seed: 42) { again += 1 }
                if h != TrainingHoldout.isHeldOut(user: Int64(u), item: Int64(i), fraction: 0.05, seed: 7) { otherSeed += 1 }
            }
        }
        #expect((4_500...5_500).contains(hits), "\(hits) of 100000")
        #expect(again == 100_000 && otherSeed > 5_000)
        #expect(!TrainingHoldout.isHeldOut(user: 1, item: 1, fraction: 0, seed: 42))
    }

    /// 60 users × 40 items in two taste groups: 1,600 ratings, enough to hold some out.
    static var ratings: [RatingTuple] {
        (1...60).flatMap { u in
            (1...40).filter { (u + $0) % 3 != 0 }.map { i in
                RatingTuple(user: Int64(u), item: Int64(i), rating: ((u % 2 == 0) == (i <= 20)) ? 4.5 : 1.5)
            }
        }
    }

    @Test func everyEpochReportsHoldoutRMSEAndHeldOutRowsAreFoldedBackIn() async throws {
        let f = try await EngineFixture.make(ratings: Self.ratings, maxBatch: 5000)
        defer { f.discard() }
        let job = try f.engine.trainStatus(nil)
        #expect(job.epochs.count == 3 && job.epochs.allSatisfy { ($0.holdoutRMSE ?? .nan) < 1.5 }, "\(job.epochs)")
        let m = try #require(job.metrics)
        #expect(m.holdoutFraction == 0.05 && m.holdoutSeed == 42 && (m.holdoutRatings ?? 0) > 20 && m.holdoutRMSE == job.epochs.last?.holdoutRMSE)

        // A user with a held-out rating is served by a model row solved from all their ratings.
        let held = try #require(Self.ratings.first { TrainingHoldout.isHeldOut(user: $0.user, item: $0.item, fraction: 0.05, seed: 42) })
        let snap = f.engine.snapshot
        let base = try #require(snap.base)
        let entry = try #require(snap.users[held.user])
        let served = snap.userVector(held.user, entry: entry)
        #expect(served.source == .model)
        #expect(served.vector == (try base.solveUser(held.user, entry)))
        // …unlike the row the trainer left, which never saw that rating.
        let split = try TrainingHoldout(try await f.store.ratingsSnapshot(), fraction: 0.05, seed: 42)
        #expect(split.replayUsers.contains(held.user) && split.replayItems.contains(held.item))
        let raw = try MFTrainer.train(split.matrix, config: f.engine.trainingSettings.training)
        #expect(raw.user(try #require(split.users.index(of: held.user))) != served.vector)

        // The stored model is the completed one: a restart serves the same row from the model.
        await f.engine.shutdown()
        let again = try await Engine.open(store: f.store, configuration: EngineConfiguration(), logger: Logger(label: "engine-test"))
        let snap2 = again.snapshot
        let after = snap2.userVector(held.user, entry: snap2.users[held.user])
        #expect(snap2.base?.id == base.id && after.source == .model && after.vector == served.vector)
        await again.shutdown()
    }

    @Test func zeroFractionHoldsNothingOut() async throws {
        let f = try await EngineFixture.make(ratings: Self.ratings, maxBatch: 5000, train: false)
        defer { f.discard() }
        _ = try await f.engine.setConfig(SetConfigRequest(holdoutFraction: 0))
        let job = try await f.engine.train(wait: true)
        #expect(job.state == .succeeded && job.epochs.allSatisfy { $0.holdoutRMSE == nil } && job.metrics?.holdoutFraction == nil)
        await #expect(throws: WireError.self) { try await f.engine.setConfig(SetConfigRequest(holdoutFraction: 0.9)) }
    }
}
