import Foundation
import Logging
import MFCore
import MFProtocol
import MFStore
import Testing
@testable import MFServer

/// An imported model serves at once; its ranker is trained afterwards by a `ranker` job
/// that swaps it in, stores it with the model, and runs again after a restart that cut it short.
@Suite struct ImportRankerJobTests {
    /// Imports a k = 4 model of the taste fixture's 30 users and 40 items (rows from `seed`).
    static func importModel(_ engine: Engine, seed: UInt64 = 1) async throws -> ImportModelResult {
        var rng = SeededRNG(seed: seed)
        func row(_ id: Int64) -> FactorRow { FactorRow(id: id, bias: rng.nextUnit() - 0.5, factors: (0..<4).map { _ in rng.nextUnit() - 0.5 }) }
        let manifest = ModelManifest(algorithm: "spark-als-explicit", k: 4, globalMean: 3, users: 30, items: 40)
        let token = try engine.importModelBegin(ImportModelBeginRequest(manifest: manifest)).import
        _ = try engine.importModelRows(ImportModelRowsRequest(import: token, side: .users, rows: (1...30).map { row(Int64($0)) }))
        _ = try engine.importModelRows(ImportModelRowsRequest(import: token, side: .items, rows: (1...40).map { row(Int64($0)) }))
        return try await engine.importModelCommit(token)
    }

    /// The job's end (it may have ended already).
    static func ended(_ engine: Engine, _ id: Int64) async throws -> JobInfo {
        if let task = engine.jobs.task(id) { return await task.value }
        return try engine.trainStatus(id)
    }

    @Test func theImportedModelServesAtOnceAndItsRankerIsSwappedInAndStoredWithIt() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings, train: false)
        defer { f.discard() }
        let r = try await Self.importModel(f.engine)
        let id = try #require(r.rankerJob, "an import over stored ratings starts a ranker job")
        #expect(f.engine.snapshot.base?.id == r.modelID)
        #expect(try f.engine.recommend(RecommendRequest(user: 2)).source == .model)

        let job = try await Self.ended(f.engine, id)
        #expect(job.kind == .ranker && job.state == .succeeded && job.modelID == r.modelID, "\(job)")
        let served = try #require(f.engine.snapshot.base)
        #expect(served.id == r.modelID && served.model.ranker != nil)
        #expect(try f.engine.recommend(RecommendRequest(user: 2)).source == .model)
        let stored = try #require(try await f.store.loadLatestModel())
        #expect(stored.id == r.modelID && stored.arrays["ranker_user_factors"]?.count == 30 * 4
            && stored.arrays["ranker_item_factors"]?.count == 40 * 4, "\(stored.arrays.keys.sorted())")
        #expect(stored.scalars[Engine.rankerPendingScalar] == nil)
        #expect(try ModelBase(record: stored).model.ranker == served.model.ranker)
    }

    @Test func aRestartBeforeTheRankerEndedTrainsItAgain() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings, train: false) { cfg in
            cfg.testDelays[.train] = 600  // holds the ranker job until the shutdown cancels it
        }
        defer { f.discard() }
        let r = try await Self.importModel(f.engine)
        let id = try #require(r.rankerJob)
        #expect(f.engine.snapshot.base?.model.ranker == nil)
        #expect(try f.engine.recommend(RecommendRequest(user: 2)).source == .model, "served before its ranker")
        await f.engine.shutdown()
        #expect(try f.engine.trainStatus(id).state == .cancelled)
        let pending = try #require(try await f.store.loadLatestModel())
        #expect(pending.id == r.modelID && pending.scalars[Engine.rankerPendingScalar] == 1 && pending.arrays["ranker_user_factors"] == nil)

        var cfg = EngineConfiguration()
        cfg.overrides = SetConfigRequest(factors: 4, iterations: 3, retrain: .manual)
        let engine = try await Engine.open(store: f.store, configuration: cfg, logger: Logger(label: "ranker-restart-test"))
        let again = try #require(engine.jobs.job(nil))
        #expect(again.kind == .ranker)
        let job = try await Self.ended(engine, again.job)
        #expect(job.state == .succeeded && job.modelID == r.modelID, "\(job)")
        #expect(engine.snapshot.base?.id == r.modelID && engine.snapshot.base?.model.ranker != nil)
        let stored = try #require(try await f.store.loadLatestModel())
        #expect(stored.scalars[Engine.rankerPendingScalar] == nil && stored.arrays["ranker_item_factors"]?.count == 40 * 4)
        await engine.shutdown()
    }

    @Test func aNewerImportCancelsTheRankerJobOfTheModelItReplaces() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings, train: false) { cfg in
            cfg.testDelays[.train] = 600
        }
        defer { f.discard() }
        let first = try await Self.importModel(f.engine, seed: 1)
        let second = try await Self.importModel(f.engine, seed: 2)
        #expect(try f.engine.trainStatus(try #require(first.rankerJob)).state == .cancelled)
        // Superseded, not failed: status' last training is not the cancelled ranker job.
        #expect(f.engine.status(connections: 0, requests: [:], errors: 0).lastTraining?.job != first.rankerJob)
        let running = try f.engine.trainStatus(try #require(second.rankerJob))
        #expect(running.kind == .ranker && (running.state == .queued || running.state == .running)
            && running.modelID == second.modelID, "held by the test delay: \(running)")
        #expect(f.engine.snapshot.base?.id == second.modelID)
    }

    @Test func anImportThatFailsAfterCancellingTheRankerJobStartsItAgain() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings, train: false) { cfg in
            cfg.testDelays[.train] = 600
        }
        defer { f.discard() }
        let first = try await Self.importModel(f.engine)
        let manifest = ModelManifest(algorithm: "spark-als-explicit", k: 4, globalMean: 3, users: 1, items: 1)
        let token = try f.engine.importModelBegin(ImportModelBeginRequest(manifest: manifest)).import
        _ = try f.engine.importModelRows(ImportModelRowsRequest(import: token, side: .users, rows: [FactorRow(id: 999, bias: 0, factors: [1, 0, 0, 0])]))
        _ = try f.engine.importModelRows(ImportModelRowsRequest(import: token, side: .items, rows: [FactorRow(id: 1, bias: 0, factors: [1, 0, 0, 0])]))
        await #expect(throws: WireError.self) { try await f.engine.importModelCommit(token) }
        #expect(try f.engine.trainStatus(try #require(first.rankerJob)).state == .cancelled)
        let again = try f.engine.trainStatus(nil)
        #expect(again.job != first.rankerJob && again.kind == .ranker && again.modelID == first.modelID
            && (again.state == .queued || again.state == .running), "\(again)")
        #expect(f.engine.snapshot.base?.id == first.modelID)
    }

    @Test func aRetrainCancelsTheRankerJobAndBringsItsOwnRanker() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings, train: false)
        defer { f.discard() }
        let r = try await Self.importModel(f.engine)
        let trained = try await f.engine.train(wait: true)
        #expect(trained.kind == .train && trained.state == .succeeded, "\(trained)")
        let ranker = try f.engine.trainStatus(try #require(r.rankerJob))
        #expect(ranker.state == .succeeded || ranker.state == .cancelled, "the ranker job ended before the retrain began: \(ranker)")
        #expect(f.engine.snapshot.base?.id == trained.modelID && f.engine.snapshot.base?.model.ranker != nil)
    }
}
