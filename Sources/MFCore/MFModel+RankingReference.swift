/// The slow, obviously correct ranking path: every candidate scored one by one
/// in plain scalar code, then a full sort. `topN`'s pruned SIMD scan must return
/// exactly this (same items, order and bitwise scores); the tests compare them.
extension MFModel {
    /// Ranking score of the item in `slot` for a user already rotated (p' = R·p_u)
    /// with base = μ + b_u, in the scan's exact operation order:
    ///   a_m = Σ_{c ≡ m (mod 4)} p'[c]·h[c]   (FMAs, ascending c)
    ///   s = (((a_0 + a_1) + (a_2 + a_3)) + base) + β·b_i
    func rankingScore(rotated p: [Float], base: Float, slot: Int) -> Float {
        var a: [Float] = [0, 0, 0, 0]
        for c in 0..<factors { a[c % 4] = a[c % 4].addingProduct(p[c], Float(rankingBlocks[rankingIndex(slot: slot, dim: c)])) }
        return (((a[0] + a[1]) + (a[2] + a[3])) + base) + rankingBias[slot]
    }

    /// Ranking score of one item (rotates the user first; for tests and single items).
    func rankingScore(_ user: UserVector, _ i: Int) -> Float {
        rankingScore(rotated: rankingRotation.applyReference(user.factors), base: globalMean + user.bias,
                     slot: Int(rankingSlotOfItem[i]))
    }

    /// `topN` by brute force: score every candidate, sort by (score desc, item asc), keep `n`.
    func topNReference(user: UserVector?, n: Int, excludeSorted: [Int32] = [], include: [Int32]? = nil) -> [ScoredItem] {
        let excluded = Set(excludeSorted)
        let candidates = include.map { Set($0).filter { $0 >= 0 && Int($0) < itemCount } } ?? Set((0..<itemCount).map { Int32($0) })
        let p = user.map { rankingRotation.applyReference($0.factors) }
        let scored = candidates.filter { !excluded.contains($0) }.map { i in
            ScoredItem(item: i, score: user.map { rankingScore(rotated: p!, base: globalMean + $0.bias, slot: Int(rankingSlotOfItem[Int(i)])) }
                       ?? itemPopularity[Int(i)])
        }
        return Array(scored.sorted(by: ScoredItem.better).prefix(max(n, 0)))
    }
}
