#if canImport(Glibc)
import Glibc
#endif

/// RMSE and MAE over clipped predictions.
public struct RatingMetrics: Sendable, Equatable, Codable {
    public var rmse: Double
    public var mae: Double
    public var count: Int
}

/// Top-k ranking metrics averaged (unweighted) over evaluated users.
public struct RankingMetrics: Sendable, Equatable, Codable {
    public var precision: Double
    public var recall: Double
    public var ndcg: Double
    /// Users with at least one relevant test item.
    public var users: Int
}

/// The evaluation protocol of `../shared/anchors/common.py`, exactly:
/// - rating metrics over predictions clipped to the training range;
/// - relevant = test rating ≥ 4.0; evaluated users have ≥ 1 relevant item;
///   candidates = every training item not in the user's training rows;
///   top-k by the model's ranking score (`topN`), ties to the lower index;
///   P = hits/k, R = hits/|rel|, NDCG = DCG/IDCG with binary gains and 1/log2(rank+1).
public enum Metrics {
    /// RMSE/MAE of `model.predict` on test triples (indices must be valid).
    public static func rating(model: MFModel, users: [Int32], items: [Int32], ratings: [Float]) -> RatingMetrics {
        var se = 0.0, ae = 0.0
        for j in ratings.indices {
            let e = Double(model.predict(user: users[j], item: items[j])) - Double(ratings[j])
            se += e * e; ae += abs(e)
        }
        let n = Double(max(ratings.count, 1))
        return RatingMetrics(rmse: (se / n).squareRoot(), mae: ae / n, count: ratings.count)
    }

    /// P@k, R@k, NDCG@k of `model.topN` for trained users, excluding each user's `train` items.
    public static func ranking(model: MFModel, train: RatingMatrix, users: [Int32], items: [Int32],
                               ratings: [Float], k: Int = 10, threshold: Float = 4.0) throws -> RankingMetrics {
        let each = try perUser(model: model, train: train, users: users, items: items, ratings: ratings, k: k, threshold: threshold)
        let n = Double(max(each.count, 1))
        return RankingMetrics(precision: each.reduce(0) { $0 + $1.precision } / n, recall: each.reduce(0) { $0 + $1.recall } / n,
                              ndcg: each.reduce(0) { $0 + $1.ndcg } / n, users: each.count)
    }

    /// NDCG@k of each user `ranking` evaluates (those with a relevant rating, by index): for paired comparisons.
    public static func userNDCG(model: MFModel, train: RatingMatrix, users: [Int32], items: [Int32],
                                ratings: [Float], k: Int = 10, threshold: Float = 4.0) throws -> [Double] {
        try perUser(model: model, train: train, users: users, items: items, ratings: ratings, k: k, threshold: threshold).map(\.ndcg)
    }

    private static func perUser(model: MFModel, train: RatingMatrix, users: [Int32], items: [Int32], ratings: [Float],
                                k: Int, threshold: Float) throws -> [(precision: Double, recall: Double, ndcg: Double)] {
        var relevant: [Int32: [Int32]] = [:]
        for j in ratings.indices where ratings[j] >= threshold { relevant[users[j], default: []].append(items[j]) }
        let disc = (0..<k).map { 1 / log2(Double($0 + 2)) }
        return try relevant.keys.sorted().map { u in
            let rel = Set(relevant[u]!)
            let uv = Int(u) < model.userCount ? model.user(u) : nil
            let seen = Int(u) < train.userCount ? Array(train.items(ofUser: Int(u))) : []
            let top = try model.topN(user: uv, n: k, excludeSorted: seen)
            var hits = 0, dcg = 0.0
            for (r, s) in top.enumerated() where rel.contains(s.item) { hits += 1; dcg += disc[r] }
            let idcg = disc[0..<min(k, rel.count)].reduce(0, +)
            return (Double(hits) / Double(k), Double(hits) / Double(rel.count), dcg / idcg)
        }
    }
}
