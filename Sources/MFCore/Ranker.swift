/// The trained ranker of a rating model (see `RankerConfig`): implicit ALS
/// factors x_u (users × k) and z_i (items × k), on the same user and item
/// indices as the model, and the rule that made its interactions, so fold-in
/// reads a new rating exactly as training did.
public struct Ranker: Sendable, Equatable {
    /// α, λ and the liked threshold the factors were trained with.
    public let feedback: ImplicitFeedback
    public internal(set) var userFactors: [Float]
    public internal(set) var itemFactors: [Float]

    public init(feedback: ImplicitFeedback, userFactors: [Float], itemFactors: [Float]) {
        self.feedback = feedback; self.userFactors = userFactors; self.itemFactors = itemFactors
    }

    /// Trains the ranker of `data` with the rating model's k, threads and seed.
    /// - Throws: `cancelled` when the task is cancelled; nil result when no rating is liked.
    static func train(_ data: RatingMatrix, config: TrainingConfig, warmStart: WarmStart? = nil,
                      onEpoch: ((EpochReport) -> Bool)? = nil) throws -> Ranker? {
        let feedback = data.userRatings.withUnsafeBufferPointer { config.ranker.feedback(values: $0, mean: data.mean) }
        guard data.userRatings.contains(where: { feedback.strength($0) != nil }) else { return nil }
        var c = config
        c.algorithm = .implicit; c.implicitALS = feedback; c.iterations = config.ranker.iterations ?? max(config.iterations, 1)
        // An earlier ranker of the same rule with some rows in common; else a cold start.
        let known = warmStart.map { $0.userRows.contains { $0 >= 0 } || $0.itemRows.contains { $0 >= 0 } } ?? false
        let old = known ? warmStart?.model.ranker.flatMap { $0.feedback == feedback ? $0 : nil } : nil
        // Warm: as many sweeps as the rating model's warm retrain (`config.iterations` then holds them).
        if old != nil { c.iterations = min(c.iterations, max(config.iterations, 1)) }
        let trainer = try ImplicitALSTrainer(ratings: data, config: c)
        if let warmStart, let old { trainer.begin(from: old, start: warmStart) }
        let m = try trainer.run(onEpoch: onEpoch)
        return Ranker(feedback: feedback, userFactors: m.userFactors, itemFactors: m.itemFactors)
    }
}

extension ImplicitALSTrainer {
    /// Starts from an earlier ranker's rows where the warm start maps them.
    func begin(from old: Ranker, start: WarmStart) {
        let k = self.k
        for (u, r) in start.userRows.enumerated() where r >= 0 {
            old.userFactors.withUnsafeBufferPointer { (x + u * k).update(from: $0.baseAddress! + Int(r) * k, count: k) }
        }
        for (i, r) in start.itemRows.enumerated() where r >= 0 {
            old.itemFactors.withUnsafeBufferPointer { (y + i * k).update(from: $0.baseAddress! + Int(r) * k, count: k) }
        }
    }
}

extension MFModel {
    /// This model with a ranker trained on `data` (ratings on the model's user and item indices)
    /// by `config.ranker`, ranking with `config.ranking`: how a model trained elsewhere (an
    /// imported Spark model) ranks as mfd's own do. Unchanged when no rating is liked.
    public func withRanker(trainedOn data: RatingMatrix, config: TrainingConfig) throws -> MFModel {
        guard let ranker = try trainRanker(on: data, config: config) else { return self }
        return try withRanker(ranker, ranking: config.ranking)
    }

    /// A ranker for this model trained on `data` (ratings on the model's user and item indices)
    /// by `config.ranker`, with the model's k; nil when no rating is liked. `onEpoch` as for a
    /// training (false cancels); a cancelled task throws `cancelled` at the next epoch.
    public func trainRanker(on data: RatingMatrix, config: TrainingConfig,
                            onEpoch: ((EpochReport) -> Bool)? = nil) throws -> Ranker? {
        guard data.userCount == userCount, data.itemCount == itemCount else {
            throw MFCoreError.invalidConfig(field: "ranker", reason: "ratings cover \(data.userCount) users and \(data.itemCount) items, the model \(userCount) and \(itemCount)")
        }
        var c = config
        c.factors = factors  // the ranker's rows share the model's k
        return try Ranker.train(data, config: c, onEpoch: onEpoch)
    }

    /// This model ranking with `ranker` and `ranking`. The ranker may lack rows of the
    /// users and items appended after it was trained (fold-in): those rows are 0 until
    /// their next fold-in solves them.
    public func withRanker(_ ranker: Ranker, ranking: RankingConfig) throws -> MFModel {
        let k = factors
        guard ranker.userFactors.count % k == 0, ranker.itemFactors.count % k == 0,
              ranker.userFactors.count <= userCount * k, ranker.itemFactors.count <= itemCount * k else {
            throw MFCoreError.invalidConfig(field: "ranker", reason: "ranker rows (\(ranker.userFactors.count / max(k, 1)) users, \(ranker.itemFactors.count / max(k, 1)) items at k \(k)) do not fit the model's \(userCount) × \(itemCount)")
        }
        var r = ranker  // shares the ranker's arrays: only a side that needs rows is copied
        if r.userFactors.count < userCount * k { r.userFactors.append(contentsOf: repeatElement(0, count: userCount * k - r.userFactors.count)) }
        if r.itemFactors.count < itemCount * k { r.itemFactors.append(contentsOf: repeatElement(0, count: itemCount * k - r.itemFactors.count)) }
        var m = self
        m.ranker = r
        m.ranking = ranking
        m.rebuildDerived()
        return m
    }
}
