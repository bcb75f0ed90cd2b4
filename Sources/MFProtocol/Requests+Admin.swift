/// `train {wait=false}`: start a background retrain; with `wait` the reply comes when it ends.
public struct TrainRequest: WireOperation {
    public typealias Result = JobInfo
    public static let op = Op.train
    public var wait: Bool
    /// Search λ and the ranking weight again on the current ratings before training.
    public var search: Bool

    public init(wait: Bool = false, search: Bool = false) { self.wait = wait; self.search = search }

    enum CodingKeys: String, CodingKey, CaseIterable { case wait, search }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        wait = try r.optional(.wait, default: false)
        search = try r.optional(.search, default: false)
    }
}

/// `evaluate {test_fraction=0.2, seed=42}`: holdout metrics on the current ratings.
public struct EvaluateRequest: WireOperation {
    public typealias Result = EvaluateResult
    public static let op = Op.evaluate
    public var testFraction: Double
    public var seed: Int64

    public init(testFraction: Double = 0.2, seed: Int64 = 42) { self.testFraction = testFraction; self.seed = seed }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case seed
        case testFraction = "test_fraction"
    }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        testFraction = try Fraction.check(r.optional(.testFraction, default: 0.2), field: "test_fraction")
        seed = try r.optional(.seed, default: 42)
    }
}

/// `tune {factors?, lambda?, iterations?, trials?, seed=42, val_fraction=0.2, apply=false, wait=false}`:
/// a seeded search over the grid; a job of kind `tune`.
public struct TuneRequest: WireOperation {
    public typealias Result = JobInfo
    public static let op = Op.tune
    public var factors: [Int]?
    public var lambda: [Double]?
    public var iterations: [Int]?
    /// Random search: draw this many configurations from the grid; the full grid when absent.
    public var trials: Int?
    public var seed: Int64
    public var valFraction: Double
    public var apply: Bool
    public var wait: Bool

    public init(factors: [Int]? = nil, lambda: [Double]? = nil, iterations: [Int]? = nil, trials: Int? = nil,
                seed: Int64 = 42, valFraction: Double = 0.2, apply: Bool = false, wait: Bool = false) {
        self.factors = factors; self.lambda = lambda; self.iterations = iterations; self.trials = trials
        self.seed = seed; self.valFraction = valFraction; self.apply = apply; self.wait = wait
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case factors, lambda, iterations, trials, seed, apply, wait
        case valFraction = "val_fraction"
    }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        factors = try r.optional(.factors)
        lambda = try r.optional(.lambda)
        iterations = try r.optional(.iterations)
        trials = try r.optional(.trials)
        seed = try r.optional(.seed, default: 42)
        valFraction = try Fraction.check(r.optional(.valFraction, default: 0.2), field: "val_fraction")
        apply = try r.optional(.apply, default: false)
        wait = try r.optional(.wait, default: false)
        if let f = factors, f.isEmpty || f.contains(where: { $0 < 1 || $0 > 1024 }) {
            throw WireError(.invalidValue, "`factors` must be a non-empty list of values in 1...1024", field: "factors")
        }
        if let l = lambda, l.isEmpty || l.contains(where: { !($0 >= 0 && $0.isFinite) }) {
            throw WireError(.invalidValue, "`lambda` must be a non-empty list of finite values ≥ 0", field: "lambda")
        }
        if let i = iterations, i.isEmpty || i.contains(where: { $0 < 1 || $0 > 1000 }) {
            throw WireError(.invalidValue, "`iterations` must be a non-empty list of values in 1...1000", field: "iterations")
        }
        if let t = trials, t < 1 {
            throw WireError(.invalidValue, "`trials` must be ≥ 1", field: "trials")
        }
    }
}

enum Fraction {
    static func check(_ v: Double, field: String) throws -> Double {
        guard v > 0, v < 1 else { throw WireError(.invalidValue, "`\(field)` must be in (0, 1), got \(v)", field: field) }
        return v
    }
}

/// `get_config`: the training configuration and retrain policy.
public struct GetConfigRequest: ParameterlessOperation {
    public typealias Result = TrainingSettings
    public static let op = Op.getConfig
    public init() {}
}

/// `set_config {…}`: change some settings (persisted); returns the whole new configuration.
public struct SetConfigRequest: WireOperation {
    public typealias Result = TrainingSettings
    public static let op = Op.setConfig
    public var model: ModelKind?
    public var factors: Int?
    public var lambda: Double?
    public var iterations: Int?
    public var alpha: Double?
    public var seed: Int64?
    public var threads: Int?
    public var userAttrWeight: Double?
    public var itemAttrWeight: Double?
    public var retrain: RetrainMode?
    public var retrainAfterChanges: Int?
    public var retrainAfterMinutes: Double?
    public var holdoutFraction: Double?
    public var warmIterations: Int?
    public var search: Bool?
    /// Replaces the pinned keys (`[]` lets the search choose every value again).
    public var pinned: [String]?
    public var rankingWeight: Double?

    public init(model: ModelKind? = nil, factors: Int? = nil, lambda: Double? = nil, iterations: Int? = nil,
                alpha: Double? = nil, seed: Int64? = nil, threads: Int? = nil, userAttrWeight: Double? = nil,
                itemAttrWeight: Double? = nil, retrain: RetrainMode? = nil, retrainAfterChanges: Int? = nil,
                retrainAfterMinutes: Double? = nil, holdoutFraction: Double? = nil, warmIterations: Int? = nil,
                search: Bool? = nil, pinned: [String]? = nil, rankingWeight: Double? = nil) {
        self.model = model; self.factors = factors; self.lambda = lambda; self.iterations = iterations
        self.alpha = alpha; self.seed = seed; self.threads = threads; self.userAttrWeight = userAttrWeight
        self.itemAttrWeight = itemAttrWeight; self.retrain = retrain
        self.retrainAfterChanges = retrainAfterChanges; self.retrainAfterMinutes = retrainAfterMinutes
        self.holdoutFraction = holdoutFraction; self.warmIterations = warmIterations
        self.search = search; self.pinned = pinned; self.rankingWeight = rankingWeight
    }

    /// TrainingSettings' keys but `searched`, which only a search sets.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, factors, lambda, iterations, alpha, seed, threads, retrain, search, pinned
        case userAttrWeight = "user_attr_weight"
        case itemAttrWeight = "item_attr_weight"
        case retrainAfterChanges = "retrain_after_changes"
        case retrainAfterMinutes = "retrain_after_minutes"
        case holdoutFraction = "holdout_fraction"
        case warmIterations = "warm_iterations"
        case rankingWeight = "ranking_weight"
    }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        model = try r.optional(.model)
        factors = try r.optional(.factors)
        lambda = try r.optional(.lambda)
        iterations = try r.optional(.iterations)
        alpha = try r.optional(.alpha)
        seed = try r.optional(.seed)
        threads = try r.optional(.threads)
        userAttrWeight = try r.optional(.userAttrWeight)
        itemAttrWeight = try r.optional(.itemAttrWeight)
        retrain = try r.optional(.retrain)
        retrainAfterChanges = try r.optional(.retrainAfterChanges)
        retrainAfterMinutes = try r.optional(.retrainAfterMinutes)
        holdoutFraction = try r.optional(.holdoutFraction)
        warmIterations = try r.optional(.warmIterations)
        search = try r.optional(.search)
        pinned = try r.optional(.pinned)
        rankingWeight = try r.optional(.rankingWeight)
        if self == SetConfigRequest() {
            throw WireError(.invalidValue, "set_config needs at least one setting", field: nil)
        }
    }
}
