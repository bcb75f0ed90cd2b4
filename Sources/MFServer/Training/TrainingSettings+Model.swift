import MFCore
import MFProtocol

extension TrainingSettings {
    /// λ a model kind starts with: MFCore's explicit default, or implicit ALS's (not count-scaled).
    static func defaultLambda(_ kind: ModelKind) -> Double {
        decimal(kind == .implicit ? ImplicitFeedback().lambda : TrainingConfig().lambda)
    }

    /// A Float default as the Double its decimal spelling means (0.05, not 0.05000000074505806).
    static func decimal(_ f: Float) -> Double { Double("\(f)") ?? Double(f) }

    /// The MFCore training configuration retrains use: `searchStart` with the searched
    /// λ, α and ranking weight, where a search chose them for this configuration and they are not pinned.
    var training: TrainingConfig {
        var t = searchStart
        guard let s = searchedForThis else { return t }
        if !pinned.contains("lambda") && model != .implicit { t.lambda = Float(s.lambda) }
        if !pinned.contains("ranking_weight") { t.ranking.ratingWeight = Float(s.rankingWeight) }
        if !pinned.contains("alpha"), let a = s.alpha {
            if model == .implicit { t.implicitALS.alpha = Float(a) } else { t.ranker.alpha = Float(a) }
        }
        return t
    }

    /// What `outcome` (a search started from `searchStart`) chose, for this configuration.
    func searched(by outcome: SearchOutcome, ratings: Int, reason: String) -> SearchedValues {
        let c = outcome.config
        return SearchedValues(lambda: Self.decimal(c.lambda), rankingWeight: Self.decimal(c.ranking.ratingWeight),
                       alpha: Self.decimal(model == .implicit ? c.implicitALS.alpha : c.ranker.alpha), model: model, factors: factors, startLambda: lambda, ratings: ratings, reason: reason)
    }

    /// `ModelSearch`'s names of a configuration key where they differ from it.
    static let searchParameters: [String: [String]] = [
        "ranking_weight": ["ranking.rating_weight"], "alpha": ["ranker.alpha", "implicit_als.alpha"],
    ]

    /// `pinned` in `ModelSearch`'s key names.
    var searchPins: Set<String> { Set(pinned.flatMap { Self.searchParameters[$0] ?? [$0] }) }

    /// A `ModelSearch` parameter by its configuration key (`SearchTrialInfo.parameter`).
    static func settingKey(_ parameter: String) -> String {
        searchParameters.first { $0.value.contains(parameter) }?.key ?? parameter
    }

    /// The searched values when they apply to this configuration, else nil (a search is due).
    var searchedForThis: SearchedValues? {
        guard let s = searched, s.model == model, s.factors == factors, s.startLambda == lambda else { return nil }
        return s
    }

    /// The configuration as set, where a search starts:
    /// - `explicit`: biased ALS with the product defaults;
    /// - `implicit`: implicit-feedback ALS, confidence 1 + α·value, `lambda` as its λ;
    /// - `collective`: explicit ALS jointly with the user/item attribute blocks (weights w_U, w_I).
    var searchStart: TrainingConfig {
        var t = TrainingConfig()
        t.ranking.ratingWeight = Float(rankingWeight)
        t.factors = factors
        t.iterations = iterations
        t.seed = UInt64(seed)
        t.threads = threads
        switch model {
        case .explicit:
            t.lambda = Float(lambda)
            t.ranker.alpha = Float(alpha)
        case .implicit:
            t.algorithm = .implicit
            t.implicitALS.alpha = Float(alpha)
            t.implicitALS.lambda = Float(lambda)
        case .collective:
            t.lambda = Float(lambda)
            t.ranker.alpha = Float(alpha)
            t.sideInfo.userWeight = Float(userAttrWeight)
            t.sideInfo.itemWeight = Float(itemAttrWeight)
        }
        return t
    }
}

extension ModelKind {
    /// The `algorithm` recorded with a model trained as this kind.
    var algorithm: String {
        switch self {
        case .explicit: "als"
        case .implicit: "implicit-als"
        case .collective: "collective-als"
        }
    }

    /// What a trained model is, read from the model itself (so a restart serves it as trained).
    init(_ model: MFModel) {
        self = model.solver.implicitALS != nil ? .implicit : model.sideInfo != nil ? .collective : .explicit
    }
}
