#if canImport(Glibc)
import Glibc
#endif

/// One setting a `ModelSearch` evaluated on its holdout.
public struct SearchTrial: Codable, Sendable, Equatable {
    /// The configuration key searched: "lambda" or "ranking.rating_weight".
    public var parameter: String
    public var value: Double
    /// Holdout RMSE of the rating model at this setting (λ trials).
    public var holdoutRMSE: Double?
    /// Holdout NDCG@10 of `topN` at this setting (ranking trials).
    public var holdoutNDCG: Double?
    /// Sweeps trained for this trial (0: scored only).
    public var sweeps: Int
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case parameter, value, holdoutRMSE = "holdout_rmse", holdoutNDCG = "holdout_ndcg", sweeps, seconds
    }
}

/// What a search chose, and the model it trained on the search's ratings at those values.
public struct SearchOutcome: Sendable {
    /// The input configuration with the chosen values.
    public var config: TrainingConfig
    public var trials: [SearchTrial]
    /// Trained on the searched ratings (the holdout excluded), with the chosen values and a ranker.
    public var model: MFModel
    /// Users searched on, when the search ran on a sample of them (`ModelSearch.sampleRatings`).
    public var sampledUsers: Int? = nil

    /// What the search added to one fit: on a sample, every trial; else every trial's seconds
    /// but the first of each parameter (the rating model's training and the ranker's, which a
    /// fit without search also runs).
    public var searchSeconds: Double {
        var seen = Set<String>(), total = 0.0
        for t in trials { if sampledUsers == nil && seen.insert(t.parameter).inserted { continue }; total += t.seconds }
        return total
    }
}

/// The hyperparameter search mfd runs on a data set's own ratings, cheap by construction:
///
/// 1. The rating model trains once at the configured λ (its usual sweeps), scored on the holdout.
/// 2. A regularization path: λ·1.5 and λ/1.5, each warm-started from the best model so far with
///    `pathSweeps` sweeps, then further steps in the better direction while the holdout RMSE
///    improves (at most `maxPathSteps`). Warm-started ALS reaches the new optimum's holdout RMSE
///    within 0.0005 in 4 sweeps on ml-latest-small (docs/core.md, "Search").
/// 3. The ranker trains once (it does not depend on λ), and the ranking weight ω is chosen among
///    `ratingWeights` by holdout NDCG@10; each candidate only re-derives the ranking vectors.
///
/// Deterministic for a given input, seed and thread count. Keys in `pinned` are not searched.
public enum ModelSearch {
    public static let pathStep: Float = 1.5
    public static let pathSweeps = 4
    public static let maxPathSteps = 4
    /// Candidates for ω; 0 ranks by the ranker alone.
    public static let ratingWeights: [Float] = [0, 0.02, 0.05, 0.1]
    /// Holdout users whose top-10 is scored per ranking trial, at most (every n-th user beyond it).
    public static let maxRankingUsers = 2_000

    public static func run(_ data: RatingMatrix, holdout: HoldoutRatings, config: TrainingConfig, pinned: Set<String> = [],
                           sideInfo: SideInfo? = nil, onEpoch: ((EpochReport) -> Bool)? = nil) throws -> SearchOutcome {
        var cfg = config
        cfg.ranker.enabled = false  // trained once, after the path
        var trials: [SearchTrial] = []
        func train(_ c: TrainingConfig, from warm: MFModel?) throws -> MFModel {
            let start = warm.map { WarmStart(model: $0, userRows: (0..<Int32(data.userCount)).map { $0 },
                                             itemRows: (0..<Int32(data.itemCount)).map { $0 }) }
            if let sideInfo { return try MFTrainer.train(data, sideInfo: sideInfo, config: c, holdout: holdout, warmStart: start, onEpoch: onEpoch) }
            return try MFTrainer.train(data, config: c, holdout: holdout, warmStart: start, onEpoch: onEpoch)
        }
        func rmse(_ m: MFModel) -> Double { Metrics.rating(model: m, users: holdout.users, items: holdout.items, ratings: holdout.ratings).rmse }
        let clock = ContinuousClock()
        var t0 = clock.now
        var best = try train(cfg, from: nil)
        var bestRMSE = rmse(best)
        trials.append(SearchTrial(parameter: "lambda", value: Double(cfg.lambda), holdoutRMSE: bestRMSE, sweeps: cfg.iterations,
                                  seconds: (clock.now - t0).inSeconds))
        if config.algorithm == .als && !pinned.contains("lambda") {
            var path = cfg
            path.iterations = min(pathSweeps, cfg.iterations)
            var direction: Float? = nil
            for step in 0..<maxPathSteps {
                var improved = false
                for d in direction.map({ [$0] }) ?? [pathStep, 1 / pathStep] {
                    var c = path
                    c.lambda = cfg.lambda * d
                    t0 = clock.now
                    let m = try train(c, from: best)
                    let r = rmse(m)
                    trials.append(SearchTrial(parameter: "lambda", value: Double(c.lambda), holdoutRMSE: r, sweeps: c.iterations,
                                              seconds: (clock.now - t0).inSeconds))
                    if r < bestRMSE { best = m; bestRMSE = r; cfg.lambda = c.lambda; direction = d; improved = true; break }
                }
                if !improved || step == maxPathSteps - 1 { break }
            }
        }
        var model = best
        if config.ranker.enabled && config.algorithm != .implicit {
            t0 = clock.now
            if let ranker = try Ranker.train(data, config: config) {
                model.ranker = ranker
                model.rebuildDerived()
                trials.append(contentsOf: try chooseRatingWeight(&model, data: data, holdout: holdout, config: &cfg,
                                                                 pinned: pinned.contains("ranking.rating_weight"), since: t0))
            }
        }
        cfg.ranker = config.ranker
        return SearchOutcome(config: cfg, trials: trials, model: model)
    }

    /// Scores each ω on the holdout's liked ratings and keeps the best (ties: the smaller ω).
    static func chooseRatingWeight(_ model: inout MFModel, data: RatingMatrix, holdout: HoldoutRatings,
                                   config: inout TrainingConfig, pinned: Bool, since t0: ContinuousClock.Instant) throws -> [SearchTrial] {
        let clock = ContinuousClock()
        let candidates = pinned ? [config.ranking.ratingWeight] : ratingWeights
        let threshold = model.ranker!.feedback.threshold
        let sample = rankingSample(holdout, threshold: threshold)
        var trials: [SearchTrial] = [], bestW = candidates[0], bestN = -1.0
        var t = t0
        for w in candidates {
            var r = model.ranking
            r.ratingWeight = w
            try model.setRanking(r)
            let n = try Metrics.ranking(model: model, train: data, users: sample.users, items: sample.items,
                                        ratings: sample.ratings, threshold: threshold).ndcg
            trials.append(SearchTrial(parameter: "ranking.rating_weight", value: Double(w), holdoutNDCG: n,
                                      sweeps: w == candidates[0] ? config.ranker.iterations ?? config.iterations : 0, seconds: (clock.now - t).inSeconds))
            t = clock.now
            if n > bestN { bestN = n; bestW = w }
        }
        var r = model.ranking
        r.ratingWeight = bestW
        try model.setRanking(r)
        config.ranking = r
        return trials
    }

    /// The holdout's liked ratings of at most `maxRankingUsers` users (every n-th user by index).
    static func rankingSample(_ h: HoldoutRatings, threshold: Float) -> HoldoutRatings {
        let users = Set(h.users.indices.filter { h.ratings[$0] >= threshold }.map { h.users[$0] }).sorted()
        let stride = max(1, (users.count + maxRankingUsers - 1) / maxRankingUsers)
        let keep = Set(users.enumerated().filter { $0.offset % stride == 0 }.map(\.element))
        let j = h.users.indices.filter { keep.contains(h.users[$0]) }
        return HoldoutRatings(users: j.map { h.users[$0] }, items: j.map { h.items[$0] }, ratings: j.map { h.ratings[$0] })
    }
}

extension ModelSearch {
    /// Above this many training ratings the search runs on a sample of users holding about
    /// this many, and the model is then trained on all of them at the chosen values.
    /// Sampling users keeps each row's rating count, on which weighted λ depends.
    public static let sampleRatings = 200_000

    /// The search on `data` (or on a user sample of it), then the model at the chosen values:
    /// the search's own when it ran on all of `data`, else one trained on `data`.
    public static func fit(_ data: RatingMatrix, holdout: HoldoutRatings, config: TrainingConfig, pinned: Set<String> = [],
                           sideInfo: SideInfo? = nil, onEpoch: ((EpochReport) -> Bool)? = nil) throws -> SearchOutcome {
        guard data.count > sampleRatings, sideInfo == nil else {
            return try run(data, holdout: holdout, config: config, pinned: pinned, sideInfo: sideInfo, onEpoch: onEpoch)
        }
        let (sample, sampleHoldout) = try userSample(data, holdout: holdout, ratings: sampleRatings, seed: config.seed)
        let searched = try run(sample, holdout: sampleHoldout, config: config, pinned: pinned, onEpoch: onEpoch)
        let model = try MFTrainer.train(data, config: searched.config, holdout: holdout, onEpoch: onEpoch)
        return SearchOutcome(config: searched.config, trials: searched.trials, model: model, sampledUsers: sample.userCount)
    }

    /// The ratings and held-out ratings of a seeded sample of users holding about `ratings` ratings,
    /// users renumbered in order, items keeping their indices.
    static func userSample(_ m: RatingMatrix, holdout h: HoldoutRatings, ratings: Int, seed: UInt64) throws
        -> (RatingMatrix, HoldoutRatings) {
        let fraction = Double(ratings) / Double(m.count)
        var index = [Int32](repeating: -1, count: m.userCount), next: Int32 = 0
        var us = [Int32](), its = [Int32](), vs = [Float]()
        for u in 0..<m.userCount where HoldoutRatings.isHeldOut(user: Int64(u), item: -1, fraction: fraction, seed: Int64(bitPattern: seed)) {
            index[u] = next; next += 1
            for j in m.userOffsets[u]..<m.userOffsets[u + 1] { us.append(index[u]); its.append(m.userItems[j]); vs.append(m.userRatings[j]) }
        }
        let sample = try RatingMatrix(users: us, items: its, ratings: vs, userCount: Int(next), itemCount: m.itemCount)
        let keep = h.users.indices.filter { index[Int(h.users[$0])] >= 0 }
        return (sample, HoldoutRatings(users: keep.map { index[Int(h.users[$0])] }, items: keep.map { h.items[$0] },
                                       ratings: keep.map { h.ratings[$0] }))
    }
}
