/// Biased Funk-SVD by SGD, done right: shuffled epochs, a decaying learning
/// rate, separate penalties for factors and biases. Per rating, with e = r − r̂:
///   b_u += η(e − λ_b b_u),  b_i += η(e − λ_b b_i)
///   p_u += η(e q_i − λ p_u), q_i += η(e p_u − λ q_i)   (both from the old values)
/// Single-threaded: the result depends only on data, config and seed.
struct SGDTrainer {
    let data: RatingMatrix
    let config: TrainingConfig
    var rng: SeededRNG
    /// Ratings scored after every epoch (not trained on), or nil.
    var holdout: HoldoutRatings?

    init(data: RatingMatrix, config: TrainingConfig) {
        self.data = data; self.config = config; rng = SeededRNG(seed: config.seed)
    }

    mutating func run(onEpoch: ((EpochReport) -> Bool)?) throws -> MFModel {
        let k = config.factors, nu = data.userCount, ni = data.itemCount, n = data.count
        var p = (0..<(nu * k)).map { _ in rng.nextGaussian() * config.initScale }
        var q = (0..<(ni * k)).map { _ in rng.nextGaussian() * config.initScale }
        var bu = [Float](repeating: 0, count: nu), bi = [Float](repeating: 0, count: ni)
        // Rating j of the user CSR belongs to user rowOf[j].
        var rowOf = [Int32](repeating: 0, count: n)
        for u in 0..<nu { for j in data.userOffsets[u]..<data.userOffsets[u + 1] { rowOf[j] = Int32(u) } }
        var order = Array(0..<n)
        let mu = data.mean, lam = config.sgdLambda, lamB = config.sgdBiasLambda
        var lr = config.learningRate
        let start = ContinuousClock.now
        for epoch in 1...max(config.iterations, 1) where config.iterations > 0 {
            order.shuffle(using: &rng)
            p.withUnsafeMutableBufferPointer { pp in
                q.withUnsafeMutableBufferPointer { qq in
                    for j in order {
                        let u = Int(rowOf[j]), i = Int(data.userItems[j])
                        let pu = pp.baseAddress! + u * k, qi = qq.baseAddress! + i * k
                        let e = data.userRatings[j] - mu - bu[u] - bi[i] - Kernels.dot(pu, qi, k)
                        bu[u] += lr * (e - lamB * bu[u])
                        bi[i] += lr * (e - lamB * bi[i])
                        for c in 0..<k {
                            let pc = pu[c], qc = qi[c]
                            pu[c] = pc + lr * (e * qc - lam * pc)
                            qi[c] = qc + lr * (e * pc - lam * qc)
                        }
                    }
                }
            }
            lr *= config.learningRateDecay
            try MFTrainer.report(epoch: epoch, objective: {
                var sse = 0.0, reg = 0.0
                for j in 0..<n {
                    let u = Int(rowOf[j]), i = Int(data.userItems[j])
                    var d: Float = 0
                    for c in 0..<k { d += p[u * k + c] * q[i * k + c] }
                    let e = Double(data.userRatings[j] - mu - bu[u] - bi[i] - d)
                    sse += e * e
                }
                for x in p { reg += Double(lam * x * x) }
                for x in q { reg += Double(lam * x * x) }
                for x in bu { reg += Double(lamB * x * x) }
                for x in bi { reg += Double(lamB * x * x) }
                return ((sse + reg) / Double(n), (sse / Double(n)).squareRoot())
            }, holdout: holdout.map { [lo = data.minRating, hi = data.maxRating] h in {
                h.rmse(mean: mu, min: lo, max: hi, k: k, userBias: bu, itemBias: bi, userFactors: p, itemFactors: q)
            } }, start: start, onEpoch: onEpoch)
        }
        // Fold-in of an SGD model uses the per-rating penalties as weighted λ.
        let solver = SolverParams(lambda: max(lam, 1e-4), biasLambda: max(lamB, 1e-4), weightedLambda: true, implicitWeight: 0)
        return try MFModel(factors: k, globalMean: mu, minRating: data.minRating, maxRating: data.maxRating,
                           userBias: bu, userFactors: p, itemBias: bi, itemFactors: q,
                           itemPopularity: MFTrainer.popularity(data), solver: solver, ranking: config.ranking)
    }
}
