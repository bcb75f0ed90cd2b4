#if canImport(Glibc)
import Glibc
#endif

/// A user's row of the model: factors p_u (length k), bias b_u and implicit
/// user factors x_u (empty when the model has none; ranking and `predict` ignore them).
public struct UserVector: Sendable, Equatable {
    public var factors: [Float]
    public var bias: Float
    public var implicitFactors: [Float]
    /// The ranker's x_u (empty when the model has no ranker); only ranking reads it.
    public var rankerFactors: [Float]
    public init(factors: [Float], bias: Float, implicitFactors: [Float] = [], rankerFactors: [Float] = []) {
        self.factors = factors; self.bias = bias; self.implicitFactors = implicitFactors; self.rankerFactors = rankerFactors
    }
}

/// An item's row of the model: factors q_i, bias b_i, implicit factors y_i
/// (empty when the model has none) and popularity (used for unknown users).
public struct ItemVector: Sendable, Equatable {
    public var factors: [Float]
    public var bias: Float
    public var implicitFactors: [Float]
    public var popularity: Float
    /// The ranker's z_i (empty when the model has no ranker).
    public var rankerFactors: [Float]
    public init(factors: [Float], bias: Float, implicitFactors: [Float] = [], popularity: Float = 0, rankerFactors: [Float] = []) {
        self.factors = factors; self.bias = bias; self.implicitFactors = implicitFactors; self.popularity = popularity
        self.rankerFactors = rankerFactors
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
    /// The implicit-feedback model `topN` ranks with, or nil (see `RankerConfig`).
    public internal(set) var ranker: Ranker?
    /// Derived: r_i = q_i + γ·y_i (with a ranker: z_i, then ω·(q_i + γ·y_i) when ω ≠ 0), the vectors `topN` scores with, stored in
    /// blocks of 8 *slots*: component c of the item in slot s is at
    /// `((s/8)*k + c)*8 + s%8`, so one SIMD8 FMA scores 8 items. Padding lanes
    /// are 0. Stored as Float16 (≈3 significant digits): 10k items × k=64 then
    /// fit in L2, which halves top-N latency; ranking, not rating accuracy,
    /// depends on it.
    var rankingBlocks: [Float16]
    /// Derived: β·b_i per slot in the same 8-lane blocks; padding lanes −∞.
    var rankingBias: [Float]
    /// Derived: slot → item index. Slots are ordered by a score bound
    /// (β·b_i + ‖r_i‖·mean‖p_u‖, descending), so `topN` meets likely winners
    /// first and can skip whole blocks whose bound is below the heap's threshold.
    /// Items added later take the next free slot.
    var rankingItemOfSlot: [Int32]
    /// Derived: item index → slot (inverse of `rankingItemOfSlot`).
    var rankingSlotOfItem: [Int32]
    /// Derived per slot: ‖r_i‖ of the Float16-rounded vector (0 for padding).
    var rankingNorms: [Float]
    /// Derived per block of 8 slots: max ‖r_i‖ and max β·b_i, the block's
    /// Cauchy–Schwarz bound: s(u,i) ≤ μ + b_u + maxBias + ‖p_u‖·maxNorm.
    var blockMaxNorm: [Float]
    var blockMaxBias: [Float]
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
                solver: SolverParams, ranking: RankingConfig = RankingConfig(), ranker: Ranker? = nil) throws {
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
        if let ranker {
            try check("ranker_user_factors", ranker.userFactors, userBias.count * k)
            try check("ranker_item_factors", ranker.itemFactors, itemBias.count * k)
        }
        self.factors = k; self.globalMean = globalMean; self.minRating = minRating; self.maxRating = maxRating
        self.userBias = userBias; self.userFactors = userFactors; self.itemBias = itemBias
        self.itemFactors = itemFactors; self.implicitItemFactors = implicitItemFactors
        self.implicitUserFactors = implicitUserFactors
        self.itemPopularity = pop; self.solver = solver; self.ranking = ranking; self.ranker = ranker
        rankingBlocks = []; rankingBias = []; itemNorms = []
        rankingItemOfSlot = []; rankingSlotOfItem = []; rankingNorms = []; blockMaxNorm = []; blockMaxBias = []
        rebuildDerived()
    }

    /// Recomputes the ranking blocks, the slot order and `itemNorms` for every item.
    mutating func rebuildDerived() {
        let n = itemCount, k = rankingDimension
        // Order slots by each item's bound at the mean user norm; ties by index (deterministic).
        var meanUserNorm: Float = 0
        if userCount > 0 {
            for u in 0..<userCount { meanUserNorm += norm(rankingUser(user(Int32(u)))) }
            meanUserNorm /= Float(userCount)
        }
        let key = (0..<n).map { rankingItemBias($0) + meanUserNorm * norm(rankingRow($0)) }
        let order = (0..<n).sorted { key[$0] > key[$1] || (key[$0] == key[$1] && $0 < $1) }
        rankingItemOfSlot = order.map { Int32($0) }
        rankingSlotOfItem = [Int32](repeating: 0, count: n)
        for (s, i) in order.enumerated() { rankingSlotOfItem[i] = Int32(s) }
        let blocks = (n + 7) / 8
        rankingBlocks = [Float16](repeating: 0, count: blocks * k * 8)
        rankingBias = [Float](repeating: -.infinity, count: blocks * 8)
        rankingNorms = [Float](repeating: 0, count: blocks * 8)
        blockMaxNorm = [Float](repeating: 0, count: blocks)
        blockMaxBias = [Float](repeating: -.infinity, count: blocks)
        itemNorms = [Float](repeating: 0, count: n)
        for i in 0..<n { updateDerived(item: i) }
    }

    /// Recomputes the derived rows of item `i` and its block's bound (O(k)).
    /// An item beyond the slot table (just appended) takes the next slot.
    mutating func updateDerived(item i: Int) {
        let k = rankingDimension
        if i >= rankingSlotOfItem.count {
            let s = rankingItemOfSlot.count
            rankingItemOfSlot.append(Int32(i)); rankingSlotOfItem.append(Int32(s))
            if rankingBias.count < (s / 8 + 1) * 8 {
                rankingBlocks.append(contentsOf: [Float16](repeating: 0, count: k * 8))
                rankingBias.append(contentsOf: [Float](repeating: -.infinity, count: 8))
                rankingNorms.append(contentsOf: [Float](repeating: 0, count: 8))
                blockMaxNorm.append(0); blockMaxBias.append(-.infinity)
            }
        }
        let s = Int(rankingSlotOfItem[i]), b = s / 8, blk = b * k * 8, lane = s % 8
        let r = rankingRow(i)
        var rn2: Float = 0
        for c in 0..<k {
            let h = Float16(r[c])
            rankingBlocks[blk + c * 8 + lane] = h
            rn2 += Float(h) * Float(h)
        }
        rankingBias[s] = rankingItemBias(i)
        rankingNorms[s] = rn2.squareRoot()
        // The bound must cover every lane, so a changed item recomputes its block's maxima.
        blockMaxNorm[b] = rankingNorms[(b * 8)..<(b * 8 + 8)].max()!
        blockMaxBias[b] = rankingBias[(b * 8)..<(b * 8 + 8)].max()!
        let f = factors
        itemNorms[i] = norm(itemFactors[(i * f)..<((i + 1) * f)])
    }

    /// Length of the vectors `topN` scores with: k, or 2k with a ranker and ω ≠ 0.
    var rankingDimension: Int { ranker != nil && ranking.ratingWeight != 0 ? 2 * factors : factors }

    /// The rating model's weight in the ranking score: 1, or ω with a ranker.
    private var ratingScale: Float { ranker == nil ? 1 : ranking.ratingWeight }

    /// Without a ranker r_i = q_i + γ·y_i; with one [z_i, ω·(q_i + γ·y_i)] (the second half only when ω ≠ 0).
    /// Float32, before Float16 rounding.
    private func rankingRow(_ i: Int) -> [Float] {
        let k = factors, g = ranking.implicitWeight, w = ratingScale
        let rating: [Float] = w == 0 ? [] : (0..<k).map { c in
            let q = itemFactors[i * k + c]
            return w * (hasImplicitFactors ? q + g * implicitItemFactors[i * k + c] : q)
        }
        guard let ranker else { return rating }
        return Array(ranker.itemFactors[(i * k)..<((i + 1) * k)]) + rating
    }

    /// The item's constant term of the ranking score: ω·β·b_i (ω = 1 without a ranker).
    private func rankingItemBias(_ i: Int) -> Float { ratingScale * ranking.itemBiasWeight * itemBias[i] }

    /// The user's side of the ranking score: p_u, or [x_u, p_u] (x_u alone when ω = 0).
    /// A user vector without ranker factors ranks with x_u = 0.
    func rankingUser(_ user: UserVector) -> [Float] {
        guard ranker != nil else { return user.factors }
        let x = user.rankerFactors.count == factors ? user.rankerFactors : [Float](repeating: 0, count: factors)
        return ranking.ratingWeight == 0 ? x : x + user.factors
    }

    /// The user's constant term of the ranking score: ω·(μ + b_u).
    func rankingBase(_ user: UserVector) -> Float { ratingScale * (globalMean + user.bias) }

    private func norm<C: Collection>(_ v: C) -> Float where C.Element == Float {
        v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// r_i = q_i + γ·y_i (Float16-rounded), the vector `topN` scores item `i` with.
    public func rankingVector(_ i: Int32) -> [Float] {
        let k = rankingDimension, s = Int(rankingSlotOfItem[Int(i)]), blk = (s / 8) * k * 8, lane = s % 8
        return (0..<k).map { Float(rankingBlocks[blk + $0 * 8 + lane]) }
    }

    /// Changes the ranking weights (e.g. after tuning) and re-derives vectors.
    public mutating func setRanking(_ r: RankingConfig) throws {
        try r.validate()
        ranking = r
        rebuildDerived()
    }
}
