extension MFModel {
    /// The `n` best items for a user by the ranking score, best first; ties go to the lower index.
    ///
    /// Ranking score (see `RankingConfig`):
    ///   s(u,i) = μ + b_u + p_u·(q_i + γ·y_i) + β·b_i
    /// It differs from `predict` (γ = 0, β = 1) because rating-accurate scores
    /// rank obscure, few-rated items first. `user` nil ranks by popularity
    /// (count of ratings ≥ μ). The dot product is taken in the rotated space the
    /// ranking blocks are stored in (R·p_u)·(R·r_i), Float16 item side; results are
    /// exactly those of `topNReference` (brute force over the same stored vectors).
    /// - Parameters:
    ///   - excludeSorted: item indices never returned (e.g. the user's rated items),
    ///     ascending; unsorted input is sorted first.
    ///   - include: when given, only these items are candidates (duplicates count once).
    /// - Throws: `dimension_mismatch` when the user vector has the wrong length.
    public func topN(user: UserVector?, n: Int, excludeSorted: [Int32] = [], include: [Int32]? = nil) throws -> [ScoredItem] {
        var stats = RankingScanStats()
        return try topN(user: user, n: n, excludeSorted: excludeSorted, include: include, stats: &stats)
    }

    /// `topN`, adding the scan's work to `stats` (for benchmarks).
    public func topN(user: UserVector?, n: Int, excludeSorted: [Int32] = [], include: [Int32]? = nil,
                     stats: inout RankingScanStats) throws -> [ScoredItem] {
        if let user, user.factors.count != factors {
            throw MFCoreError.dimensionMismatch(field: "user.factors", expected: factors, actual: user.factors.count)
        }
        guard n > 0, itemCount > 0 else { return [] }
        let exclude = isAscending(excludeSorted) ? excludeSorted : excludeSorted.sorted()
        var heap = TopKHeap(capacity: n)
        guard let user else {
            var e = 0
            let wanted = include.map(uniqueCandidates) ?? Array(0..<Int32(itemCount))
            for i in wanted {
                while e < exclude.count && exclude[e] < i { e += 1 }
                if e < exclude.count && exclude[e] == i { continue }
                if itemPopularity[Int(i)] >= heap.threshold { heap.offer(ScoredItem(item: i, score: itemPopularity[Int(i)])) }
            }
            return ranked(heap)
        }
        let base = globalMean + user.bias
        withUnsafeTemporaryAllocation(of: Float.self, capacity: rankingRotation.stride) { pb in
            let p = pb.baseAddress!
            user.factors.withUnsafeBufferPointer { rankingRotation.apply($0.baseAddress!, into: p) }
            if let include {
                let rotated = Array(pb.prefix(factors))
                for i in uniqueCandidates(include) where !contains(exclude, i) {
                    heap.offer(ScoredItem(item: i, score: rankingScore(rotated: rotated, base: base, slot: Int(rankingSlotOfItem[Int(i)]))))
                }
            } else {
                scanBlocks(UnsafePointer(p), base: base, exclude: exclude, heap: &heap, stats: &stats)
            }
        }
        return ranked(heap)
    }

    /// The heap's items best first (higher score, then lower index), sorted as integer keys
    /// (score bits mapped to an order-preserving UInt32 above the complemented index): a plain
    /// integer sort instead of a comparator call per comparison, a tenth of a top-50 call.
    private func ranked(_ heap: TopKHeap) -> [ScoredItem] {
        var keys = heap.items.map { x -> UInt64 in
            let bits = (x.score + 0).bitPattern  // + 0 turns −0 into +0 (equal scores, equal keys; −0 returns as +0)
            let ordered = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
            return UInt64(ordered) << 32 | UInt64(UInt32.max - UInt32(bitPattern: x.item))
        }
        keys.sort()
        return keys.reversed().map { k in
            let ordered = UInt32(truncatingIfNeeded: k >> 32)
            let bits = ordered & 0x8000_0000 != 0 ? ordered & 0x7FFF_FFFF : ~ordered
            return ScoredItem(item: Int32(bitPattern: UInt32.max - UInt32(truncatingIfNeeded: k)), score: Float(bitPattern: bits))
        }
    }

    /// Valid indices of `include`, ascending, each once.
    private func uniqueCandidates(_ include: [Int32]) -> [Int32] {
        var out: [Int32] = []
        for i in include.sorted() where i >= 0 && Int(i) < itemCount && out.last != i { out.append(i) }
        return out
    }

    /// The `n` items most similar to `item` by cosine of item factors q, best
    /// first, excluding `item` itself and `excludeSorted`. Items with zero factors score 0.
    public func similarItems(_ item: Int32, n: Int, excludeSorted: [Int32] = []) throws -> [ScoredItem] {
        guard item >= 0 && Int(item) < itemCount else {
            throw MFCoreError.indexOutOfRange(field: "item", index: 0, value: Int(item), count: itemCount)
        }
        guard n > 0 else { return [] }
        let exclude = isAscending(excludeSorted) ? excludeSorted : excludeSorted.sorted()
        var heap = TopKHeap(capacity: n)
        let k = factors, me = Int(item), myNorm = itemNorms[me]
        itemFactors.withUnsafeBufferPointer { qb in
            let q = qb.baseAddress!
            for i in 0..<itemCount where i != me && !contains(exclude, Int32(i)) {
                let den = myNorm * itemNorms[i]
                let s = den > 0 ? Kernels.dot(q + me * k, q + i * k, k) / den : 0
                if s > heap.threshold { heap.offer(ScoredItem(item: Int32(i), score: s)) }
            }
        }
        return heap.sorted()
    }

    private func isAscending(_ a: [Int32]) -> Bool {
        var j = 1
        while j < a.count { if a[j - 1] > a[j] { return false }; j += 1 }
        return true
    }

    /// Binary search in an ascending array.
    func contains(_ a: [Int32], _ x: Int32) -> Bool {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo < a.count && a[lo] == x
    }
}
