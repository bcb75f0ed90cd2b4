import Foundation
import MFCore
import MFProtocol

extension Engine {
    /// `evaluate`: seeded holdout of the current ratings, trained off the
    /// serving path with the current configuration; the serving model is untouched.
    public func evaluate(_ r: EvaluateRequest) async throws -> EvaluateResult {
        let cfg = trainingSettings
        let start = Date()
        let snap = try await store.ratingsSnapshot()
        guard snap.count >= 2 else { throw WireError(.noModel, "need at least 2 ratings to evaluate") }
        let task = Task.detached { [self] () async throws -> EvaluateResult in
            let split = try RatingSplit(snap, fraction: r.testFraction, seed: r.seed)
            let model = try await trainModel(split.train, users: split.users, items: split.items, config: cfg) { _ in !Task.isCancelled }
            let (rating, ranking) = try split.score(model)
            return EvaluateResult(rmse: rating.rmse, mae: rating.mae, ndcgAt10: ranking.ndcg, precisionAt10: ranking.precision,
                                  trainRatings: split.train.count, testRatings: split.test.count, testFraction: r.testFraction,
                                  seed: r.seed, durationSeconds: Date().timeIntervalSince(start))
        }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }
}
