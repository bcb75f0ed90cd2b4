/// Building and updating the derived ranking layout that `topN` scans.
extension MFModel {
    /// Where the scan stops to bound the rest: 8, 16, 32, … below k, then k.
    /// (k ≤ 8: one stage, no partial bound.)
    static func rankingStageEnds(k: Int) -> [Int] {
        var ends: [Int] = [], d = 8
        while d < k { ends.append(d); d *= 2 }
        return ends + [k]
    }

    /// Refits the rotation and recomputes the ranking blocks, the slot order and
    /// `itemNorms` for every item. `stageEnds` (ascending multiples of 4, then k)
    /// overrides the default stages (tests use it to exercise many stages).
    mutating func rebuildDerived(stageEnds: [Int]? = nil) {
        let n = itemCount, k = factors
        // Order slots by each item's bound at the mean user norm; ties by index (deterministic).
        var meanUserNorm: Float = 0
        if userCount > 0 {
            for u in 0..<userCount { meanUserNorm += norm(userFactors[(u * k)..<((u + 1) * k)]) }
            meanUserNorm /= Float(userCount)
        }
        let key = (0..<n).map { ranking.itemBiasWeight * itemBias[$0] + meanUserNorm * norm(rankingRow($0)) }
        let order = (0..<n).sorted { key[$0] > key[$1] || (key[$0] == key[$1] && $0 < $1) }
        rankingItemOfSlot = order.map { Int32($0) }
        rankingSlotOfItem = [Int32](repeating: 0, count: n)
        for (s, i) in order.enumerated() { rankingSlotOfItem[i] = Int32(s) }
        let model = self  // the closures below must not capture a mutating self
        rankingRotation = RankingRotation.fit(k: k, sources: [
            (n, model.rankingRow),
            (userCount, { Array(model.userFactors[($0 * k)..<(($0 + 1) * k)]) }),
        ])
        rankingStageEnds = stageEnds ?? Self.rankingStageEnds(k: k)
        precondition(rankingStageEnds.last == k && zip([0] + rankingStageEnds, rankingStageEnds.dropLast()).allSatisfy { $1 > $0 && $1 % 4 == 0 },
                     "stage ends must be ascending multiples of 4 and end at k")
        let blocks = (n + 7) / 8
        rankingCapacity = blocks
        rankingBlocks = [Float16](repeating: 0, count: blocks * k * 8)
        rankingTailNorms = [Float](repeating: 0, count: blocks * (rankingStageEnds.count - 1) * 8)
        rankingBias = [Float](repeating: -.infinity, count: blocks * 8)
        rankingNorms = [Float](repeating: 0, count: blocks * 8)
        rankingBounds = RankingBlockBounds(blocks: blocks)
        itemNorms = [Float](repeating: 0, count: n)
        for i in 0..<n { updateDerived(item: i, suffix: false) }
        rankingBounds.refreshSuffix(from: rankingBounds.capacity - 1, full: true)
    }

    /// Recomputes the derived rows of item `i` and its block's bounds (O(k²) for the
    /// rotation, O(blocks) at worst for the suffix maxima unless `suffix` is false).
    /// An item beyond the slot table (just appended) takes the next slot.
    mutating func updateDerived(item i: Int, suffix: Bool = true) {
        let k = factors, tails = rankingStageEnds.count - 1
        if i >= rankingSlotOfItem.count {
            let s = rankingItemOfSlot.count
            rankingItemOfSlot.append(Int32(i)); rankingSlotOfItem.append(Int32(s))
            if rankingBias.count < (s / 8 + 1) * 8 {
                if s / 8 >= rankingCapacity { growRankingBlocks(to: max(8, s / 8 + 1, rankingCapacity + rankingCapacity / 4)) }
                rankingTailNorms.append(contentsOf: [Float](repeating: 0, count: tails * 8))
                rankingBias.append(contentsOf: [Float](repeating: -.infinity, count: 8))
                rankingNorms.append(contentsOf: [Float](repeating: 0, count: 8))
            }
            rankingBounds.reserve(blocks: s / 8 + 1)
        }
        let s = Int(rankingSlotOfItem[i]), b = s / 8, lane = s % 8
        var r = rankingRow(i), h = [Float](repeating: 0, count: rankingRotation.stride)
        r.withUnsafeMutableBufferPointer { rb in
            h.withUnsafeMutableBufferPointer { rankingRotation.apply(rb.baseAddress!, into: $0.baseAddress!) }
        }
        // Squares of the stored (Float16) components; suffix sums give the tail norms.
        var sq = [Float](repeating: 0, count: k + 1)
        for c in 0..<k {
            let v = Float16(h[c])
            rankingBlocks[rankingIndex(slot: s, dim: c)] = v
            sq[c] = Float(v) * Float(v)
        }
        for c in stride(from: k - 1, through: 0, by: -1) { sq[c] += sq[c + 1] }
        for j in 0..<tails { rankingTailNorms[(b * tails + j) * 8 + lane] = sq[rankingStageEnds[j]].squareRoot() }
        rankingBias[s] = ranking.itemBiasWeight * itemBias[i]
        rankingNorms[s] = sq[0].squareRoot()
        // The bound must cover every lane, so a changed item recomputes its block's maxima.
        rankingBounds.set(block: b, norms: rankingNorms[(b * 8)..<(b * 8 + 8)], biases: rankingBias[(b * 8)..<(b * 8 + 8)], suffix: suffix)
        itemNorms[i] = norm(itemFactors[(i * k)..<((i + 1) * k)])
    }

    /// The two regions of `rankingBlocks`: the first stage's dimensions, then the rest.
    var rankingRegionEnds: [Int] { rankingStageEnds.count > 1 ? [rankingStageEnds[0], factors] : [factors] }

    /// Index in `rankingBlocks` of component c of the item in slot s.
    /// (No array: it runs k times per item update.)
    func rankingIndex(slot s: Int, dim c: Int) -> Int {
        precondition(c < factors, "dimension \(c) beyond k")
        let first = rankingStageEnds.count > 1 ? rankingStageEnds[0] : factors
        let (lo, e) = c < first ? (0, first) : (first, factors)
        return 8 * (rankingCapacity * lo + (s / 8) * (e - lo) + (c - lo)) + s % 8
    }

    /// Re-lays `rankingBlocks` out for room for `capacity` blocks (each region grows).
    private mutating func growRankingBlocks(to capacity: Int) {
        var grown = [Float16](repeating: 0, count: capacity * factors * 8)
        var lo = 0
        for e in rankingRegionEnds {
            let old = 8 * rankingCapacity * lo, new = 8 * capacity * lo, count = 8 * rankingCapacity * (e - lo)
            grown.replaceSubrange(new..<(new + count), with: rankingBlocks[old..<(old + count)])
            lo = e
        }
        rankingBlocks = grown
        rankingCapacity = capacity
    }

    /// r_i = q_i + γ·y_i in Float32 (before rotation and Float16 rounding).
    func rankingRow(_ i: Int) -> [Float] {
        let k = factors, g = ranking.implicitWeight
        return (0..<k).map { c in
            let q = itemFactors[i * k + c]
            return hasImplicitFactors ? q + g * implicitItemFactors[i * k + c] : q
        }
    }

    private func norm<C: Collection>(_ v: C) -> Float where C.Element == Float {
        v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// r_i = q_i + γ·y_i (Float32), the vector `topN` ranks item `i` by (it scores
    /// the rotated, Float16-rounded copy `storedRankingVector`).
    public func rankingVector(_ i: Int32) -> [Float] { rankingRow(Int(i)) }

    /// h_i = R·r_i as stored (Float16-rounded): exactly what `topN` scores item `i` with.
    func storedRankingVector(_ i: Int32) -> [Float] {
        let s = Int(rankingSlotOfItem[Int(i)])
        return (0..<factors).map { Float(rankingBlocks[rankingIndex(slot: s, dim: $0)]) }
    }
}
