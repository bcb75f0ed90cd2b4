import MFCore
import MFProtocol

extension EngineSnapshot {
    /// `recommend {explain: true}`: per recommended item (dense index), up to 3
    /// of the user's rated items whose ratings contributed most to its score
    /// through the user's row solve (see `FoldIn.explain`). Works the same for
    /// model and folded-in users: both vectors come from that solve.
    func explanations(targets: [Int32], user: UserEntry, base: ModelBase) -> [[Because]] {
        var idx: [Int32] = [], vals: [Float] = [], ids: [Int64] = []
        for (j, id) in user.ratings.ids.enumerated() {
            guard let i = base.items.index(of: id) else { continue }
            idx.append(i); vals.append(user.ratings.values[j]); ids.append(id)
        }
        guard !idx.isEmpty, let parts = try? base.foldIn.explain(targets: targets, items: idx, ratings: vals) else {
            return targets.map { _ in [] }
        }
        return parts.map { list in
            list.map { c in
                let id = base.items.id(at: c.item)
                return Because(item: id, title: items[id]?.title, share: c.share)
            }
        }
    }
}
