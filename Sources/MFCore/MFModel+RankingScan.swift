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
    ///   a_m[l] = Σ_{c ≡ m (mod 4)} p'[c]·h[B][c][l]   (FMAs, ascending c; m = 0…3)
    ///   s[l]   = (((a_0 + a_1) + (a_2 + a_3)) + base) + βb[l]
    /// exactly as `rankingScore(rotated:base:slot:)` computes it. Exact filters:
    /// 0. All remaining blocks at once (suffix maxima over blocks ≥ B): stop the scan when
    ///      base + max_{≥B} βb + ‖p'‖·max_{≥B} ‖h‖ < threshold
    /// 1. One block (Cauchy–Schwarz, before reading it; 8 blocks per SIMD compare):
    ///      s[l] ≤ base + max βb + ‖p'‖·max‖h‖
    /// 2. After stage j (dimensions c < e_j scored), per lane:
    ///      s[l] ≤ partial[l] + ‖p'[c ≥ e_j]‖·‖h_l[c ≥ e_j]‖
    ///    R puts most energy in the leading dimensions, so the tail term shrinks fast.
    ///    The block stops as soon as no lane's bound reaches the threshold.
    /// 3. Lanes of a completed block are offered only when they reach the threshold.
    /// Every bound adds slack for Float32 rounding: rel·‖p'‖·max‖h‖ with rel = (k+16)·1e-6
    /// (over 15× the worst-case relative error of the FMA dot, (k/4+3)·2⁻²⁴, and of the norms)
    /// and 1e-5·(1 + |base| + max|βb|) for the additions. A skipped lane's computed score is then
    /// strictly below the threshold, which only rises, so the heap never wanted it.
    func scanBlocks(_ p: UnsafePointer<Float>, base: Float, exclude: [Int32],
                    heap: inout TopKHeap, stats: inout RankingScanStats) {
        let stages = rankingStageEnds.count
        withUnsafeTemporaryAllocation(of: Int.self, capacity: stages) { eb in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: stages) { ptb in
        rankingBlocks.withUnsafeBufferPointer { rb in
        rankingBias.withUnsafeBufferPointer { bb in
        rankingTailNorms.withUnsafeBufferPointer { tb in
        rankingBounds.values.withUnsafeBufferPointer { xb in
        rankingItemOfSlot.withUnsafeBufferPointer { sb in
        exclude.withUnsafeBufferPointer { exb in
            for j in 0..<stages { eb[j] = rankingStageEnds[j] }
            var scanner = RankingScanner(
                p: p, base: base, k: factors, items: itemCount, capacity: rankingCapacity, stageEnds: eb.baseAddress!, stages: stages,
                pt: ptb.baseAddress!, blocks: rb.baseAddress!, bias: bb.baseAddress!, tailNorms: tb.baseAddress,
                bounds: xb.baseAddress!, itemOfSlot: sb.baseAddress!, exclude: exb)
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
