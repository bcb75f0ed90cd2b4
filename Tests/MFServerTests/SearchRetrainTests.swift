import Foundation
import MFProtocol
@testable import MFServer

import Testing

/// A retrain searches λ, α and the ranking weight when the data set is new to it, and reuses them after.
@Suite struct SearchRetrainTests {
    @Test func firstTrainingSearchesAndLaterOnesReuseTheChoice() async throws {
        let f = try await EngineFixture.make(ratings: WarmRetrainTests.ratings(users: 1...40), maxBatch: 5000)
        defer { f.discard() }
        _ = try await f.engine.setConfig(SetConfigRequest(factors: 7, iterations: 4))
        // The fixture's model was trained before k changed: this configuration has no search yet.
        let first = try await f.engine.train(wait: true)
        let search = try #require(first.metrics?.search)
        #expect(first.state == .succeeded && search.reason == "configuration changed")
        #expect(search.trials.contains { $0.parameter == "lambda" && $0.holdoutRMSE != nil })
        #expect(search.trials.contains { $0.parameter == "ranking_weight" && $0.holdoutNDCG != nil })
        #expect(search.trials.filter { $0.parameter == "alpha" && $0.holdoutNDCG != nil }.count == 6)
        let chosen = try #require(f.engine.trainingSettings.searched)
        #expect(chosen == search.chosen && chosen.factors == 7 && chosen.startLambda == f.engine.trainingSettings.lambda)
        // Persisted: the stored configuration holds the choice.
        #expect(try await f.engine.store.setting(Engine.trainingSettingsKey)?.contains("\"searched\"") == true)
        // The served model ranks with the chosen weight and was trained at the chosen λ.
        let model = try #require(f.engine.snapshot.base?.model)
        #expect(Double(model.ranking.ratingWeight) == chosen.rankingWeight && model.ranker != nil)
        #expect(abs(Double(model.solver.lambda) - chosen.lambda) < 1e-6)

        // Same data: no search, the same values.
        let again = try await f.engine.train(wait: true)
        #expect(again.metrics?.search == nil && f.engine.trainingSettings.searched == chosen)
        // On request it searches again.
        let asked = try await f.engine.train(wait: true, search: true)
        #expect(asked.metrics?.search?.reason == "requested")
    }

    /// An implicit model holds out for its search, chooses α by holdout NDCG@10 and trains at it; retrains reuse it.
    @Test func implicitModelSearchesAlpha() async throws {
        let f = try await EngineFixture.make(ratings: WarmRetrainTests.ratings(users: 1...40), maxBatch: 5000)
        defer { f.discard() }
        _ = try await f.engine.setConfig(SetConfigRequest(model: .implicit, factors: 5, iterations: 4))
        let first = try await f.engine.train(wait: true)
        let search = try #require(first.metrics?.search)
        #expect(search.trials.map(\.parameter) == Array(repeating: "alpha", count: 6))
        let alpha = try #require(search.chosen.alpha)
        let best = try #require(search.trials.max { $0.holdoutNDCG! < $1.holdoutNDCG! })
        #expect((alpha == best.value || alpha == 1) && f.engine.snapshot.base?.model.solver.implicitALS?.alpha == Float(alpha))
        let again = try await f.engine.train(wait: true)
        #expect(again.metrics?.search == nil && f.engine.snapshot.base?.model.solver.implicitALS?.alpha == Float(alpha))
    }

    @Test func pinnedValuesAreKeptAndAllPinnedMeansNoSearch() async throws {
        let f = try await EngineFixture.make(ratings: WarmRetrainTests.ratings(users: 1...40), maxBatch: 5000)
        defer { f.discard() }
        let c = try await f.engine.setConfig(SetConfigRequest(lambda: 0.4, iterations: 3, alpha: 5, rankingWeight: 0.07))
        #expect(c.pinned == ["alpha", "lambda", "ranking_weight"])
        let job = try await f.engine.train(wait: true, search: true)
        #expect(job.metrics?.search == nil)
        let model = try #require(f.engine.snapshot.base?.model)
        #expect(abs(model.solver.lambda - 0.4) < 1e-6 && abs(model.ranking.ratingWeight - 0.07) < 1e-6)
        #expect(model.ranker?.feedback.alpha == 5)
        // Unpinning λ lets the search choose it again, starting from 0.4.
        _ = try await f.engine.setConfig(SetConfigRequest(pinned: ["ranking_weight"]))
        let searched = try await f.engine.train(wait: true, search: true)
        let s = try #require(searched.metrics?.search)
        #expect(s.trials.filter { $0.parameter == "ranking_weight" }.allSatisfy { abs($0.value - 0.07) < 1e-6 })
        #expect(s.chosen.rankingWeight == 0.07 && s.chosen.startLambda == 0.4 && s.trials.filter { $0.parameter == "lambda" }.count >= 3)
        await #expect(throws: WireError.self) { try await f.engine.setConfig(SetConfigRequest(pinned: ["factors"])) }
        _ = try await f.engine.setConfig(SetConfigRequest(search: false, pinned: []))
        #expect(try await f.engine.train(wait: true, search: true).metrics?.search == nil)
    }

    @Test func searchReasons() {
        var c = TrainingSettings(model: .explicit, factors: 8, lambda: 0.15, iterations: 5, alpha: 1, seed: 42, threads: 1,
                             userAttrWeight: 1, itemAttrWeight: 1, retrain: .manual, retrainAfterChanges: 0, retrainAfterMinutes: 0)
        #expect(Engine.searchReason(c, ratings: 5000, requested: false) == "first training")
        c.searched = SearchedValues(lambda: 0.2, rankingWeight: 0.05, model: .explicit, factors: 8, startLambda: 0.15, ratings: 5000, reason: "x")
        #expect(Engine.searchReason(c, ratings: 9999, requested: false) == nil)
        #expect(Engine.searchReason(c, ratings: 10000, requested: false) == "ratings grew from 5000 to 10000")
        #expect(Engine.searchReason(c, ratings: 2500, requested: false) == "ratings shrank from 5000 to 2500")
        #expect(Engine.searchReason(c, ratings: 5000, requested: true) == "requested")
        #expect(abs(c.training.lambda - 0.2) < 1e-6)
        c.factors = 16
        #expect(Engine.searchReason(c, ratings: 5000, requested: false) == "configuration changed")
        #expect(abs(c.training.lambda - 0.15) < 1e-6)
        // An implicit model searches its α alone: pinning α leaves nothing to search.
        c.model = .implicit
        #expect(Engine.searchReason(c, ratings: 5000, requested: true) == "requested")
        c.pinned = ["alpha"]
        #expect(Engine.searchReason(c, ratings: 5000, requested: true) == nil)
    }
}
