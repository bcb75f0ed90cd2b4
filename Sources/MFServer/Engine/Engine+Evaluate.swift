import Foundation
import MFCore
import MFProtocol

extension Engine {
    /// `evaluate`: seeded holdout of the current ratings, trained off the
    /// serving path with the current configuration; the serving model is untouched.
    public func evaluate(_ r: EvaluateRequest) async throws -> EvaluateResult {
        let cfg = serverConfig
        let start = Date()
        let snap = try await store.ratingsSnapshot()
        guard snap.count >= 2 else { throw WireError(.noModel, "need at least 2 ratings to evaluate") }
        let task = Task.detached { [self] () async throws -> EvaluateResult in
            var rng = SeededRNG(seed: UInt64(bitPattern: r.seed))
            var order = Array(0..<snap.count)
            order.shuffle(using: &rng)
            let nTest = max(1, Int((Double(snap.count) * r.testFraction).rounded()))
            let test = order[0..<nTest], train = order[nTest...]
            var users = IDMap(), items = IDMap()
            var tu = [Int32](), ti = [Int32](), tv = [Float]()
            for j in train {
                tu.append(users.append(snap.users[j])); ti.append(items.append(snap.items[j])); tv.append(snap.values[j])
            }
            let matrix = try RatingMatrix(users: tu, items: ti, ratings: tv, userCount: users.count, itemCount: items.count)
            let model = try await trainModel(matrix, users: users, items: items, config: cfg) { _ in !Task.isCancelled }
            var eu = [Int32](), ei = [Int32](), ev = [Float]()
            for j in test {
                guard let u = users.index(of: snap.users[j]), let i = items.index(of: snap.items[j]) else { continue }
                eu.append(u); ei.append(i); ev.append(snap.values[j])
            }
            let rating = Metrics.rating(model: model, users: eu, items: ei, ratings: ev)
            let ranking = try Metrics.ranking(model: model, train: matrix, users: eu, items: ei, ratings: ev)
            return EvaluateResult(rmse: rating.rmse, mae: rating.mae, ndcgAt10: ranking.ndcg, precisionAt10: ranking.precision,
                                  trainRatings: train.count, testRatings: ev.count, testFraction: r.testFraction,
                                  seed: r.seed, durationSeconds: Date().timeIntervalSince(start))
        }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }
}
