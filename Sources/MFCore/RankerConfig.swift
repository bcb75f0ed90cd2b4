/// Settings of the ranker: an implicit-feedback ALS model (Hu, Koren, Volinsky
/// 2008) that rating models (ALS, SGD, collective) train beside themselves for
/// `topN` alone. `predict` never uses it.
///
/// A rating model fits the values of ratings; what a user will choose next is
/// better told by *which* items users liked. On the shared ml-latest-small
/// fit/val splits the rating model's own ranking score reached val NDCG@10
/// 0.137, an implicit ALS ranker 0.150 (docs/core.md, "Ranking").
///
/// An interaction is a rating at or above `threshold`; without one, the
/// smallest rating value above the training mean ("liked": 4 on MovieLens'
/// half-star scale with mean 3.5, 4 on a 1–5 integer scale).
public struct RankerConfig: Codable, Sendable, Equatable {
    /// Train a ranker beside the rating model (ignored by `implicit` models, which rank by themselves).
    public var enabled: Bool = true
    /// Confidence slope α: c = 1 + α on liked items.
    public var alpha: Float = 1
    /// L2 penalty on the ranker's factors (not count-scaled).
    public var lambda: Float = 0.05
    /// ALS sweeps of the ranker; nil = as many as the rating model's.
    public var iterations: Int? = nil
    /// Ratings at or above it count as liked; nil = the smallest rating value above the mean.
    public var threshold: Float? = nil

    public init() {}

    func validate() throws {
        func bad(_ f: String, _ r: String) -> MFCoreError { .invalidConfig(field: "ranker." + f, reason: r) }
        guard alpha.isFinite && alpha >= 0 else { throw bad("alpha", "must be a finite number >= 0") }
        guard lambda.isFinite && lambda > 0 else { throw bad("lambda", "must be a finite number > 0") }
        if let n = iterations, n < 1 || n > 10_000 { throw bad("iterations", "must be in 1...10000") }
        if let t = threshold, !t.isFinite { throw bad("threshold", "must be finite") }
    }

    /// The interaction rule for ratings `values` with mean `mean`: `threshold`,
    /// else the smallest value above the mean, else (all values equal) every rating.
    public func feedback(values: UnsafeBufferPointer<Float>, mean: Float) -> ImplicitFeedback {
        var t = threshold ?? .infinity
        if threshold == nil {
            for v in values where v > mean && v < t { t = v }
            if !t.isFinite { t = values.min() ?? mean }
        }
        // Strength 1 per liked rating, as `implicit` is run on star ratings.
        return ImplicitFeedback(alpha: alpha, lambda: lambda, threshold: t, binary: true)
    }

    enum CodingKeys: String, CodingKey { case enabled, alpha, lambda, iterations, threshold }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = RankerConfig()
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
        alpha = try c.decodeIfPresent(Float.self, forKey: .alpha) ?? d.alpha
        lambda = try c.decodeIfPresent(Float.self, forKey: .lambda) ?? d.lambda
        iterations = try c.decodeIfPresent(Int.self, forKey: .iterations)
        threshold = try c.decodeIfPresent(Float.self, forKey: .threshold)
    }
}
