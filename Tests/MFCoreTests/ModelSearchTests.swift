import Testing
@testable import MFCore

@Suite struct ModelSearchTests {
    /// A noisy planted set, split as a retrain splits it.
    func split() throws -> (RatingMatrix, HoldoutRatings, RatingMatrix) {
        let full = try Fixtures.planted(users: 120, items: 90, rank: 3, density: 0.3, noise: 0.8).matrix()
        let ids = IDMap(ids: (0..<Int64(max(full.userCount, full.itemCount))).map { $0 + 1 })
        let users = IDMap(ids: ids.ids.prefix(full.userCount)), items = IDMap(ids: ids.ids.prefix(full.itemCount))
        let (train, holdout) = try HoldoutRatings.split(full, users: users, items: items, fraction: 0.1, seed: 42)
        return (train, try #require(holdout), full)
    }

    @Test func splitKeepsEveryRatingOnceAndIsSeeded() throws {
        let (train, holdout, full) = try split()
        #expect(train.count + holdout.count == full.count)
        #expect(Double(holdout.count) > 0.05 * Double(full.count) && Double(holdout.count) < 0.15 * Double(full.count))
        #expect(train.userCount == full.userCount && train.itemCount == full.itemCount)
        let small = try Fixtures.sparse(users: 10, items: 10).matrix()
        #expect(try HoldoutRatings.split(small, users: IDMap(ids: 0..<10), items: IDMap(ids: 0..<10), fraction: 0.1, seed: 42).holdout == nil)
    }

    /// Started far below its optimum, λ walks up the path while the holdout RMSE improves.
    @Test func pathMovesLambdaTowardsTheHoldoutOptimum() throws {
        let (train, holdout, _) = try split()
        var c = Fixtures.config(k: 3, iterations: 8)
        c.lambda = 0.005
        let out = try ModelSearch.run(train, holdout: holdout, config: c)
        let path = out.trials.filter { $0.parameter == "lambda" }
        #expect(out.config.lambda > c.lambda)
        #expect(path.count <= 2 + ModelSearch.maxPathSteps)
        let best = try #require(path.min { $0.holdoutRMSE! < $1.holdoutRMSE! })
        #expect(abs(best.value - Double(out.config.lambda)) < 1e-6)
        #expect(out.model.ranker != nil && ModelSearch.ratingWeights.contains(out.config.ranking.ratingWeight))
        #expect(out.trials.filter { $0.parameter == "ranking.rating_weight" }.count == ModelSearch.ratingWeights.count)
    }

    @Test func pinnedValuesAreNotSearched() throws {
        let (train, holdout, _) = try split()
        var c = Fixtures.config(k: 3, iterations: 4)
        c.lambda = 0.005; c.ranking.ratingWeight = 0.3
        let out = try ModelSearch.run(train, holdout: holdout, config: c, pinned: ["lambda", "ranking.rating_weight"])
        #expect(out.config.lambda == 0.005 && out.config.ranking.ratingWeight == 0.3)
        #expect(out.trials.map(\.parameter) == ["lambda", "ranking.rating_weight"])
    }

    @Test func searchIsDeterministic() throws {
        let (train, holdout, _) = try split()
        let c = Fixtures.config(k: 3, iterations: 4)
        let a = try ModelSearch.run(train, holdout: holdout, config: c), b = try ModelSearch.run(train, holdout: holdout, config: c)
        #expect(a.config == b.config && a.trials.map(\.holdoutRMSE) == b.trials.map(\.holdoutRMSE))
        #expect(a.model.userFactors == b.model.userFactors)
    }

    /// Completion re-solves exactly the rows with held-out ratings, from all their ratings.
    @Test func completionFoldsTheHoldoutBackIn() throws {
        let (train, holdout, full) = try split()
        let m = try MFTrainer.train(train, config: Fixtures.config(k: 3, iterations: 4))
        let done = try m.completed(full: full, holdout: holdout, threads: 2)
        let heldUsers = Set(holdout.users)
        let untouched = try #require((0..<Int32(full.userCount)).first { !heldUsers.contains($0) && !Set(holdout.items).isEmpty })
        #expect(done.user(untouched).factors == m.user(untouched).factors)
        let u = try #require(heldUsers.min())
        let f = FoldIn(model: done)
        let v = try f.user(items: Array(full.items(ofUser: Int(u))), ratings: Array(full.ratings(ofUser: Int(u))))
        #expect(maxAbsDiff(v.factors, done.user(u).factors) < 1e-5)
        #expect(maxAbsDiff(v.rankerFactors, done.user(u).rankerFactors) < 1e-5)
    }

    @Test func userSampleKeepsWholeUsers() throws {
        let (train, holdout, _) = try split()
        let (s, h) = try ModelSearch.userSample(train, holdout: holdout, ratings: train.count / 3, seed: 42)
        #expect(s.userCount > 10 && s.userCount < train.userCount && s.itemCount == train.itemCount)
        #expect(h.users.allSatisfy { Int($0) < s.userCount } && h.count < holdout.count)
    }
}
