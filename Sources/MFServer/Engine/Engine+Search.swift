import Foundation
import MFCore
import MFProtocol

extension Engine {
    /// Why a retrain searches λ, α and the ranking weight first, or nil: the first training on a
    /// data set, a new model kind/k/starting λ, ratings grown or shrunk by half since the last
    /// search, or a request. Never with `search` off, without a holdout, or when every key the
    /// model kind searches is pinned.
    static func searchReason(_ cfg: TrainingSettings, ratings: Int, requested: Bool) -> String? {
        guard cfg.search, cfg.holdoutFraction > 0,
              !Set(TrainingSettings.searchableKeys(for: cfg.model)).isSubset(of: cfg.pinned) else { return nil }
        if requested { return "requested" }
        guard let s = cfg.searchedForThis else { return cfg.searched == nil ? "first training" : "configuration changed" }
        if ratings >= 2 * s.ratings { return "ratings grew from \(s.ratings) to \(ratings)" }
        if 2 * ratings <= s.ratings { return "ratings shrank from \(s.ratings) to \(ratings)" }
        return nil
    }

    /// What a search leaves for the rest of the retrain.
    struct Searched {
        let model: MFModel
        let training: TrainingConfig
        let info: SearchInfo
    }

    /// Runs `ModelSearch` on the retrain's split and stores the chosen values in the configuration.
    func search(job id: Int64, split: TrainingHoldout, holdout: HoldoutRatings, config cfg: TrainingSettings,
                ratings: Int, reason: String) async throws -> Searched {
        logger.info("search started", metadata: ["job": "\(id)", "reason": "\(reason)"])
        jobs.update(id) { $0.state = .running; $0.stage = "search" }
        let side = cfg.model == .collective ? await writer.sideInfo(users: split.users, items: split.items) : nil
        let clock = ContinuousClock(), start = clock.now
        // The job's epoch log (`mfctl plot training`): on a sample, the final run on all ratings; else the longest
        // run of the search (the first, at the starting λ; the latest on a tie).
        let log = EpochLog()
        let outcome = try ModelSearch.fit(split.matrix, holdout: holdout, config: cfg.searchStart, pinned: cfg.searchPins, sideInfo: side) { r in
            log.add(EpochInfo(epoch: r.epoch, loss: r.loss, trainRMSE: r.rmse, holdoutRMSE: r.holdoutRMSE))
            return !Task.isCancelled
        }
        let epochs = outcome.sampledUsers == nil ? log.longest : log.last
        jobs.update(id) { $0.epochs = epochs }
        let chosen = cfg.searched(by: outcome, ratings: ratings, reason: reason)
        let trials = outcome.trials.map {
            SearchTrialInfo(parameter: TrainingSettings.settingKey($0.parameter), value: $0.value,
                            holdoutRMSE: $0.holdoutRMSE, holdoutNDCG: $0.holdoutNDCG, sweeps: $0.sweeps, seconds: $0.seconds)
        }
        try await storeSearched(chosen)
        logger.info("search finished", metadata: ["job": "\(id)", "lambda": "\(chosen.lambda)", "alpha": "\(chosen.alpha ?? 0)",
                                                  "ranking_weight": "\(chosen.rankingWeight)",
                                                  "trials": "\(trials.count)", "seconds": "\((clock.now - start).inSeconds)"])
        return Searched(model: outcome.model, training: outcome.config,
                        info: SearchInfo(reason: reason, chosen: chosen, trials: trials, seconds: outcome.searchSeconds,
                                         sampledUsers: outcome.sampledUsers))
    }

    /// Epoch reports of several training runs, one after another (a run starts at epoch 1).
    final class EpochLog: @unchecked Sendable {
        private var current: [EpochInfo] = [], best: [EpochInfo] = []
        func add(_ e: EpochInfo) {
            if e.epoch == 1 { current = [] }
            current.append(e)
            if current.count >= best.count { best = current }
        }
        /// The longest run (the latest on a tie).
        var longest: [EpochInfo] { best }
        /// The latest run.
        var last: [EpochInfo] { current }
    }

    /// Persists the searched values into the current configuration (other keys as they are now).
    func storeSearched(_ chosen: SearchedValues) async throws {
        var next = trainingSettings
        next.searched = chosen
        try await store.setSetting(Self.trainingSettingsKey, Self.json(next))
        setTrainingSettings(next)
    }
}
