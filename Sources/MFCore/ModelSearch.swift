#if canImport(Glibc)
import Glibc
#endif

/// One setting a `ModelSearch` evaluated on its holdout.
public struct SearchTrial: Codable, Sendable, Equatable {
    /// The configuration key searched: "lambda", "ranker.alpha", "ranking.rating_weight" or "implicit_als.alpha".
    public var parameter: String
    public var value: Double
    /// Holdout RMSE of the rating model at this setting (λ trials).
    public var holdoutRMSE: Double?
    /// Holdout NDCG@10 of `topN` at this setting (α and ranking trials; α trials of a ranker rank by it alone).
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
    public var sampledUsers: Int?

    /// What the search added to one fit: on a sample, every trial; else every trial's seconds but
    /// those of the trainings a fit without search also runs (the rating model at the starting λ,
    /// the ranker, or an implicit model at the chosen α).
    public var searchSeconds: Double

    /// `fitSeconds`: the trials' seconds a fit without search spends too.
    init(config: TrainingConfig, trials: [SearchTrial], model: MFModel, sampledUsers: Int? = nil, fitSeconds: Double = 0) {
        self.config = config; self.trials = trials; self.model = model; self.sampledUsers = sampledUsers
        searchSeconds = trials.reduce(0) { $0 + $1.seconds } - fitSeconds
    }
}

/// The hyperparameter search mfd runs on a data set's own ratings, cheap by construction:
///
/// 1. The rating model trains once at the configured λ (its usual sweeps), scored on the holdout.
/// 2. A regularization path: λ·1.5 and λ/1.5, each warm-started from the best model so far with
///    `pathSweeps` sweeps, then further steps in the better direction while the holdout RMSE
///    improves (at most `maxPathSteps`). Warm-started ALS reaches the new optimum's holdout RMSE
///    within 0.0005 in 4 sweeps on ml-latest-small (docs/core.md, "Search").
/// 3. The ranker's α (it does not depend on λ) is chosen among `alphas` by holdout NDCG@10 of the
///    ranker alone, each candidate trained `alphaSweeps` sweeps; the ranker then trains at that α,
///    and the ranking weight ω is chosen among `ratingWeights` by holdout NDCG@10 (each candidate
///    only re-derives the ranking vectors).
///
/// An implicit model has no rating to score: its α is chosen as the ranker's, then it trains at it.
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
    /// Candidates for α, the confidence slope of the implicit ALS that ranks (a ranker, or an
    /// implicit model), besides the configured α: liked items weigh c = 1 + α = 1, 5, 10, 20 or 40,
    /// the grid the `implicit` anchor is tuned over (its confidence is c = α·value).
    public static let alphas: [Float] = [0, 4, 9, 19, 39]
    /// Sweeps of each α trial. On the ml-latest-small fit/val splits, implicit ALS after 3 sweeps orders
    /// α ∈ {0, 1, 4, 9, 19} by val NDCG@10 as after 15 (2018: 1 > 0 > 4 > 9 > 19 both; 2016: the best
    /// two, 1 and 4, and the worst the same), at a fifth of the cost.
    public static let alphaSweeps = 3

    public static func run(_ data: RatingMatrix, holdout: HoldoutRatings, config: TrainingConfig, pinned: Set<String> = [],
                           sideInfo: SideInfo? = nil, onEpoch: ((EpochReport) -> Bool)? = nil) throws -> SearchOutcome {
        if config.algorithm == .implicit {
            return try runImplicit(data, holdout: holdout, config: config, pinned: pinned.contains("implicit_als.alpha"))
        }
        var cfg = config
        cfg.ranker.enabled = false  // trained once, after the path
        var trials: [SearchTrial] = []
        var fitSeconds = 0.0  // of the trainings a fit without search runs too
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
        fitSeconds += trials[0].seconds
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
        cfg.ranker = config.ranker
        if config.ranker.enabled {
            if !pinned.contains("ranker.alpha") {
                let alphaTrials = try chooseAlpha(data, holdout: holdout, config: &cfg) { c in
                    var m = model
                    guard let r = try Ranker.train(data, config: c) else { return nil }
                    m.ranker = r
                    var ranking = m.ranking
                    ranking.ratingWeight = 0  // the ranker alone
                    try m.setRanking(ranking)
                    return m
                }
                trials += alphaTrials
            }
            t0 = clock.now
            if let ranker = try Ranker.train(data, config: cfg) {
                model.ranker = ranker
                model.rebuildDerived()
                let weights = try chooseRatingWeight(&model, data: data, holdout: holdout, config: &cfg,
                                                     pinned: pinned.contains("ranking.rating_weight"), since: t0)
                fitSeconds += weights[0].seconds
                trials += weights
            }
        }
        return SearchOutcome(config: cfg, trials: trials, model: model, fitSeconds: fitSeconds)
    }

    /// An implicit model: α among `alphas` (each trained `alphaSweeps` sweeps) by holdout NDCG@10, then the model at it.
    static func runImplicit(_ data: RatingMatrix, holdout: HoldoutRatings, config: TrainingConfig, pinned: Bool) throws -> SearchOutcome {
        var cfg = config, trials: [SearchTrial] = []
        if !pinned {
            trials = try chooseAlpha(data, holdout: holdout, config: &cfg) { c in try MFTrainer.train(data, config: c) }
        }
        let model = try MFTrainer.train(data, config: cfg)
        return SearchOutcome(config: cfg, trials: trials, model: model)
    }

    /// Scores each α of `alphas` by the holdout NDCG@10 of the model `train` makes with it (`alphaSweeps`
    /// sweeps) and sets in `config` the best, if it beats the configured α by more than the standard error of
    /// their per-user difference (else keeps the configured α): the ranker's, or an implicit model's.
    static func chooseAlpha(_ data: RatingMatrix, holdout: HoldoutRatings, config: inout TrainingConfig,
                            train: (TrainingConfig) throws -> MFModel?) throws -> [SearchTrial] {
        let implicit = config.algorithm == .implicit
        let threshold = implicit ? config.implicitALS.threshold
            : data.userRatings.withUnsafeBufferPointer { config.ranker.feedback(values: $0, mean: data.mean) }.threshold
        let sample = rankingSample(holdout, threshold: threshold)
        guard !sample.users.isEmpty else { return [] }
        let clock = ContinuousClock()
        var trials: [SearchTrial] = [], scores: [Float: [Double]] = [:]
        let start = implicit ? config.implicitALS.alpha : config.ranker.alpha
        for a in (alphas.contains(start) ? alphas : [start] + alphas) {
            let t0 = clock.now
            var c = config
            if implicit { c.implicitALS.alpha = a; c.iterations = min(alphaSweeps, config.iterations) } else {
                c.ranker.alpha = a; c.ranker.iterations = min(alphaSweeps, config.ranker.iterations ?? config.iterations)
            }
            guard let m = try train(c) else { return [] }
            let each = try Metrics.userNDCG(model: m, train: data, users: sample.users, items: sample.items,
                                            ratings: sample.ratings, threshold: threshold)
            scores[a] = each
            trials.append(SearchTrial(parameter: implicit ? "implicit_als.alpha" : "ranker.alpha", value: Double(a),
                                      holdoutNDCG: each.reduce(0, +) / Double(max(each.count, 1)),
                                      sweeps: implicit ? c.iterations : c.ranker.iterations!, seconds: (clock.now - t0).inSeconds))
        }
        let best = trials.max { $0.holdoutNDCG! < $1.holdoutNDCG! }.map { Float($0.value) } ?? start
        let chosen = clearlyBetter(scores[best]!, than: scores[start]!) ? best : start
        if implicit { config.implicitALS.alpha = chosen } else { config.ranker.alpha = chosen }
        return trials
    }

    /// Whether `a` beats `b` (paired per-user scores) by more than the standard error of their mean difference
    /// (the one-standard-error rule): a holdout of a few hundred users moves NDCG@10 by several percent between
    /// settings that rank alike (ml-latest-small 2016 restricted to its 258 users with ≥ 100 ratings: α from
    /// 1 to 10 within 3.4 % on the holdout). Against taking the best α outright, on the val splits of five
    /// sets (ml-small 2016/2018, their dense and sparse subsets, synth-1m) it ranked the same for `recommend`
    /// and, in implicit mode, lost once and won once (0.1595 / 0.1628, 0.1632 / 0.1575): 0.6197 / 0.6173 summed.
    static func clearlyBetter(_ a: [Double], than b: [Double]) -> Bool {
        let n = Double(a.count)
        guard a.count == b.count, a.count > 1 else { return false }
        let d = zip(a, b).map { $0 - $1 }
        let mean = d.reduce(0, +) / n
        let variance = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return mean > (variance / n).squareRoot()
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
    /// Sweeps of the model on all ratings after a search on a sample, started from the search's
    /// model. On the synthetic 5M set, 5 such sweeps reach a lower holdout RMSE than 15 cold ones
    /// (0.6200 against 0.6207) at 45 % of their CPU (docs/benchmarks.md, *Scale*).
    public static let sampledSweeps = 5

    /// The search on `data` (or on a user sample of it), then the model at the chosen values:
    /// the search's own when it ran on all of `data`, else one trained on `data` (ALS: warm-started
    /// from the search's model for `sampledSweeps` sweeps; SGD and implicit ALS: cold).
    /// - Parameter sample: training ratings above which the search samples users (`sampleRatings`).
    public static func fit(_ data: RatingMatrix, holdout: HoldoutRatings, config: TrainingConfig, pinned: Set<String> = [],
                           sideInfo: SideInfo? = nil, sample sampleSize: Int = sampleRatings,
                           onEpoch: ((EpochReport) -> Bool)? = nil) throws -> SearchOutcome {
        guard data.count > sampleSize, sideInfo == nil else {
            return try run(data, holdout: holdout, config: config, pinned: pinned, sideInfo: sideInfo, onEpoch: onEpoch)
        }
        let (sample, sampleHoldout, rows) = try userSample(data, holdout: holdout, ratings: sampleSize, seed: config.seed)
        let searched = try run(sample, holdout: sampleHoldout, config: config, pinned: pinned, onEpoch: onEpoch)
        guard config.algorithm == .als else {
            let model = try MFTrainer.train(data, config: searched.config, holdout: holdout, onEpoch: onEpoch)
            return SearchOutcome(config: searched.config, trials: searched.trials, model: model, sampledUsers: sample.userCount)
        }
        // From the search's model: its items, its users' rows, every user solved first, then `sampledSweeps` sweeps.
        var final = searched.config
        final.iterations = min(sampledSweeps, config.iterations)
        var start = WarmStart(model: searched.model, userRows: rows, itemRows: (0..<Int32(data.itemCount)).map { $0 })
        start.solveUsersFirst = true
        let model = try MFTrainer.train(data, config: final, holdout: holdout, warmStart: start, onEpoch: onEpoch)
        return SearchOutcome(config: searched.config, trials: searched.trials, model: model, sampledUsers: sample.userCount)
    }

    /// The ratings and held-out ratings of a seeded sample of users holding about `ratings` ratings,
    /// users renumbered in order, items keeping their indices; and each user's row in the sample, or -1.
    static func userSample(_ m: RatingMatrix, holdout h: HoldoutRatings, ratings: Int, seed: UInt64) throws
        -> (RatingMatrix, HoldoutRatings, [Int32]) {
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
                                       ratings: keep.map { h.ratings[$0] }), index)
    }
}
