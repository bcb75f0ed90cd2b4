/// A persistence-neutral form of a model: named Float32 arrays and scalars.
/// The store saves each array as a little-endian Float32 BLOB.
public struct ModelParts: Sendable, Equatable {
    public var arrays: [String: [Float]]
    public var scalars: [String: Double]
    public init(arrays: [String: [Float]] = [:], scalars: [String: Double] = [:]) {
        self.arrays = arrays; self.scalars = scalars
    }
}

extension MFModel {
    /// Version of the parts layout written by `parts()`.
    public static let partsFormatVersion = 1

    /// Every array and scalar needed to rebuild this model with `init(parts:)`.
    /// Arrays: user_factors, user_bias, item_factors, item_bias, item_popularity,
    /// and implicit_item_factors / implicit_user_factors / ranker_user_factors /
    /// ranker_item_factors when the model has them.
    /// Scalars added later (implicit_user_weight, implicit_user_lambda) are
    /// optional on load, so models stored before them still load.
    public func parts() -> ModelParts {
        var a: [String: [Float]] = [
            "user_factors": userFactors, "user_bias": userBias,
            "item_factors": itemFactors, "item_bias": itemBias, "item_popularity": itemPopularity,
        ]
        if hasImplicitFactors { a["implicit_item_factors"] = implicitItemFactors }
        if hasImplicitUserFactors { a["implicit_user_factors"] = implicitUserFactors }
        if let ranker { a["ranker_user_factors"] = ranker.userFactors; a["ranker_item_factors"] = ranker.itemFactors }
        var s: [String: Double] = [
            "format_version": Double(Self.partsFormatVersion), "factors": Double(factors),
            "global_mean": Double(globalMean), "min_rating": Double(minRating), "max_rating": Double(maxRating),
            "lambda": Double(solver.lambda), "bias_lambda": Double(solver.biasLambda),
            "weighted_lambda": solver.weightedLambda ? 1 : 0, "implicit_weight": Double(solver.implicitWeight),
            "implicit_lambda": Double(solver.implicitLambda), "lambda_exponent": Double(solver.lambdaExponent),
            "bias_lambda_exponent": Double(solver.biasLambdaExponent),
            "implicit_user_weight": Double(solver.implicitUserWeight),
            "implicit_user_lambda": Double(solver.implicitUserLambda),
            "ranking_implicit_weight": Double(ranking.implicitWeight),
            "ranking_item_bias_weight": Double(ranking.itemBiasWeight),
            "ranking_rating_weight": Double(ranking.ratingWeight),
        ]
        if let f = ranker?.feedback {
            s["ranker_alpha"] = Double(f.alpha); s["ranker_lambda"] = Double(f.lambda); s["ranker_threshold"] = Double(f.threshold)
        }
        addExtensionParts(arrays: &a, scalars: &s)
        return ModelParts(arrays: a, scalars: s)
    }

    /// Rebuilds a model from `parts()` output.
    /// - Throws: `invalid_model_parts` naming the missing or malformed part.
    public init(parts p: ModelParts) throws {
        func s(_ n: String) throws -> Double {
            guard let v = p.scalars[n] else { throw MFCoreError.invalidModelParts(field: n, reason: "missing scalar") }
            guard v.isFinite else { throw MFCoreError.invalidModelParts(field: n, reason: "not finite") }
            return v
        }
        /// Scalars added after format 1 first shipped: absent means the old behaviour.
        func optional(_ n: String, _ d: Double) throws -> Double { p.scalars[n] == nil ? d : try s(n) }
        func a(_ n: String) throws -> [Float] {
            guard let v = p.arrays[n] else { throw MFCoreError.invalidModelParts(field: n, reason: "missing array") }
            return v
        }
        let version = try s("format_version")
        guard version == Double(Self.partsFormatVersion) else {
            throw MFCoreError.invalidModelParts(field: "format_version", reason: "unsupported version \(version)")
        }
        let k = try s("factors")
        guard k >= 1, k <= 1024, k == k.rounded() else { throw MFCoreError.invalidModelParts(field: "factors", reason: "must be an integer in 1...1024") }
        var solver = SolverParams(lambda: Float(try s("lambda")), biasLambda: Float(try s("bias_lambda")),
                                  weightedLambda: try s("weighted_lambda") != 0,
                                  implicitWeight: Float(try s("implicit_weight")),
                                  implicitLambda: Float(try s("implicit_lambda")),
                                  lambdaExponent: Float(try s("lambda_exponent")),
                                  biasLambdaExponent: Float(try s("bias_lambda_exponent")),
                                  implicitUserWeight: Float(try optional("implicit_user_weight", 0)),
                                  implicitUserLambda: Float(try optional("implicit_user_lambda", 1)))
        solver.implicitALS = try Self.implicitALS(from: p)
        let ranking = RankingConfig(implicitWeight: Float(try s("ranking_implicit_weight")),
                                    itemBiasWeight: Float(try s("ranking_item_bias_weight")),
                                    ratingWeight: Float(try optional("ranking_rating_weight", 0)))
        var ranker: Ranker?
        if let x = p.arrays["ranker_user_factors"], let z = p.arrays["ranker_item_factors"] {
            let f = ImplicitFeedback(alpha: Float(try s("ranker_alpha")), lambda: Float(try s("ranker_lambda")),
                                     threshold: Float(try s("ranker_threshold")), binary: true)
            ranker = Ranker(feedback: f, userFactors: x, itemFactors: z)
        }
        try self.init(factors: Int(k), globalMean: Float(try s("global_mean")),
                      minRating: Float(try s("min_rating")), maxRating: Float(try s("max_rating")),
                      userBias: try a("user_bias"), userFactors: try a("user_factors"),
                      itemBias: try a("item_bias"), itemFactors: try a("item_factors"),
                      implicitItemFactors: p.arrays["implicit_item_factors"] ?? [],
                      implicitUserFactors: p.arrays["implicit_user_factors"] ?? [],
                      itemPopularity: try a("item_popularity"), solver: solver, ranking: ranking, ranker: ranker)
        sideInfo = try SideInfoModel(parts: p, factors: Int(k))
    }
}
