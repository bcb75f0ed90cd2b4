import MFCore
import MFProtocol

extension EngineSnapshot {
    /// A user's factors and where they come from; nil vector = unknown to the model.
    func userVector(_ id: Int64, entry: UserEntry?) -> (vector: UserVector?, source: Source) {
        guard let entry, let base else { return (nil, .popular) }
        // Written but not yet re-solved by the writer: solve it here (same inputs, same vector).
        if entry.staleFoldIn {
            do {
                guard let v = try base.solveUser(id, entry) else { return (nil, .popular) }  // nothing to solve from
                return (v, .foldedIn)
            } catch {}  // the writer logs the same failure; serve the last solved vector meanwhile
        }
        if let v = entry.foldedIn { return (v, .foldedIn) }
        if let u = base.users.index(of: id) { return (base.model.user(u), .model) }
        return (nil, .popular)
    }

    /// An item with its catalogue title and genres.
    func scored(_ id: Int64, score: Float) -> ScoredItem {
        let e = items[id]
        return ScoredItem(item: id, score: score, title: e?.title, genres: e.map(\.genres))
    }

    /// Mean of all ratings (0 when empty).
    var globalMean: Double {
        var sum = 0.0, n = 0
        items.forEach { _, e in sum += e.ratingSum; n += e.ratingCount }
        return n > 0 ? sum / Double(n) : 0
    }

    /// Damped mean (Bayesian average with 10 pseudo-ratings at the global mean),
    /// the score shown for popularity answers.
    func dampedMean(_ id: Int64, globalMean mu: Double? = nil) -> Float {
        guard let e = items[id] else { return 0 }
        let m = mu ?? (base.map { Double($0.model.globalMean) } ?? globalMean)
        return Float((e.ratingSum + 10 * m) / (Double(e.ratingCount) + 10))
    }

    /// Without a model: items with ratings, best damped mean first.
    func popular(n: Int, excluding: Set<Int64>, include: [Int64]?) -> [ScoredItem] {
        let mu = globalMean
        var all: [(Int64, Float)] = []
        let allowed = include.map(Set.init)
        items.forEach { id, e in
            guard e.ratingCount > 0, !excluding.contains(id), allowed?.contains(id) ?? true else { return }
            all.append((id, dampedMean(id, globalMean: mu)))
        }
        all.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return all.prefix(n).map { scored($0.0, score: $0.1) }
    }
}
