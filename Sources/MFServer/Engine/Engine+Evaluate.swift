import Foundation
import MFCore
import MFProtocol

extension Engine {
    /// `evaluate`: seeded holdout of the current ratings, trained off the
    /// serving path as a first retrain would be (with the search, when `search` is on:
    /// on the training part's own holdout, then completed); the serving model is untouched.
    /// `progress` reports its stages: `read`, `split`, `search` or `epoch` n of the configured iterations, `score`.
    public func evaluate(_ r: EvaluateRequest, progress: OperationProgress? = nil) async throws -> EvaluateResult {
        let cfg = trainingSettings
        let start = Date()
        progress?.set(stage: "read")
        await testDelay(.evaluate)
        let snap = try await store.ratingsSnapshot()
        guard snap.count >= 2 else { throw WireError(.noModel, "need at least 2 ratings to evaluate") }
        let task = Task.detached { [self] () async throws -> EvaluateResult in
            progress?.set(stage: "split")
            let split = try RatingSplit(snap, fraction: r.testFraction, seed: r.seed)
            let (model, searched) = try await evaluationModel(split, config: cfg, progress: progress)
            progress?.set(stage: "score")
            let (rating, ranking) = try split.score(model)
            return EvaluateResult(rmse: rating.rmse, mae: rating.mae, ndcgAt10: ranking.ndcg, precisionAt10: ranking.precision,
                                  trainRatings: split.train.count, testRatings: split.test.count, testFraction: r.testFraction,
                                  seed: r.seed, durationSeconds: Date().timeIntervalSince(start), search: searched)
        }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    /// The model `evaluate` scores: searched and completed as a first retrain would be, or trained with `cfg` as it is.
    private func evaluationModel(_ split: RatingSplit, config cfg: TrainingSettings,
                                 progress: OperationProgress?) async throws -> (MFModel, SearchedValues?) {
        let reason = Self.searchReason(cfg, ratings: split.train.count, requested: true)
        guard reason != nil, case let (part, holdout?) = try HoldoutRatings.split(split.train, users: split.users, items: split.items,
                                                                                  fraction: cfg.holdoutFraction, seed: cfg.seed) else {
            progress?.set(stage: "epoch", done: 0, total: Int64(cfg.iterations))
            let m = try await trainModel(split.train, users: split.users, items: split.items, config: cfg) { e in
                progress?.set(stage: "epoch", done: Int64(e.epoch), total: Int64(cfg.iterations))
                return !Task.isCancelled
            }
            return (m, nil)
        }
        let side = cfg.model == .collective ? await writer.sideInfo(users: split.users, items: split.items) : nil
        progress?.set(stage: "search")
        let out = try ModelSearch.fit(part, holdout: holdout, config: cfg.searchStart, pinned: cfg.searchPins, sideInfo: side) { _ in !Task.isCancelled }
        let threads = cfg.threads > 0 ? cfg.threads : ProcessInfo.processInfo.activeProcessorCount
        let chosen = cfg.searched(by: out, ratings: split.train.count, reason: "evaluate")
        return (try out.model.completed(full: split.train, holdout: holdout, threads: threads), chosen)
    }
}
