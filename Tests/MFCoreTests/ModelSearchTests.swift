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

    /// The one-standard-error rule: a gain on most users is clear, one as large on a few users among noise is not.
    @Test func clearlyBetterNeedsTheGainBeyondItsStandardError() {
        let base = (0..<200).map { Double($0 % 7) / 10 }
        #expect(ModelSearch.clearlyBetter(base.map { $0 + 0.01 }, than: base))
        #expect(!ModelSearch.clearlyBetter(base, than: base))
        let noisy = base.enumerated().map { $0.element + ($0.offset % 2 == 0 ? 0.3 : -0.29) }
        #expect(!ModelSearch.clearlyBetter(noisy, than: base))
        #expect(!ModelSearch.clearlyBetter([0.5], than: [0.1]))
    }

    @Test func pinnedValuesAreNotSearched() throws {
        let (train, holdout, _) = try split()
        var c = Fixtures.config(k: 3, iterations: 4)
        c.lambda = 0.005; c.ranking.ratingWeight = 0.3; c.ranker.alpha = 7
        let out = try ModelSearch.run(train, holdout: holdout, config: c, pinned: ["lambda", "ranker.alpha", "ranking.rating_weight"])
        #expect(out.config.lambda == 0.005 && out.config.ranking.ratingWeight == 0.3 && out.config.ranker.alpha == 7)
        #expect(out.model.ranker?.feedback.alpha == 7)
        #expect(out.trials.map(\.parameter) == ["lambda", "ranking.rating_weight"])
    }

    /// α of the ranker, and of an implicit model, is chosen among `alphas` by holdout NDCG@10: the best trial's
    /// when it is clearly better than the configured α's, else the configured α.
    @Test func alphaIsChosenByHoldoutNDCG() throws {
        let (train, holdout, _) = try split()
        let c = Fixtures.config(k: 3, iterations: 8)
        var implicit = c
        implicit.algorithm = .implicit; implicit.implicitALS.threshold = train.mean
        for (config, key) in [(c, "ranker.alpha"), (implicit, "implicit_als.alpha")] {
            let out = try ModelSearch.run(train, holdout: holdout, config: config)
            let trials = out.trials.filter { $0.parameter == key }
            #expect(trials.map(\.value) == ([1] + ModelSearch.alphas).map(Double.init))  // the configured α first
            #expect(trials.allSatisfy { $0.sweeps == ModelSearch.alphaSweeps && $0.holdoutNDCG != nil })
            let best = try #require(trials.max { $0.holdoutNDCG! < $1.holdoutNDCG! })
            let chosen = key == "ranker.alpha" ? out.config.ranker.alpha : out.config.implicitALS.alpha
            #expect(Double(chosen) == best.value || chosen == 1)
            #expect((key == "ranker.alpha" ? out.model.ranker?.feedback.alpha : out.model.solver.implicitALS?.alpha) == chosen)
        }
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
        let (s, h, rows) = try ModelSearch.userSample(train, holdout: holdout, ratings: train.count / 3, seed: 42)
        #expect(s.userCount > 10 && s.userCount < train.userCount && s.itemCount == train.itemCount)
        #expect(h.users.allSatisfy { Int($0) < s.userCount } && h.count < holdout.count)
        #expect(rows.count == train.userCount && rows.filter { $0 >= 0 }.count == s.userCount)
        for (u, r) in rows.enumerated() where r >= 0 {
            #expect(Array(s.items(ofUser: Int(r))) == Array(train.items(ofUser: u)))
            #expect(Array(s.ratings(ofUser: Int(r))) == Array(train.ratings(ofUser: u)))
        }
    }

    /// Above the sample size the search runs on a user sample, and the model on all ratings starts from the
    /// search's: `sampledSweeps` sweeps, every user solved first, the last sweep exact (rows equal their fold-in).
    @Test func sampledFitTrainsAllRatingsFromTheSearchModel() throws {
        let (train, holdout, _) = try split()
        let c = Fixtures.config(k: 3, iterations: 12)
        var runs: [[Double]] = []
        let out = try ModelSearch.fit(train, holdout: holdout, config: c, sample: train.count / 3) { r in
            if r.epoch == 1 { runs.append([]) }
            runs[runs.count - 1].append(r.holdoutRMSE ?? .nan)
            return true
        }
        let sampled = try #require(out.sampledUsers)
        #expect(sampled < train.userCount && out.model.userCount == train.userCount)
        #expect(runs.last?.count == ModelSearch.sampledSweeps)
        let u = try #require((0..<train.userCount).first { train.items(ofUser: $0).count > 5 })
        let v = try FoldIn(model: out.model).user(items: Array(train.items(ofUser: u)), ratings: Array(train.ratings(ofUser: u)))
        #expect(maxAbsDiff(v.factors, out.model.user(Int32(u)).factors) < 1e-4)
        // The head start: its first sweep scores better on the holdout than a cold start's first at the chosen values.
        var cold = out.config
        cold.iterations = ModelSearch.sampledSweeps
        var coldFirst = Double.nan
        _ = try MFTrainer.train(train, config: cold, holdout: holdout) { r in
            if r.epoch == 1 { coldFirst = r.holdoutRMSE ?? .nan }
            return true
        }
        #expect(try #require(runs.last?.first) < coldFirst)
    }
}
