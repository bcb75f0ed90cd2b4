extension MFModel {
    /// The `n` best items for a user by the ranking score, best first; ties go to the lower index.
    ///
    /// Ranking score (see `RankingConfig`):
    ///   s(u,i) = μ + b_u + p_u·(q_i + γ·y_i) + β·b_i
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
        let k = factors, slot = Int(rankingSlotOfItem[i]), blk = (slot / 8) * k * 8, lane = slot % 8
        var s: Float = 0
        for c in 0..<k { s += user.factors[c] * Float(rankingBlocks[blk + c * 8 + lane]) }
        return globalMean + user.bias + s + rankingBias[slot]
    }

    /// Scores 8 slots per step from the blocked layout:
    ///   s[l] = μ + b_u + Σ_c p_u[c]·R[block][c][l] + βb[l]
    /// Blocks whose Cauchy–Schwarz bound
    ///   μ + b_u + maxβb + ‖p_u‖·max‖r‖  (+ slack for float rounding)
    /// is below the heap's threshold cannot contribute and are skipped; slots
    /// are ordered by that bound, so after the first blocks most are skipped.
    /// Lanes are visited only when some lane reaches the threshold; ties are
    /// offered and the heap keeps the lower item index.
    private func scanBlocks(_ user: UserVector, exclude: [Int32], heap: inout TopKHeap) {
        typealias V = SIMD8<Float>
        @inline(__always) func load(_ p: UnsafePointer<Float16>) -> V {
            V(UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float16>.self))  // vcvtph2ps
        }
        let k = factors, blocks = (itemCount + 7) / 8, n = itemCount
        let base0 = globalMean + user.bias
        let base = V(repeating: base0)
        // ‖p‖ inflated by 1e-3 (relative) and an absolute 1e-5·(1+|base|): far above the
        // rounding of a k-term Float32 dot and of the sums, so a skipped block's computed
        // scores are always below the threshold.
        let pNorm = user.factors.reduce(0) { $0 + $1 * $1 }.squareRoot() * 1.001
        let absSlack = 1e-5 * (1 + abs(base0))
        rankingBlocks.withUnsafeBufferPointer { rb in
            rankingBias.withUnsafeBufferPointer { bb in
                user.factors.withUnsafeBufferPointer { pb in
                    let r = rb.baseAddress!, p = pb.baseAddress!, bias = bb.baseAddress!
                    // Offers the lanes of block b that reach the threshold (rare once the heap is full).
                    @inline(__always) func visit(_ b: Int, _ acc: V) {
                        let s = acc + base + Kernels.load(bias + b &* 8)
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
                    let stride = k &* 8
                    // 4 surviving blocks (32 items) per pass share each broadcast of p[c]; 8 FMA chains.
                    var pending = (0, 0, 0, 0), count = 0
                    @inline(__always) func score4() {
                        let (b0, b1, b2, b3) = pending
                        let q0 = r + b0 &* stride, q1 = r + b1 &* stride, q2 = r + b2 &* stride, q3 = r + b3 &* stride
                        var a0 = V(), a1 = V(), a2 = V(), a3 = V(), c0 = V(), c1 = V(), c2 = V(), c3 = V()
                        var c = 0
                        while c &+ 2 <= k {
                            let o = c &* 8, pa = V(repeating: p[c]), pb = V(repeating: p[c &+ 1])
                            a0 = a0.addingProduct(pa, load(q0 + o)); c0 = c0.addingProduct(pb, load(q0 + (o &+ 8)))
                            a1 = a1.addingProduct(pa, load(q1 + o)); c1 = c1.addingProduct(pb, load(q1 + (o &+ 8)))
                            a2 = a2.addingProduct(pa, load(q2 + o)); c2 = c2.addingProduct(pb, load(q2 + (o &+ 8)))
                            a3 = a3.addingProduct(pa, load(q3 + o)); c3 = c3.addingProduct(pb, load(q3 + (o &+ 8)))
                            c &+= 2
                        }
                        if c < k {
                            let o = c &* 8, pa = V(repeating: p[c])
                            a0 = a0.addingProduct(pa, load(q0 + o)); a1 = a1.addingProduct(pa, load(q1 + o))
                            a2 = a2.addingProduct(pa, load(q2 + o)); a3 = a3.addingProduct(pa, load(q3 + o))
                        }
                        visit(b0, a0 + c0); visit(b1, a1 + c1); visit(b2, a2 + c2); visit(b3, a3 + c3)
                    }
                    for b in 0..<blocks where promising(b) {
                        switch count {
                        case 0: pending.0 = b
                        case 1: pending.1 = b
                        case 2: pending.2 = b
                        default: pending.3 = b
                        }
                        count &+= 1
                        if count == 4 { score4(); count = 0 }
                    }
                    // Fewer than 4 left: one block at a time.
                    for b in [pending.0, pending.1, pending.2].prefix(count) {
                        let q0 = r + b &* stride
                        var a0 = V(), c0 = V(), c = 0
                        while c &+ 2 <= k {
                            a0 = a0.addingProduct(V(repeating: p[c]), load(q0 + c &* 8))
                            c0 = c0.addingProduct(V(repeating: p[c &+ 1]), load(q0 + (c &+ 1) &* 8))
                            c &+= 2
                        }
                        if c < k { a0 = a0.addingProduct(V(repeating: p[c]), load(q0 + c &* 8)) }
                        visit(b, a0 + c0)
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
