/// The values mfd's hyperparameter search chose on a data set's own ratings
/// (part of `TrainingSettings`); retrains reuse them until the next search.
public struct SearchedValues: Codable, Sendable, Equatable {
    /// The chosen λ, and the ω of `recommend`'s ranking score (rating model's weight beside the ranker).
    public var lambda: Double
    public var rankingWeight: Double
    /// The chosen α of the implicit ALS that ranks (the implicit model's, or the ranker's); nil in
    /// values stored before α was searched.
    public var alpha: Double?
    /// The configuration they were searched for: model kind, factors and the λ the path started from.
    public var model: ModelKind
    public var factors: Int
    public var startLambda: Double
    /// Ratings when the search ran, and why it ran.
    public var ratings: Int
    public var reason: String

    public init(lambda: Double, rankingWeight: Double, alpha: Double? = nil, model: ModelKind, factors: Int, startLambda: Double,
                ratings: Int, reason: String) {
        self.lambda = lambda; self.rankingWeight = rankingWeight; self.alpha = alpha; self.model = model; self.factors = factors
        self.startLambda = startLambda; self.ratings = ratings; self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case lambda, alpha, model, factors, ratings, reason
        case rankingWeight = "ranking_weight"
        case startLambda = "start_lambda"
    }
}

/// One setting a search scored on the training's holdout: the wire form of MFCore's `SearchTrial`
/// (MFProtocol does not depend on MFCore; `parameter` uses the configuration's key names).
public struct SearchTrialInfo: Codable, Sendable, Equatable {
    /// "lambda", "alpha" or "ranking_weight".
    public var parameter: String
    public var value: Double
    public var holdoutRMSE: Double?
    public var holdoutNDCG: Double?
    public var sweeps: Int
    public var seconds: Double

    public init(parameter: String, value: Double, holdoutRMSE: Double?, holdoutNDCG: Double?, sweeps: Int, seconds: Double) {
        self.parameter = parameter; self.value = value; self.holdoutRMSE = holdoutRMSE; self.holdoutNDCG = holdoutNDCG
        self.sweeps = sweeps; self.seconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case parameter, value, sweeps, seconds
        case holdoutRMSE = "holdout_rmse"
        case holdoutNDCG = "holdout_ndcg"
    }
}

/// The search a training ran (in `TrainingMetrics`): why, what it tried, and what it cost.
public struct SearchInfo: Codable, Sendable, Equatable {
    public var reason: String
    public var chosen: SearchedValues
    public var trials: [SearchTrialInfo]
    /// Seconds the search added to the training.
    public var seconds: Double
    /// Users it searched on, when it ran on a sample of them.
    public var sampledUsers: Int?

    public init(reason: String, chosen: SearchedValues, trials: [SearchTrialInfo], seconds: Double, sampledUsers: Int?) {
        self.reason = reason; self.chosen = chosen; self.trials = trials; self.seconds = seconds; self.sampledUsers = sampledUsers
    }

    enum CodingKeys: String, CodingKey {
        case reason, chosen, trials, seconds
        case sampledUsers = "sampled_users"
    }
}
