#if canImport(Glibc)
import Glibc
#endif

/// A user's row of the model: factors p_u (length k), bias b_u and implicit
/// user factors x_u (empty when the model has none; ranking and `predict` ignore them).
public struct UserVector: Sendable, Equatable {
    public var factors: [Float]
    public var bias: Float
    public var implicitFactors: [Float]
    public init(factors: [Float], bias: Float, implicitFactors: [Float] = []) {
        self.factors = factors; self.bias = bias; self.implicitFactors = implicitFactors
    }
}

/// An item's row of the model: factors q_i, bias b_i, implicit factors y_i
/// (empty when the model has none) and popularity (used for unknown users).
public struct ItemVector: Sendable, Equatable {
    public var factors: [Float]
    public var bias: Float
    public var implicitFactors: [Float]
    public var popularity: Float
    public init(factors: [Float], bias: Float, implicitFactors: [Float] = [], popularity: Float = 0) {
        self.factors = factors; self.bias = bias; self.implicitFactors = implicitFactors; self.popularity = popularity
    }
}

/// The regularization a row solve uses; kept with the model so fold-in
/// solves exactly the system training solved.
public struct SolverParams: Sendable, Equatable {
    public var lambda: Float
    public var biasLambda: Float
    public var weightedLambda: Bool
    /// Weight of the implicit (rated / not rated) term in user solves; 0 = none.
    public var implicitWeight: Float
    /// Penalty on implicit item factors (item fold-in of y_i).
    public var implicitLambda: Float
    /// Weighted λ scales penalties by n^lambdaExponent for a row with n ratings.
    public var lambdaExponent: Float
    /// The same for the bias penalty (0 = a constant bias penalty).
    public var biasLambdaExponent: Float
    /// Weight of the item-side implicit term (which users rated the item) in item solves; 0 = none.
    public var implicitUserWeight: Float
    /// Penalty on implicit user factors (user fold-in of x_u).
    public var implicitUserLambda: Float
    /// Implicit-feedback ALS model (its own λ, α and value rule); nil = explicit.
    public var implicitALS: ImplicitFeedback? = nil

    public init(lambda: Float, biasLambda: Float, weightedLambda: Bool, implicitWeight: Float, implicitLambda: Float = 1,
                lambdaExponent: Float = 1, biasLambdaExponent: Float = 1,
                implicitUserWeight: Float = 0, implicitUserLambda: Float = 1) {
        self.lambda = lambda; self.biasLambda = biasLambda
        self.weightedLambda = weightedLambda; self.implicitWeight = implicitWeight; self.implicitLambda = implicitLambda
        self.lambdaExponent = lambdaExponent; self.biasLambdaExponent = biasLambdaExponent
        self.implicitUserWeight = implicitUserWeight; self.implicitUserLambda = implicitUserLambda
    }

    /// The solve parameters of a training config.
    public init(_ c: TrainingConfig) {
        self.init(lambda: c.lambda, biasLambda: c.biasLambda, weightedLambda: c.weightedLambda,
                  implicitWeight: c.implicitWeight, implicitLambda: c.implicitLambda,
                  lambdaExponent: c.lambdaExponent, biasLambdaExponent: c.biasLambdaExponent,
                  implicitUserWeight: c.implicitUserWeight, implicitUserLambda: c.implicitUserLambda)
    }

    /// (factor λ, bias λ) for a row with `n` ratings.
    @inline(__always) func penalties(count n: Int) -> (Float, Float) {
        guard weightedLambda else { return (lambda, biasLambda) }
        let m = Float(max(n, 1))
        @inline(__always) func scale(_ e: Float) -> Float { e == 1 ? m : e == 0 ? 1 : powf(m, e) }
        return (lambda * scale(lambdaExponent), biasLambda * scale(biasLambdaExponent))
    }
}

/// A trained biased matrix-factorization model:
/// r̂(u,i) = μ + b_u + b_i + p_u·q_i, clipped to [minRating, maxRating].
///
/// Factors are flat row-major: row `u` is `userFactors[u*k ..< (u+1)*k]`.
/// `implicitItemFactors` (y_i) is either empty or `itemCount*k` long.
public struct MFModel: Sendable {
    /// Latent dimension k.
    public let factors: Int
    public internal(set) var globalMean: Float
    public internal(set) var minRating: Float
    public internal(set) var maxRating: Float
    public internal(set) var userBias: [Float]
    public internal(set) var userFactors: [Float]
    public internal(set) var itemBias: [Float]
    public internal(set) var itemFactors: [Float]
    public internal(set) var implicitItemFactors: [Float]
    /// Implicit user factors x_u of the item-side implicit term: empty or `userCount*k`.
    public internal(set) var implicitUserFactors: [Float]
    /// Ratings ≥ the global mean per item: the unknown-user ranking.
    public internal(set) var itemPopularity: [Float]
    public internal(set) var solver: SolverParams
    public internal(set) var ranking: RankingConfig
    /// Derived: the ranking vectors r_i = q_i + γ·y_i rotated by `rankingRotation`,
    /// h_i = R·r_i (R orthogonal, so p·r = (R·p)·h), stored as Float16 in blocks of 8
    /// *slots*, in two regions: the first stage's e_0 dimensions of every block, then the
    /// other k − e_0 of every block. `topN` reads the first stage of nearly every block it
    /// scores (one contiguous run for consecutive blocks) and the rest of few (one run per
    /// block). Component c of slot s, in region [lo, hi), is at
    ///   8·(capacity·lo + (s/8)·(hi − lo) + (c − lo)) + s%8   (`rankingIndex`),
    /// so one SIMD8 FMA scores 8 items. Padding lanes are 0. R orders dimensions by
    /// item and user energy, so `topN` can bound a block after its first dimensions
    /// (docs in MFModel+RankingScan.swift). Float16 (≈3 significant digits):
    /// 10k items × k=64 then fit in L2; ranking, not rating accuracy, depends on it.
    var rankingBlocks: [Float16]
    /// Derived: blocks `rankingBlocks` has room for (≥ the block count; grows by 1/4).
    var rankingCapacity: Int
    /// Derived: the orthogonal R, fitted when the layout is rebuilt and kept by
    /// `setItem`/`appendItem` (exactness never depends on how well it fits).
    var rankingRotation: RankingRotation
    /// Derived: where `topN` stops to bound the rest, ascending, last = k.
    var rankingStageEnds: [Int]
    /// Derived per slot and stage boundary j < stages−1: ‖h_i[c ≥ stageEnds[j]]‖,
    /// stored `[block][j][lane]` (0 for padding).
    var rankingTailNorms: [Float]
    /// Derived: β·b_i per slot in the same 8-lane blocks; padding lanes −∞.
    var rankingBias: [Float]
    /// Derived: slot → item index. Slots are ordered by a score bound
    /// (β·b_i + ‖r_i‖·mean‖p_u‖, descending), so `topN` meets likely winners
    /// first and can skip whole blocks whose bound is below the heap's threshold.
    /// Items added later take the next free slot.
    var rankingItemOfSlot: [Int32]
    /// Derived: item index → slot (inverse of `rankingItemOfSlot`).
    var rankingSlotOfItem: [Int32]
    /// Derived per slot: ‖h_i‖ of the Float16-rounded vector (0 for padding), for the block maxima.
    var rankingNorms: [Float]
    /// Derived per block of 8 slots: the whole-block bound's maxima and their suffix maxima.
    var rankingBounds: RankingBlockBounds
    /// Derived: ‖q_i‖ for cosine similarity.
    public internal(set) var itemNorms: [Float]
    /// Collective MF: attribute encoders and factors for cold start; nil without side information.
    public internal(set) var sideInfo: SideInfoModel? = nil

    public var userCount: Int { userBias.count }
    public var itemCount: Int { itemBias.count }
    public var hasImplicitFactors: Bool { !implicitItemFactors.isEmpty }
    public var hasImplicitUserFactors: Bool { !implicitUserFactors.isEmpty }

    /// Assembles a model and derives the ranking vectors and norms; sizes are checked.
    public init(factors k: Int, globalMean: Float, minRating: Float, maxRating: Float,
                userBias: [Float], userFactors: [Float], itemBias: [Float], itemFactors: [Float],
                implicitItemFactors: [Float] = [], implicitUserFactors: [Float] = [], itemPopularity: [Float]? = nil,
                solver: SolverParams, ranking: RankingConfig = RankingConfig()) throws {
        func check(_ name: String, _ a: [Float], _ n: Int) throws {
            guard a.count == n else { throw MFCoreError.invalidModelParts(field: name, reason: "has \(a.count) values, expected \(n)") }
            guard a.allSatisfy(\.isFinite) else { throw MFCoreError.invalidModelParts(field: name, reason: "contains NaN or infinity") }
        }
        guard k >= 1 else { throw MFCoreError.invalidModelParts(field: "factors", reason: "must be >= 1") }
        guard globalMean.isFinite, minRating.isFinite, maxRating.isFinite, minRating <= maxRating else {
            throw MFCoreError.invalidModelParts(field: "min_rating", reason: "global mean / rating range must be finite with min <= max")
        }
        try check("user_factors", userFactors, userBias.count * k)
        try check("user_bias", userBias, userBias.count)
        try check("item_factors", itemFactors, itemBias.count * k)
        try check("item_bias", itemBias, itemBias.count)
        if !implicitItemFactors.isEmpty { try check("implicit_item_factors", implicitItemFactors, itemBias.count * k) }
        if !implicitUserFactors.isEmpty { try check("implicit_user_factors", implicitUserFactors, userBias.count * k) }
        let pop = itemPopularity ?? [Float](repeating: 0, count: itemBias.count)
        try check("item_popularity", pop, itemBias.count)
        self.factors = k; self.globalMean = globalMean; self.minRating = minRating; self.maxRating = maxRating
        self.userBias = userBias; self.userFactors = userFactors; self.itemBias = itemBias
        self.itemFactors = itemFactors; self.implicitItemFactors = implicitItemFactors
        self.implicitUserFactors = implicitUserFactors
        self.itemPopularity = pop; self.solver = solver; self.ranking = ranking
        rankingBlocks = []; rankingBias = []; itemNorms = []
        rankingRotation = .identity(k); rankingStageEnds = [k]; rankingTailNorms = []; rankingCapacity = 0
        rankingItemOfSlot = []; rankingSlotOfItem = []; rankingNorms = []; rankingBounds = RankingBlockBounds()
        rebuildDerived()
    }

    /// Changes the ranking weights (e.g. after tuning) and re-derives vectors.
    public mutating func setRanking(_ r: RankingConfig) throws {
        try r.validate()
        ranking = r
        rebuildDerived()
    }
}
