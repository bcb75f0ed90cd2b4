/// One call's pruned scan (the bounds are in `MFModel.scanBlocks`): raw pointers into the
/// model's ranking arrays and counters. A struct with mutating methods instead of closures
/// over local variables keeps the hot loop free of captured-variable boxes and dynamic
/// exclusivity checks.
///
/// Blocks are scored one at a time, stage by stage, with four independent FMA chains (one
/// per c mod 4), enough to hide the FMA latency; measured, batching blocks across stages
/// (queues, or all 8 blocks of a group per stage) cost more in bookkeeping than it saved.
struct RankingScanner {
    typealias V = SIMD8<Float>
    typealias Plane = RankingBlockBounds.Plane

    let p: UnsafePointer<Float>
    let base0: Float, base: V
    let k: Int, items: Int, blockCount: Int, stages: Int, tails: Int, capacity: Int
    let ends: UnsafePointer<Int>
    /// pt[j] = ‖p'[c ≥ ends[j−1]]‖; pt[0] = ‖p'‖.
    let pt: UnsafePointer<Float>
    let r: UnsafePointer<Float16>
    let bias: UnsafePointer<Float>, tailNorms: UnsafePointer<Float>?, bounds: UnsafePointer<Float>
    let itemOfSlot: UnsafePointer<Int32>
    let exclude: UnsafeBufferPointer<Int32>
    /// Relative slack (k+16)·1e-6 and absolute slack 1e-5·(1 + |base|).
    let rel: Float, absSlack: Float
    var thr: Float = -.infinity
    var scored = 0, completed = 0, dims = 0

    init(p: UnsafePointer<Float>, base: Float, k: Int, items: Int, capacity: Int, stageEnds: UnsafePointer<Int>, stages: Int,
         pt: UnsafeMutablePointer<Float>, blocks: UnsafePointer<Float16>, bias: UnsafePointer<Float>,
         tailNorms: UnsafePointer<Float>?, bounds: UnsafePointer<Float>,
         itemOfSlot: UnsafePointer<Int32>, exclude: UnsafeBufferPointer<Int32>) {
        self.p = p; self.base0 = base; self.base = V(repeating: base)
        self.k = k; self.items = items; self.blockCount = (items + 7) / 8; self.capacity = capacity
        self.stages = stages; self.tails = stages - 1; self.ends = stageEnds
        self.r = blocks; self.bias = bias; self.tailNorms = tailNorms; self.bounds = bounds
        self.itemOfSlot = itemOfSlot; self.exclude = exclude
        self.rel = Float(k + 16) * 1e-6; self.absSlack = 1e-5 * (1 + abs(base))
        // Suffix sums of squares of p' give the tail norms.
        var acc: Float = 0, c = k - 1
        for j in (0..<stages).reversed() {
            let from = j == 0 ? 0 : stageEnds[j - 1]
            while c >= from { acc = acc.addingProduct(p[c], p[c]); c -= 1 }
            pt[j] = acc.squareRoot()
        }
        self.pt = UnsafePointer(pt)
    }

    @inline(__always) func load(_ x: UnsafePointer<Float16>) -> V {
        V(UnsafeRawPointer(x).loadUnaligned(as: SIMD8<Float16>.self))  // vcvtph2ps
    }

    /// Plane `q` of the 8 blocks starting at `g` (a multiple of 8).
    @inline(__always) func plane(_ q: Plane, _ g: Int) -> V {
        Kernels.load(bounds + (g &* RankingBlockBounds.planes &+ q.rawValue &* 8))
    }

    /// Plane `q` of block b.
    @inline(__always) func bound(_ q: Plane, _ b: Int) -> Float {
        bounds[(b >> 3) &* RankingBlockBounds.planes &* 8 &+ q.rawValue &* 8 &+ (b & 7)]
    }

    mutating func scan(heap: inout TopKHeap) {
        thr = heap.threshold
        let pnRel = pt[0] * (1 + rel)
        var g = 0
        while g < blockCount {
            // Filter 0: every block from g on.
            let rest = base0 + bound(.suffixBias, g) + pnRel * bound(.suffixNorm, g) + absSlack + 1e-5 * bound(.suffixAbsBias, g)
            if rest < thr { break }
            // Filter 1: blocks g..<g+8.
            let bound = (base + plane(.maxBias, g)) + V(repeating: pnRel) * plane(.maxNorm, g)
                + V(repeating: absSlack) + V(repeating: 1e-5) * plane(.maxAbsBias, g)
            if any(bound .>= V(repeating: thr)) {
                for l in 0..<min(8, blockCount &- g) where bound[l] >= thr { score(g &+ l, heap: &heap) }
            }
            g &+= 8
        }
    }

    /// Scores block b stage by stage, a_m += p'[c]·h[c] for c ≡ m (mod 4), stopping after the
    /// first stage where no lane can reach the threshold (filter 2); offers at the end.
    /// Block b's first stage is at 8·b·e_0, its other dimensions c at 8·(capacity·e_0 + b·(k − e_0) + c − e_0).
    @inline(__always) mutating func score(_ b: Int, heap: inout TopKHeap) {
        scored &+= 1
        let bl = Kernels.load(bias + b &* 8)
        var a0 = V(), a1 = V(), a2 = V(), a3 = V()
        var lo = 0
        let e0 = ends[0]
        for j in 0..<stages {
            let hi = ends[j], w = hi &- lo
            let h = r + (j == 0 ? b &* w : capacity &* e0 &+ b &* (k &- e0) &+ (lo &- e0)) &* 8, q = p + lo
            var c = 0
            while c &+ 4 <= w {
                let o = c &* 8
                a0 = a0.addingProduct(V(repeating: q[c]), load(h + o))
                a1 = a1.addingProduct(V(repeating: q[c &+ 1]), load(h + (o &+ 8)))
                a2 = a2.addingProduct(V(repeating: q[c &+ 2]), load(h + (o &+ 16)))
                a3 = a3.addingProduct(V(repeating: q[c &+ 3]), load(h + (o &+ 24)))
                c &+= 4
            }
            if c < w {  // k not a multiple of 4: the last 1–3 dimensions go to chains 0–2
                a0 = a0.addingProduct(V(repeating: q[c]), load(h + c &* 8))
                if c &+ 1 < w { a1 = a1.addingProduct(V(repeating: q[c &+ 1]), load(h + (c &+ 1) &* 8)) }
                if c &+ 2 < w { a2 = a2.addingProduct(V(repeating: q[c &+ 2]), load(h + (c &+ 2) &* 8)) }
            }
            let s = (((a0 + a1) + (a2 + a3)) + base) + bl
            if j == tails {
                dims &+= k; completed &+= 1
                visit(b, s, heap: &heap)
                return
            }
            if !mayReach(b, s, j) { dims &+= hi; return }
            lo = hi
        }
    }

    /// Filter 2 after stage j < stages−1, per lane:
    ///   partial + ‖p'[c ≥ e_j]‖·‖h_l[c ≥ e_j]‖ + rel·‖p'‖·max‖h‖ + absSlack + 1e-5·max|βb| ≥ threshold
    @inline(__always) func mayReach(_ b: Int, _ s: V, _ j: Int) -> Bool {
        let slack = absSlack + 1e-5 * bound(.maxAbsBias, b) + rel * pt[0] * bound(.maxNorm, b)
        let bound = s + V(repeating: pt[j &+ 1]) * Kernels.load(tailNorms! + (b &* tails &+ j) &* 8) + V(repeating: slack)
        return any(bound .>= V(repeating: thr))
    }

    /// Offers the lanes of a completed block that reach the threshold (rare once the heap is full).
    @inline(__always) mutating func visit(_ b: Int, _ s: V, heap: inout TopKHeap) {
        guard any(s .>= V(repeating: thr)) else { return }
        for l in 0..<8 {
            let slot = b &* 8 &+ l
            guard slot < items, s[l] >= thr else { continue }
            let item = itemOfSlot[slot]
            if excluded(item) { continue }
            heap.offer(ScoredItem(item: item, score: s[l]))
            thr = heap.threshold
        }
    }

    /// Binary search in the ascending exclude list.
    @inline(__always) func excluded(_ x: Int32) -> Bool {
        var lo = 0, hi = exclude.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if exclude[mid] < x { lo = mid &+ 1 } else { hi = mid }
        }
        return lo < exclude.count && exclude[lo] == x
    }
}
