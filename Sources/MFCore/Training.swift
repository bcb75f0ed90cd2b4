/// Progress of one training epoch, passed to the `onEpoch` callback.
public struct EpochReport: Sendable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Full training objective (squared errors + penalties + implicit term) divided by the rating count.
    public var loss: Double
    /// Root mean squared error on the training ratings (unclipped).
    public var rmse: Double
    /// Seconds since training started.
    public var elapsed: Double
    /// RMSE of clipped predictions on the held-out ratings given to `train`, or nil.
    public var holdoutRMSE: Double? = nil
}

/// Ratings kept out of training, scored after every epoch (dense indices of the training matrix).
public struct HoldoutRatings: Sendable, Equatable {
    public var users: [Int32], items: [Int32], ratings: [Float]
    public init(users: [Int32], items: [Int32], ratings: [Float]) {
        self.users = users; self.items = items; self.ratings = ratings
    }
    public var count: Int { ratings.count }

    /// √(mean (clip(μ + b_u + b_i + p_u·q_i) − r)²) over the held-out ratings.
    func rmse(mean mu: Float, min lo: Float, max hi: Float, k: Int,
              userBias bu: UnsafePointer<Float>, itemBias bi: UnsafePointer<Float>,
              userFactors p: UnsafePointer<Float>, itemFactors q: UnsafePointer<Float>) -> Double {
        guard count > 0 else { return 0 }
        var sse = 0.0
        for j in 0..<count {
            let u = Int(users[j]), i = Int(items[j])
            let r = min(max(mu + bu[u] + bi[i] + Kernels.dot(p + u * k, q + i * k, k), lo), hi)
            sse += Double(r - ratings[j]) * Double(r - ratings[j])
        }
        return (sse / Double(count)).squareRoot()
    }
}

/// Entry point for training. Pure and synchronous: run it on a background task.
public enum MFTrainer {
    /// Trains a model with `config.algorithm`.
    /// - Parameter onEpoch: called after every epoch on the calling thread;
    ///   return false to stop. Training also stops when the current task is cancelled.
    /// - Parameter holdout: ratings not in `data`, scored after every epoch
    ///   (`EpochReport.holdoutRMSE`); implicit-feedback models predict preferences, not ratings, and ignore it.
    /// - Parameter warmStart: a model to start from instead of random factors (ALS only).
    /// - Throws: `invalid_config`, or `cancelled(epoch:)` when stopped.
    public static func train(_ data: RatingMatrix, config: TrainingConfig, holdout: HoldoutRatings? = nil,
                             warmStart: WarmStart? = nil, onEpoch: ((EpochReport) -> Bool)? = nil) throws -> MFModel {
        try config.validate()
        try holdout.map { try check($0, data) }
        try check(warmStart, data, config)
        switch config.algorithm {
        case .als:
            let t = ALSTrainer(data: data, config: config)
            t.holdout = holdout
            warmStart.map(t.begin(from:))
            t.solveUsersFirst = warmStart?.solveUsersFirst ?? false
            return try withRanker(t.run(onEpoch: onEpoch), data, config, warmStart)
        case .sgd:
            var t = SGDTrainer(data: data, config: config)
            t.holdout = holdout
            return try withRanker(t.run(onEpoch: onEpoch), data, config, nil)
        case .implicit:
            return try ImplicitALSTrainer(ratings: data, config: config).run(onEpoch: onEpoch)
        }
    }

    /// `model` with its ranker trained on `data` when `config.ranker` asks for one
    /// (warm-started from the warm start's ranker, when it has one).
    static func withRanker(_ model: MFModel, _ data: RatingMatrix, _ config: TrainingConfig, _ warmStart: WarmStart?) throws -> MFModel {
        guard config.ranker.enabled, let ranker = try Ranker.train(data, config: config, warmStart: warmStart) else { return model }
        var m = model
        m.ranker = ranker
        m.rebuildDerived()
        return m
    }

    /// Count of each item's ratings at or above the global mean (unknown-user ranking).
    static func popularity(_ m: RatingMatrix) -> [Float] {
        (0..<m.itemCount).map { i in Float(m.ratings(ofItem: i).reduce(0) { $0 + ($1 >= m.mean ? 1 : 0) }) }
    }

    /// A warm start must fit the matrix and the config, and needs ALS.
    static func check(_ start: WarmStart?, _ data: RatingMatrix, _ config: TrainingConfig) throws {
        guard let start else { return }
        guard config.algorithm == .als else {
            throw MFCoreError.invalidConfig(field: "warm_start", reason: "needs algorithm als")
        }
        try start.check(data, config)
    }

    /// Held-out indices must lie inside the training matrix.
    static func check(_ h: HoldoutRatings, _ data: RatingMatrix) throws {
        guard h.users.count == h.count, h.items.count == h.count else {
            throw MFCoreError.invalidConfig(field: "holdout", reason: "users, items and ratings differ in length")
        }
        for j in 0..<h.count {
            guard h.users[j] >= 0, Int(h.users[j]) < data.userCount else {
                throw MFCoreError.indexOutOfRange(field: "holdout.users", index: j, value: Int(h.users[j]), count: data.userCount)
            }
            guard h.items[j] >= 0, Int(h.items[j]) < data.itemCount else {
                throw MFCoreError.indexOutOfRange(field: "holdout.items", index: j, value: Int(h.items[j]), count: data.itemCount)
            }
            guard h.ratings[j].isFinite else { throw MFCoreError.nonFiniteValue(field: "holdout.ratings", index: j) }
        }
    }

    /// Shared epoch bookkeeping: callback, cancellation, elapsed time.
    static func report(epoch: Int, objective: () -> (loss: Double, rmse: Double), holdout: (() -> Double)? = nil,
                       start: ContinuousClock.Instant, onEpoch: ((EpochReport) -> Bool)?) throws {
        if Task.isCancelled { throw MFCoreError.cancelled(epoch: epoch) }
        guard let onEpoch else { return }
        let (loss, rmse) = objective()
        if !onEpoch(EpochReport(epoch: epoch, loss: loss, rmse: rmse, elapsed: (ContinuousClock.now - start).inSeconds,
                                holdoutRMSE: holdout?())) {
            throw MFCoreError.cancelled(epoch: epoch)
        }
    }
}
