/// Training algorithm.
public enum Algorithm: String, Codable, Sendable, CaseIterable {
    /// Alternating least squares with exact row solves (the default).
    case als
    /// Biased Funk-SVD by stochastic gradient descent.
    case sgd
    /// Implicit-feedback ALS (Hu, Koren, Volinsky 2008) with conjugate-gradient rows;
    /// settings in `TrainingConfig.implicitALS`.
    case implicit
}

/// Everything that controls training. `Codable`: missing keys take the
/// product defaults, so stored configs stay readable when fields are added.
///
/// The defaults were chosen on `../shared/splits/*/{fit,val}.csv` only
/// (see docs/core.md); `TrainingConfig()` is what mfd trains with.
public struct TrainingConfig: Codable, Sendable, Equatable {
    public var algorithm: Algorithm = .als
    /// Latent dimension k.
    public var factors: Int = 64
    /// ALS sweeps or SGD epochs.
    public var iterations: Int = 15
    /// L2 penalty on factors (multiplied by the row's rating count when `weightedLambda`).
    public var lambda: Float = 0.15
    /// L2 penalty on biases (scaled by n^biasLambdaExponent when weighted).
    public var biasLambda: Float = 3
    /// Scale both penalties by each row's rating count ("weighted-λ", ALS-WR).
    public var weightedLambda: Bool = true
    /// With `weightedLambda`, penalties are multiplied by n^lambdaExponent.
    public var lambdaExponent: Float = 1
    /// The same for the bias penalty (0 = constant bias penalty).
    public var biasLambdaExponent: Float = 0
    /// Weight w of the implicit-feedback term: the user factor also fits the
    /// binary "user rated item" matrix through separate item factors
    /// (collective MF with the rated/not-rated matrix; 0 disables it).
    public var implicitWeight: Float = 0.5
    /// L2 penalty on the implicit item factors (not count-scaled).
    public var implicitLambda: Float = 30
    /// The mirror term for items: weight of "item i was rated by user u",
    /// fitted through separate implicit user factors x_u (0 disables it).
    public var implicitUserWeight: Float = 3
    /// L2 penalty on the implicit user factors (not count-scaled).
    public var implicitUserLambda: Float = 450
    /// ALS: conjugate-gradient steps per row in every epoch but the last,
    /// warm-started from the previous epoch; 0 = exact solves throughout.
    /// The last epoch always solves exactly, so user rows equal their fold-in.
    public var cgSteps: Int = 3
    /// Standard deviation of the random initial factors.
    public var initScale: Float = 0.1
    /// Scoring used by `topN` (not by `predict`).
    public var ranking: RankingConfig = RankingConfig()
    /// The implicit-feedback ranker rating models train beside themselves for `topN`.
    public var ranker: RankerConfig = RankerConfig()
    /// SGD learning rate at epoch 0.
    public var learningRate: Float = 0.01
    /// SGD learning-rate multiplier per epoch.
    public var learningRateDecay: Float = 0.95
    /// SGD L2 penalties (per update, not count-scaled).
    public var sgdLambda: Float = 0.05
    public var sgdBiasLambda: Float = 0.01
    /// Worker threads; 0 means all cores. Results depend on this only through
    /// floating-point summation order (ALS results do not depend on it at all).
    public var threads: Int = 0
    /// Seed of the random initial factors and SGD shuffles.
    public var seed: UInt64 = 42
    /// Implicit-feedback ALS settings (algorithm `implicit` only).
    public var implicitALS: ImplicitFeedback = ImplicitFeedback()
    /// Collective MF block weights (ALS trained with `SideInfo` only).
    public var sideInfo: SideInfoConfig = SideInfoConfig()

    /// The product defaults.
    public init() {}

    /// Plain biased MF (no implicit features, fixed λ): the like-for-like
    /// setting compared with cmfrec's `CMF(k, lambda_, user_bias, item_bias)`.
    public static func plain(factors: Int = 64, lambda: Float = 10, iterations: Int = 10) -> TrainingConfig {
        var c = TrainingConfig()
        c.factors = factors; c.lambda = lambda; c.biasLambda = lambda; c.iterations = iterations
        c.weightedLambda = false; c.implicitWeight = 0; c.implicitUserWeight = 0; c.ranker.enabled = false
        return c
    }

    /// Throws `invalid_config` naming the first bad field.
    public func validate() throws {
        func bad(_ f: String, _ r: String) -> MFCoreError { .invalidConfig(field: f, reason: r) }
        guard factors >= 1 && factors <= 1024 else { throw bad("factors", "must be in 1...1024") }
        guard iterations >= 0 && iterations <= 10_000 else { throw bad("iterations", "must be in 0...10000") }
        for (f, v) in [("lambda", lambda), ("bias_lambda", biasLambda), ("implicit_weight", implicitWeight),
                       ("implicit_lambda", implicitLambda), ("implicit_user_weight", implicitUserWeight),
                       ("implicit_user_lambda", implicitUserLambda), ("init_scale", initScale), ("lambda_exponent", lambdaExponent),
                       ("bias_lambda_exponent", biasLambdaExponent),
                       ("sgd_lambda", sgdLambda), ("sgd_bias_lambda", sgdBiasLambda)] {
            guard v.isFinite && v >= 0 else { throw bad(f, "must be a finite number >= 0") }
        }
        guard lambda > 0 || algorithm == .sgd else { throw bad("lambda", "must be > 0 for ALS") }
        guard implicitWeight == 0 || implicitLambda > 0 else { throw bad("implicit_lambda", "must be > 0 when implicit_weight > 0") }
        guard implicitUserWeight == 0 || implicitUserLambda > 0 else {
            throw bad("implicit_user_lambda", "must be > 0 when implicit_user_weight > 0")
        }
        guard learningRate.isFinite && learningRate > 0 else { throw bad("learning_rate", "must be > 0") }
        guard learningRateDecay.isFinite && learningRateDecay > 0 && learningRateDecay <= 1 else {
            throw bad("learning_rate_decay", "must be in (0, 1]")
        }
        guard cgSteps >= 0 && cgSteps <= 10_000 else { throw bad("cg_steps", "must be in 0...10000") }
        guard threads >= 0 && threads <= 1024 else { throw bad("threads", "must be in 0...1024") }
        try ranking.validate()
        try ranker.validate()
        try implicitALS.validate()
        try sideInfo.validate()
    }

    enum CodingKeys: String, CodingKey {
        case algorithm, factors, iterations, lambda, biasLambda = "bias_lambda", weightedLambda = "weighted_lambda", lambdaExponent = "lambda_exponent"
        case biasLambdaExponent = "bias_lambda_exponent"
        case implicitUserWeight = "implicit_user_weight", implicitUserLambda = "implicit_user_lambda"
        case implicitWeight = "implicit_weight", implicitLambda = "implicit_lambda", cgSteps = "cg_steps", initScale = "init_scale"
        case ranking, ranker, learningRate = "learning_rate", learningRateDecay = "learning_rate_decay"
        case sgdLambda = "sgd_lambda", sgdBiasLambda = "sgd_bias_lambda", threads, seed
        case implicitALS = "implicit_als", sideInfo = "side_info"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func v<T: Decodable>(_ k: CodingKeys, _ d: T) throws -> T { try c.decodeIfPresent(T.self, forKey: k) ?? d }
        let d = TrainingConfig()
        algorithm = try v(.algorithm, d.algorithm); factors = try v(.factors, d.factors)
        iterations = try v(.iterations, d.iterations); lambda = try v(.lambda, d.lambda)
        biasLambda = try v(.biasLambda, d.biasLambda); weightedLambda = try v(.weightedLambda, d.weightedLambda)
        lambdaExponent = try v(.lambdaExponent, d.lambdaExponent)
        biasLambdaExponent = try v(.biasLambdaExponent, d.biasLambdaExponent)
        implicitWeight = try v(.implicitWeight, d.implicitWeight); implicitLambda = try v(.implicitLambda, d.implicitLambda)
        implicitUserWeight = try v(.implicitUserWeight, d.implicitUserWeight)
        implicitUserLambda = try v(.implicitUserLambda, d.implicitUserLambda)
        cgSteps = try v(.cgSteps, d.cgSteps); initScale = try v(.initScale, d.initScale); ranking = try v(.ranking, d.ranking)
        ranker = try v(.ranker, d.ranker)
        learningRate = try v(.learningRate, d.learningRate); learningRateDecay = try v(.learningRateDecay, d.learningRateDecay)
        sgdLambda = try v(.sgdLambda, d.sgdLambda); sgdBiasLambda = try v(.sgdBiasLambda, d.sgdBiasLambda)
        threads = try v(.threads, d.threads); seed = try v(.seed, d.seed)
        implicitALS = try v(.implicitALS, d.implicitALS); sideInfo = try v(.sideInfo, d.sideInfo)
    }
}

/// How `topN` scores candidates; `predict` never uses this.
///
/// score(u, i) = p_u · (q_i + implicitWeight · y_i) + itemBiasWeight · b_i
/// where y_i are the implicit item factors (absent: 0). Rating-accurate
/// models put obscure items with few high ratings on top; the implicit term
/// ("would u rate i at all") and a shrunk item bias fix that.
public struct RankingConfig: Codable, Sendable, Equatable {
    /// Weight of the implicit ("would rate") term.
    public var implicitWeight: Float = 30
    /// Weight of the item bias (1 = as in `predict`).
    public var itemBiasWeight: Float = 0.5
    /// With a ranker: weight ω of the rating model's score beside the ranker's x_u·z_i
    /// (0: the ranker alone; scores then cost one k-vector per item instead of two).
    public var ratingWeight: Float = 0.05

    public init(implicitWeight: Float = 30, itemBiasWeight: Float = 0.5, ratingWeight: Float = 0.05) {
        self.implicitWeight = implicitWeight; self.itemBiasWeight = itemBiasWeight; self.ratingWeight = ratingWeight
    }

    func validate() throws {
        guard implicitWeight.isFinite else { throw MFCoreError.invalidConfig(field: "ranking.implicit_weight", reason: "must be finite") }
        guard itemBiasWeight.isFinite else { throw MFCoreError.invalidConfig(field: "ranking.item_bias_weight", reason: "must be finite") }
        guard ratingWeight.isFinite else { throw MFCoreError.invalidConfig(field: "ranking.rating_weight", reason: "must be finite") }
    }

    enum CodingKeys: String, CodingKey {
        case implicitWeight = "implicit_weight", itemBiasWeight = "item_bias_weight", ratingWeight = "rating_weight"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = RankingConfig()
        implicitWeight = try c.decodeIfPresent(Float.self, forKey: .implicitWeight) ?? d.implicitWeight
        itemBiasWeight = try c.decodeIfPresent(Float.self, forKey: .itemBiasWeight) ?? d.itemBiasWeight
        ratingWeight = try c.decodeIfPresent(Float.self, forKey: .ratingWeight) ?? d.ratingWeight
    }
}
