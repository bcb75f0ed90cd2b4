/// One epoch of a training run (for `mfctl plot training`).
public struct EpochInfo: Codable, Sendable, Equatable {
    public var epoch: Int
    /// Regularized training objective divided by the number of ratings.
    public var loss: Double
    public var trainRMSE: Double?
    public var holdoutRMSE: Double?

    public init(epoch: Int, loss: Double, trainRMSE: Double? = nil, holdoutRMSE: Double? = nil) {
        self.epoch = epoch; self.loss = loss; self.trainRMSE = trainRMSE; self.holdoutRMSE = holdoutRMSE
    }

    enum CodingKeys: String, CodingKey {
        case epoch, loss
        case trainRMSE = "train_rmse"
        case holdoutRMSE = "holdout_rmse"
    }
}

/// Summary metrics of a finished training.
public struct TrainingMetrics: Codable, Sendable, Equatable {
    public var trainRMSE: Double
    /// RMSE after the last epoch on the ratings the training held out (nil: none held out).
    public var holdoutRMSE: Double?
    public var ratings: Int
    public var durationSeconds: Double
    /// Fraction and seed that chose the held-out ratings, and how many were scored.
    public var holdoutFraction: Double?
    public var holdoutSeed: Int64?
    public var holdoutRatings: Int?
    /// The model a warm retrain started from (nil: a cold start from random factors).
    public var warmStartModel: Int64?
    /// Sweeps the training ran.
    public var iterations: Int?
    /// The hyperparameter search the training ran (nil: it reused the searched values).
    public var search: SearchInfo?

    public init(trainRMSE: Double, holdoutRMSE: Double?, ratings: Int, durationSeconds: Double,
                holdoutFraction: Double? = nil, holdoutSeed: Int64? = nil, holdoutRatings: Int? = nil,
                warmStartModel: Int64? = nil, iterations: Int? = nil, search: SearchInfo? = nil) {
        self.trainRMSE = trainRMSE; self.holdoutRMSE = holdoutRMSE; self.ratings = ratings; self.durationSeconds = durationSeconds
        self.holdoutFraction = holdoutFraction; self.holdoutSeed = holdoutSeed; self.holdoutRatings = holdoutRatings
        self.warmStartModel = warmStartModel; self.iterations = iterations; self.search = search
    }

    enum CodingKeys: String, CodingKey {
        case ratings
        case trainRMSE = "train_rmse"
        case holdoutRMSE = "holdout_rmse"
        case durationSeconds = "duration_s"
        case holdoutFraction = "holdout_fraction"
        case holdoutSeed = "holdout_seed"
        case holdoutRatings = "holdout_ratings"
        case warmStartModel = "warm_start_model"
        case iterations, search
    }
}

/// One tuning trial.
public struct TuneTrial: Codable, Sendable, Equatable {
    public var factors: Int
    public var lambda: Double
    public var iterations: Int
    public var rmse: Double
    public var ndcgAt10: Double

    public init(factors: Int, lambda: Double, iterations: Int, rmse: Double, ndcgAt10: Double) {
        self.factors = factors; self.lambda = lambda; self.iterations = iterations; self.rmse = rmse; self.ndcgAt10 = ndcgAt10
    }

    enum CodingKeys: String, CodingKey {
        case factors, lambda, iterations, rmse
        case ndcgAt10 = "ndcg_at_10"
    }
}

public struct TuneReport: Codable, Sendable, Equatable {
    public var trials: [TuneTrial]
    /// Lowest validation RMSE.
    public var best: TuneTrial?
    public var applied: Bool

    public init(trials: [TuneTrial], best: TuneTrial?, applied: Bool) { self.trials = trials; self.best = best; self.applied = applied }
}

/// A background job (`train` or `tune`), as returned by `train`, `tune` and `train_status`.
public struct JobInfo: Codable, Sendable, Equatable {
    public var job: Int64
    public var kind: JobKind
    public var state: JobState
    /// 0…1.
    public var progress: Double
    /// What is happening now, e.g. "epoch 3/15" or "trial 2/12".
    public var stage: String?
    public var startedAt: Double?
    public var finishedAt: Double?
    /// The model produced (train) once succeeded.
    public var modelID: Int64?
    public var metrics: TrainingMetrics?
    public var epochs: [EpochInfo]
    public var tune: TuneReport?
    public var error: WireError?

    public init(job: Int64, kind: JobKind, state: JobState, progress: Double, stage: String? = nil,
                startedAt: Double? = nil, finishedAt: Double? = nil, modelID: Int64? = nil,
                metrics: TrainingMetrics? = nil, epochs: [EpochInfo] = [], tune: TuneReport? = nil, error: WireError? = nil) {
        self.job = job; self.kind = kind; self.state = state; self.progress = progress; self.stage = stage
        self.startedAt = startedAt; self.finishedAt = finishedAt; self.modelID = modelID; self.metrics = metrics
        self.epochs = epochs; self.tune = tune; self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case job, kind, state, progress, stage, metrics, epochs, tune, error
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case modelID = "model_id"
    }
}

public struct StatusResult: Codable, Sendable, Equatable {
    public var server: String
    public var uptimeSeconds: Double
    public var ratings: Int
    public var users: Int
    public var items: Int
    /// ratings / (users × items); 0 when empty.
    public var density: Double
    public var model: ModelInfo?
    /// Latest finished training job, if any.
    public var lastTraining: JobInfo?
    /// Running job, if any.
    public var running: JobInfo?
    /// Changes since the serving model was trained.
    public var pendingChanges: Int
    public var connections: Int
    /// Requests answered per op name since start.
    public var requests: [String: Int]
    public var errors: Int
    public var config: TrainingSettings
    /// Present while mfd loads its ratings after a start or an import (after a
    /// start the counts read 0 until the ratings are in).
    public var loading: LoadingInfo?
    /// Present after trainings failed: automatic retrains wait until `next_attempt_s` from now.
    public var retrainBackoff: RetrainBackoffInfo?
    /// Present while imports or model imports are open: each one's state and progress
    /// (the counts above are those from before a committing import).
    public var imports: [ImportStatus]?
    /// The SIMD kernel path training and scoring run on: `avx2_fma` or `portable`.
    public var kernels: String?

    public init(server: String, uptimeSeconds: Double, ratings: Int, users: Int, items: Int, density: Double,
                model: ModelInfo?, lastTraining: JobInfo?, running: JobInfo?, pendingChanges: Int, connections: Int,
                requests: [String: Int], errors: Int, config: TrainingSettings, loading: LoadingInfo? = nil,
                retrainBackoff: RetrainBackoffInfo? = nil, imports: [ImportStatus]? = nil, kernels: String? = nil) {
        self.server = server; self.uptimeSeconds = uptimeSeconds; self.ratings = ratings; self.users = users
        self.items = items; self.density = density; self.model = model; self.lastTraining = lastTraining
        self.running = running; self.pendingChanges = pendingChanges; self.connections = connections
        self.requests = requests; self.errors = errors; self.config = config; self.loading = loading
        self.retrainBackoff = retrainBackoff; self.imports = imports; self.kernels = kernels
    }

    enum CodingKeys: String, CodingKey {
        case server, ratings, users, items, density, model, running, connections, requests, errors, config, loading, imports, kernels
        case uptimeSeconds = "uptime_s"
        case lastTraining = "last_training"
        case pendingChanges = "pending_changes"
        case retrainBackoff = "retrain_backoff"
    }
}

/// Automatic retrains held back after failed trainings (`status.retrain_backoff`).
public struct RetrainBackoffInfo: Codable, Sendable, Equatable {
    /// Failed trainings since the last success.
    public var failures: Int
    /// Seconds until the retrain policy may start the next automatic retrain (0: it may now).
    public var nextAttemptSeconds: Double

    public init(failures: Int, nextAttemptSeconds: Double) { self.failures = failures; self.nextAttemptSeconds = nextAttemptSeconds }

    enum CodingKeys: String, CodingKey {
        case failures
        case nextAttemptSeconds = "next_attempt_s"
    }
}

/// The loading phase after a start (`status.loading`): the stage under way and,
/// where it counts, how far it is (`done` of `total`; both 0 when it cannot count).
public struct LoadingInfo: Codable, Sendable, Equatable {
    public var stage: String
    public var done: Int
    public var total: Int

    public init(stage: String, done: Int, total: Int) { self.stage = stage; self.done = done; self.total = total }
}

/// Training configuration and retrain policy (`get_config`, `set_config`).
public struct TrainingSettings: Codable, Sendable, Equatable {
    public var model: ModelKind
    public var factors: Int
    public var lambda: Double
    public var iterations: Int
    /// Confidence c = 1 + alpha·value of the implicit ALS that ranks: the implicit model's,
    /// or the ranker a rating model trains beside itself.
    public var alpha: Double
    public var seed: Int64
    public var threads: Int
    public var userAttrWeight: Double
    public var itemAttrWeight: Double
    public var retrain: RetrainMode
    /// Retrain after this many changes (0 = never by count).
    public var retrainAfterChanges: Int
    /// Retrain this many minutes after the first pending change (0 = never by time).
    public var retrainAfterMinutes: Double
    /// Fraction of ratings a retrain holds out to score each epoch, then folds in (0 = none).
    public var holdoutFraction: Double
    /// Sweeps of a warm retrain: one that starts from the current model because
    /// its kind, factors and regularization are unchanged and the ratings changed
    /// by at most a tenth since it was trained (0 = every retrain starts cold).
    public var warmIterations: Int
    /// Search λ, α and the ranking weight on the data's own holdout (first training, data grown or
    /// shrunk by half, or on request); false trains with the configured values.
    public var search: Bool
    /// Keys the search leaves alone ("lambda", "alpha", "ranking_weight"); `set_config` of a key pins it.
    public var pinned: [String]
    /// ω of `recommend`'s ranking score when not searched: the rating model's weight beside the ranker.
    public var rankingWeight: Double
    /// What the last search chose (nil: none ran yet).
    public var searched: SearchedValues?

    public static let defaultHoldoutFraction = 0.05
    public static let defaultWarmIterations = 5
    public static let defaultRankingWeight = 0.05
    /// The keys a search chooses, which `pinned` may name.
    public static let searchableKeys = ["lambda", "alpha", "ranking_weight"]

    /// The keys a search chooses for a model kind: an implicit model has no rating model, so only its α.
    public static func searchableKeys(for kind: ModelKind) -> [String] {
        kind == .implicit ? ["alpha"] : searchableKeys
    }

    public init(model: ModelKind, factors: Int, lambda: Double, iterations: Int, alpha: Double, seed: Int64,
                threads: Int, userAttrWeight: Double, itemAttrWeight: Double, retrain: RetrainMode,
                retrainAfterChanges: Int, retrainAfterMinutes: Double, holdoutFraction: Double = Self.defaultHoldoutFraction,
                warmIterations: Int = Self.defaultWarmIterations, search: Bool = true, pinned: [String] = [],
                rankingWeight: Double = Self.defaultRankingWeight, searched: SearchedValues? = nil) {
        self.model = model; self.factors = factors; self.lambda = lambda; self.iterations = iterations
        self.alpha = alpha; self.seed = seed; self.threads = threads; self.userAttrWeight = userAttrWeight
        self.itemAttrWeight = itemAttrWeight; self.retrain = retrain
        self.retrainAfterChanges = retrainAfterChanges; self.retrainAfterMinutes = retrainAfterMinutes
        self.holdoutFraction = holdoutFraction; self.warmIterations = warmIterations
        self.search = search; self.pinned = pinned; self.rankingWeight = rankingWeight; self.searched = searched
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, factors, lambda, iterations, alpha, seed, threads, retrain
        case userAttrWeight = "user_attr_weight"
        case itemAttrWeight = "item_attr_weight"
        case retrainAfterChanges = "retrain_after_changes"
        case retrainAfterMinutes = "retrain_after_minutes"
        case holdoutFraction = "holdout_fraction"
        case warmIterations = "warm_iterations"
        case search, pinned, searched
        case rankingWeight = "ranking_weight"
    }

    /// A configuration stored before a key existed takes its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(model: try c.decode(ModelKind.self, forKey: .model), factors: try c.decode(Int.self, forKey: .factors),
                  lambda: try c.decode(Double.self, forKey: .lambda), iterations: try c.decode(Int.self, forKey: .iterations),
                  alpha: try c.decode(Double.self, forKey: .alpha), seed: try c.decode(Int64.self, forKey: .seed),
                  threads: try c.decode(Int.self, forKey: .threads), userAttrWeight: try c.decode(Double.self, forKey: .userAttrWeight),
                  itemAttrWeight: try c.decode(Double.self, forKey: .itemAttrWeight), retrain: try c.decode(RetrainMode.self, forKey: .retrain),
                  retrainAfterChanges: try c.decode(Int.self, forKey: .retrainAfterChanges),
                  retrainAfterMinutes: try c.decode(Double.self, forKey: .retrainAfterMinutes),
                  holdoutFraction: try c.decodeIfPresent(Double.self, forKey: .holdoutFraction) ?? Self.defaultHoldoutFraction,
                  warmIterations: try c.decodeIfPresent(Int.self, forKey: .warmIterations) ?? Self.defaultWarmIterations,
                  search: try c.decodeIfPresent(Bool.self, forKey: .search) ?? true,
                  pinned: try c.decodeIfPresent([String].self, forKey: .pinned) ?? [],
                  rankingWeight: try c.decodeIfPresent(Double.self, forKey: .rankingWeight) ?? Self.defaultRankingWeight,
                  searched: try c.decodeIfPresent(SearchedValues.self, forKey: .searched))
    }
}
