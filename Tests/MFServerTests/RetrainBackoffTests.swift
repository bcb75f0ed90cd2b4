import Foundation
import MFProtocol
import MFTestSupport
import Testing
@testable import MFServer

/// Automatic retrains back off after failed trainings.
@Suite struct RetrainBackoffTests {
    @Test func delaysDoubleUpToAnHourAndASuccessResets() {
        var b = RetrainBackoff()
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        #expect(b.allows(at: t0) && b.info(at: t0) == nil)
        var delays: [TimeInterval] = []
        for _ in 0..<10 {
            b.failed(at: t0)
            delays.append(b.notBefore!.timeIntervalSince(t0))
        }
        #expect(delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600])
        #expect(!b.allows(at: t0.addingTimeInterval(3599)) && b.allows(at: t0.addingTimeInterval(3600)))
        #expect(b.info(at: t0.addingTimeInterval(600)) == RetrainBackoffInfo(failures: 10, nextAttemptSeconds: 3000))
        b.succeeded()
        #expect(b == RetrainBackoff())
    }

    @Test func aFailedTrainingStartsTheBackoffAndStatusSaysSo() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings, maxBatch: 5000)
        defer { f.discard() }
        // The database goes away under the daemon (as with a failing disk): the training fails.
        try f.store.close()
        let failed = try await f.engine.train(wait: true)
        #expect(failed.state == .failed)
        let backoff = try #require(f.engine.status(connections: 0, requests: [:], errors: 0).retrainBackoff)
        #expect(backoff.failures == 1 && backoff.nextAttemptSeconds > 25 && backoff.nextAttemptSeconds <= 30)
    }

    @Test func theBackoffHoldsThePolicyUntilItEnds() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings, maxBatch: 5000)
        defer { f.discard() }
        f.engine.retrainBackoff.withLock { $0.failed(at: Date()) }
        _ = try await f.engine.addRatings(AddRatingsRequest(ratings: [RatingTuple(user: 1, item: 3, rating: 2)]))
        _ = try await f.engine.setConfig(SetConfigRequest(retrain: .auto, retrainAfterChanges: 1))
        let before = f.engine.jobs.lastAndRunning().last?.job
        await f.engine.checkRetrainPolicy()
        #expect(f.engine.jobs.lastAndRunning().last?.job == before && f.engine.jobs.lastAndRunning().running == nil)
        // Once it ends, the policy starts the retrain the pending change asks for.
        f.engine.retrainBackoff.withLock { $0 = RetrainBackoff() }
        await f.engine.checkRetrainPolicy()
        #expect(await eventually { f.engine.jobs.lastAndRunning().last?.job != before })
    }
}
