/// Work done by `topN`'s pruned scan, summed over calls (`mfbench latency` reports it per call).
public struct RankingScanStats: Sendable, Equatable {
    /// Scans run (calls with a user and no `include`).
    public var scans = 0
    /// Blocks of 8 slots in the catalogue, summed over scans.
    public var blocks = 0
    /// Blocks whose whole-block bound reached the threshold, so their first stage was scored.
    public var blocksScored = 0
    /// Blocks scored over all k dimensions.
    public var blocksCompleted = 0
    /// Σ over scored blocks of the dimensions scored (one SIMD8 FMA over 8 slots each).
    public var blockDims = 0
    public init() {}
}

extension MFModel {
    /// The pruned scan over the rotated blocks, for the rotated user p' = R·p_u
    /// (`factors` entries) and base = μ + b_u. Slot l of block B scores
    ///   s[l] = ((even[l] + odd[l]) + base) + βb[l],   even/odd = Σ_{c even/odd} p'[c]·h[B][c][l]
    /// exactly as `rankingScore(rotated:base:slot:)` computes it. Three exact filters:
    /// 1. Whole block (Cauchy–Schwarz, before reading it; 8 blocks per SIMD compare):
    ///      s[l] ≤ base + max βb + ‖p'‖·max‖h‖
    /// 2. After stage j (dimensions c < e_j scored), per lane:
    ///      s[l] ≤ partial[l] + ‖p'[c ≥ e_j]‖·‖h_l[c ≥ e_j]‖
    ///    R puts most energy in the leading dimensions, so the tail term is small.
    ///    A block continues only when some lane's bound reaches the threshold.
    /// 3. Lanes of a completed block are offered only when they reach the threshold.
    /// Every bound adds slack for Float32 rounding: rel·‖p'‖·‖h‖ with rel = (k+16)·1e-6
    /// (over 15× the worst-case relative error of the k-term FMA dot, (k/2+2)·2⁻²⁴)
    /// and 1e-5·(1 + |base| + max|βb|) for the two additions. Skipped lanes' computed scores are
    /// then strictly below the threshold, which only rises, so the heap never wanted them.
    /// Surviving blocks wait in one queue per stage and are scored 4 at a time (8 FMA chains
    /// share each broadcast of p'[c]).
    func scanBlocks(_ p: UnsafePointer<Float>, base: Float, exclude: [Int32],
                    heap: inout TopKHeap, stats: inout RankingScanStats) {
        let stages = rankingStageEnds.count
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * stages) { ib in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: stages) { ptb in
        withUnsafeTemporaryAllocation(of: RankingScanner.Pending.self, capacity: RankingScanner.queueCapacity(stages) * stages) { qb in
        rankingBlocks.withUnsafeBufferPointer { rb in
        rankingBias.withUnsafeBufferPointer { bb in
        rankingNorms.withUnsafeBufferPointer { nb in
        rankingTailNorms.withUnsafeBufferPointer { tb in
        blockMaxBias.withUnsafeBufferPointer { mbb in
        blockMaxNorm.withUnsafeBufferPointer { mnb in
        blockMaxAbsBias.withUnsafeBufferPointer { mab in
        rankingItemOfSlot.withUnsafeBufferPointer { sb in
        exclude.withUnsafeBufferPointer { eb in
            for j in 0..<stages { ib[j] = rankingStageEnds[j] }
            var scanner = RankingScanner(
                p: p, base: base, k: factors, items: itemCount, stageEnds: ib.baseAddress!, stages: stages,
                blocks: rb.baseAddress!, bias: bb.baseAddress!, norms: nb.baseAddress!, tailNorms: tb.baseAddress,
                maxBias: mbb.baseAddress!, maxNorm: mnb.baseAddress!, maxAbsBias: mab.baseAddress!,
                itemOfSlot: sb.baseAddress!, exclude: eb,
                counts: ib.baseAddress! + stages, pt: ptb.baseAddress!, queue: qb.baseAddress!)
            scanner.scan(heap: &heap)
            stats.scans &+= 1; stats.blocks &+= scanner.blockCount
            stats.blocksScored &+= scanner.scored; stats.blocksCompleted &+= scanner.completed; stats.blockDims &+= scanner.dims
        }
        }
        }
        }
        }
        }
        }
        }
        }
        }
        }
        }
    }
}
