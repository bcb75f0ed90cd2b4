extension MFModel {
    /// The `n` best items for a user by the ranking score, best first; ties go to the lower index.
    ///
    /// Ranking score (see `RankingConfig`):
    ///   s(u,i) = μ + b_u + p_u·(q_i + γ·y_i) + β·b_i
    /// or, with a ranker (x_u, z_i; see `RankerConfig`),
    ///   s(u,i) = x_u·z_i + ω·(μ + b_u + p_u·(q_i + γ·y_i) + β·b_i)
    /// It differs from `predict` (γ = 0, β = 1) because rating-accurate scores
    /// rank obscure, few-rated items first. `user` nil ranks by popularity
    /// (count of ratings ≥ μ).
    /// - Parameters:
    ///   - excludeSorted: item indices never returned (e.g. the user's rated items),
    ///     ascending; unsorted input is sorted first.
    ///   - include: when given, only these items are candidates.
    /// - Throws: `dimension_mismatch` when the user vector has the wrong length.
    public func topN(user: UserVector?, n: Int, excludeSorted: [Int32] = [], include: [Int32]? = nil) throws -> [ScoredIndex] {
        if let user, user.factors.count != factors {
            throw MFCoreError.dimensionMismatch(field: "user.factors", expected: factors, actual: user.factors.count)
        }
        if let user, ranker != nil, !user.rankerFactors.isEmpty, user.rankerFactors.count != factors {
            throw MFCoreError.dimensionMismatch(field: "user.ranker_factors", expected: factors, actual: user.rankerFactors.count)
        }
        guard n > 0, itemCount > 0 else { return [] }
        let exclude = isAscending(excludeSorted) ? excludeSorted : excludeSorted.sorted()
        var heap = TopKHeap(capacity: n)
        if let include {
            for i in include where i >= 0 && Int(i) < itemCount && !contains(exclude, i) {
                heap.offer(ScoredIndex(item: i, score: user.map { rankingScore($0, Int(i)) } ?? itemPopularity[Int(i)]))
            }
            return heap.sorted()
        }
        if let user {
            scanBlocks(user, exclude: exclude, heap: &heap)
        } else {
            var e = 0
            for i in 0..<itemCount {
                while e < exclude.count && Int(exclude[e]) < i { e += 1 }
                if e < exclude.count && Int(exclude[e]) == i { continue }
                if itemPopularity[i] > heap.threshold { heap.offer(ScoredIndex(item: Int32(i), score: itemPopularity[i])) }
            }
        }
        return heap.sorted()
    }

    /// Ranking score of one item (scalar path, for `include`).
    func rankingScore(_ user: UserVector, _ i: Int) -> Float {
        let k = rankingDimension, slot = Int(rankingSlotOfItem[i]), blk = (slot / 8) * k * 8, lane = slot % 8
        let p = rankingUser(user)
        var s: Float = 0
        for c in 0..<k { s += p[c] * Float(rankingBlocks[blk + c * 8 + lane]) }
        return rankingBase(user) + s + rankingBias[slot]
    }

    /// Scores 8 slots per step from the blocked layout:
    ///   s[l] = base + Σ_c p[c]·R[block][c][l] + βb[l]
    /// (base = μ + b_u and p = p_u; with a ranker, see `rankingUser` and `rankingBase`).
    /// Blocks whose Cauchy–Schwarz bound
    ///   base + maxβb + ‖p‖·max‖r‖  (+ slack for float rounding)
    /// is below the heap's threshold cannot contribute and are skipped; slots
    /// are ordered by that bound, so after the first blocks most are skipped.
    /// Lanes are visited only when some lane reaches the threshold; ties are
    /// offered and the heap keeps the lower item index.
    private func scanBlocks(_ user: UserVector, exclude: [Int32], heap: inout TopKHeap) {
        typealias V = SIMD8<Float>
        let k = rankingDimension, blocks = (itemCount + 7) / 8, n = itemCount
        let base0 = rankingBase(user)
        let base = V(repeating: base0)
        let scan = rankingUser(user)
        // ‖p‖ inflated by 1e-3 (relative) and an absolute 1e-5·(1+|base|): far above the
        // rounding of a k-term Float32 dot and of the sums, so a skipped block's computed
        // scores are always below the threshold.
        let pNorm = scan.reduce(0) { $0 + $1 * $1 }.squareRoot() * 1.001
        let absSlack = 1e-5 * (1 + abs(base0))
        let path = KernelPath.active
        rankingBlocks.withUnsafeBytes { rb in
            rankingBias.withUnsafeBufferPointer { bb in
                scan.withUnsafeBufferPointer { pb in
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: 32) { scratch in
                        let r = rb.baseAddress!, p = pb.baseAddress!, bias = bb.baseAddress!, acc = scratch.baseAddress!
                        // Offers the lanes of block b that reach the threshold (rare once the heap is full).
                        @inline(__always) func visit(_ b: Int, _ scores: UnsafePointer<Float>) {
                            let s = Kernels.load(scores) + base + Kernels.load(bias + b &* 8)
                            guard any(s .>= V(repeating: heap.threshold)) else { return }
                            for l in 0..<8 {
                                let slot = b &* 8 &+ l
                                guard slot < n, s[l] >= heap.threshold else { continue }
                                let item = rankingItemOfSlot[slot]
                                if !exclude.isEmpty && contains(exclude, item) { continue }
                                heap.offer(ScoredIndex(item: item, score: s[l]))
                            }
                        }
                        @inline(__always) func promising(_ b: Int) -> Bool {
                            base0 + blockMaxBias[b] + pNorm * blockMaxNorm[b] + absSlack >= heap.threshold
                        }
                        let blockBytes = k &* 16  // k rows of 8 Float16 lanes
                        // 4 surviving blocks (32 items) per pass share each broadcast of p[c]; 8 FMA chains.
                        var pending = (0, 0, 0, 0), count = 0
                        for b in 0..<blocks where promising(b) {
                            switch count {
                            case 0: pending.0 = b
                            case 1: pending.1 = b
                            case 2: pending.2 = b
                            default: pending.3 = b
                            }
                            count &+= 1
                            guard count == 4 else { continue }
                            let (b0, b1, b2, b3) = pending
                            Kernels.scoreBlocks4(r + b0 &* blockBytes, r + b1 &* blockBytes, r + b2 &* blockBytes,
                                                 r + b3 &* blockBytes, user: p, k: k, into: acc, on: path)
                            visit(b0, acc); visit(b1, acc + 8); visit(b2, acc + 16); visit(b3, acc + 24)
                            count = 0
                        }
                        // Fewer than 4 left: one block at a time.
                        for b in [pending.0, pending.1, pending.2].prefix(count) {
                            Kernels.scoreBlock(r + b &* blockBytes, user: p, k: k, into: acc, on: path)
                            visit(b, acc)
                        }
                    }
                }
            }
        }
    }

    /// The `n` items most similar to `item` by cosine of item factors q, best
    /// first, excluding `item` itself and `excludeSorted`. Items with zero factors score 0.
    public func similarItems(_ item: Int32, n: Int, excludeSorted: [Int32] = []) throws -> [ScoredIndex] {
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
                if s > heap.threshold { heap.offer(ScoredIndex(item: Int32(i), score: s)) }
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
    private func contains(_ a: [Int32], _ x: Int32) -> Bool {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo < a.count && a[lo] == x
    }
}
