import MFCore
import MFProtocol

extension TrainingSettings {
    /// Product defaults: MFCore's training defaults, retrain automatically.
    static var defaults: TrainingSettings {
        let t = TrainingConfig()
        return TrainingSettings(model: .explicit, factors: t.factors, lambda: decimal(t.lambda), iterations: t.iterations,
                            alpha: decimal(ImplicitFeedback().alpha), seed: Int64(t.seed), threads: t.threads, userAttrWeight: 1, itemAttrWeight: 1,
                            retrain: .auto, retrainAfterChanges: 10_000, retrainAfterMinutes: 60)
    }

    /// Applies the fields a `set_config` names, then checks the result.
    func applying(_ s: SetConfigRequest) throws -> TrainingSettings {
        var c = self
        if let v = s.model {
            // A new model kind without a λ takes that kind's default λ (implicit ALS's λ is on another scale).
            if v != model && s.lambda == nil { c.lambda = Self.defaultLambda(v) }
            c.model = v
        }
        if let v = s.factors { c.factors = v }
        if let v = s.pinned { c.pinned = Array(Set(v)).sorted() }
        // Setting a value the search chooses pins it: the search never overrides a user's choice.
        if let v = s.lambda { c.lambda = v; c.pin("lambda") }
        if let v = s.rankingWeight { c.rankingWeight = v; c.pin("ranking_weight") }
        if let v = s.search { c.search = v }
        if let v = s.iterations { c.iterations = v }
        if let v = s.alpha { c.alpha = v; c.pin("alpha") }
        if let v = s.seed { c.seed = v }
        if let v = s.threads { c.threads = v }
        if let v = s.userAttrWeight { c.userAttrWeight = v }
        if let v = s.itemAttrWeight { c.itemAttrWeight = v }
        if let v = s.retrain { c.retrain = v }
        if let v = s.retrainAfterChanges { c.retrainAfterChanges = v }
        if let v = s.retrainAfterMinutes { c.retrainAfterMinutes = v }
        if let v = s.holdoutFraction { c.holdoutFraction = v }
        if let v = s.warmIterations { c.warmIterations = v }
        try c.validate()
        return c
    }

    mutating func pin(_ key: String) { if !pinned.contains(key) { pinned = (pinned + [key]).sorted() } }

    func validate() throws {
        for key in pinned where !Self.searchableKeys.contains(key) {
            throw WireError(.invalidValue, "`pinned` may name \(Self.searchableKeys.joined(separator: ", ")), got \"\(key)\"", field: "pinned")
        }
        guard rankingWeight >= 0, rankingWeight.isFinite else {
            throw WireError(.invalidValue, "`ranking_weight` must be finite and ≥ 0", field: "ranking_weight")
        }
        guard (1...1024).contains(factors) else { throw WireError(.invalidValue, "`factors` must be in 1...1024", field: "factors") }
        guard lambda >= 0, lambda.isFinite else { throw WireError(.invalidValue, "`lambda` must be finite and ≥ 0", field: "lambda") }
        guard (1...1000).contains(iterations) else { throw WireError(.invalidValue, "`iterations` must be in 1...1000", field: "iterations") }
        guard alpha >= 0, alpha.isFinite else { throw WireError(.invalidValue, "`alpha` must be finite and ≥ 0", field: "alpha") }
        if model == .implicit, lambda <= 0 {
            throw WireError(.invalidValue, "`lambda` must be > 0 for the implicit model", field: "lambda")
        }
        for (f, w) in [("user_attr_weight", userAttrWeight), ("item_attr_weight", itemAttrWeight)] where !(w >= 0 && w.isFinite) {
            throw WireError(.invalidValue, "`\(f)` must be finite and ≥ 0", field: f)
        }
        guard seed >= 0 else { throw WireError(.invalidValue, "`seed` must be ≥ 0", field: "seed") }
        guard (0...256).contains(threads) else { throw WireError(.invalidValue, "`threads` must be in 0...256 (0 = all cores)", field: "threads") }
        guard retrainAfterChanges >= 0 else { throw WireError(.invalidValue, "`retrain_after_changes` must be ≥ 0", field: "retrain_after_changes") }
        guard (0...0.5).contains(holdoutFraction) else {
            throw WireError(.invalidValue, "`holdout_fraction` must be in 0...0.5", field: "holdout_fraction")
        }
        guard (0...1000).contains(warmIterations) else {
            throw WireError(.invalidValue, "`warm_iterations` must be in 0...1000 (0 = always cold)", field: "warm_iterations")
        }
        guard retrainAfterMinutes >= 0, retrainAfterMinutes.isFinite else {
            throw WireError(.invalidValue, "`retrain_after_minutes` must be finite and ≥ 0", field: "retrain_after_minutes")
        }
    }
}
