/// One call's pruned scan (see `MFModel.scanBlocks` for the bounds): raw pointers into
/// the model's ranking arrays, per-stage queues and counters. A struct with mutating
/// methods instead of closures over local variables keeps the hot loop free of
/// captured-variable boxes and dynamic exclusivity checks.
struct RankingScanner {
    typealias V = SIMD8<Float>

    /// A block between stages: its index and its two partial dot products (even / odd c).
    struct Pending {
        var block: Int
        var even: V
        var odd: V
    }

    /// Queue j holds < 4 blocks between runs; a run adds ≤ 4 to queue j+1, and the final
    /// flush at most 3 more per earlier stage.
    static func queueCapacity(_ stages: Int) -> Int { 4 + 3 * stages }

    let p: UnsafePointer<Float>
    let base0: Float, base: V
    let k: Int, items: Int, blockCount: Int, stages: Int, tails: Int, capacity: Int
    let ends: UnsafePointer<Int>
    let r: UnsafePointer<Float16>
    let bias: UnsafePointer<Float>, norms: UnsafePointer<Float>, tailNorms: UnsafePointer<Float>?
    let maxBias: UnsafePointer<Float>, maxNorm: UnsafePointer<Float>, maxAbsBias: UnsafePointer<Float>
    let itemOfSlot: UnsafePointer<Int32>
    let exclude: UnsafeBufferPointer<Int32>
    let counts: UnsafeMutablePointer<Int>
    /// pt[j] = ‖p'[c ≥ ends[j−1]]‖; pt[0] = ‖p'‖.
    let pt: UnsafeMutablePointer<Float>
    let queue: UnsafeMutablePointer<Pending>
    /// Relative slack (k+16)·1e-6 and absolute slack 1e-5·(1 + |base|).
    let rel: Float, absSlack: Float
    var thr: Float = -.infinity
    var scored = 0, completed = 0, dims = 0

    init(p: UnsafePointer<Float>, base: Float, k: Int, items: Int, stageEnds: UnsafePointer<Int>, stages: Int,
         blocks: UnsafePointer<Float16>, bias: UnsafePointer<Float>, norms: UnsafePointer<Float>, tailNorms: UnsafePointer<Float>?,
         maxBias: UnsafePointer<Float>, maxNorm: UnsafePointer<Float>, maxAbsBias: UnsafePointer<Float>,
         itemOfSlot: UnsafePointer<Int32>, exclude: UnsafeBufferPointer<Int32>,
         counts: UnsafeMutablePointer<Int>, pt: UnsafeMutablePointer<Float>, queue: UnsafeMutablePointer<Pending>) {
        self.p = p; self.base0 = base; self.base = V(repeating: base)
        self.k = k; self.items = items; self.blockCount = (items + 7) / 8
        self.stages = stages; self.tails = stages - 1; self.capacity = Self.queueCapacity(stages)
        self.ends = stageEnds; self.r = blocks; self.bias = bias; self.norms = norms; self.tailNorms = tailNorms
        self.maxBias = maxBias; self.maxNorm = maxNorm; self.maxAbsBias = maxAbsBias
        self.itemOfSlot = itemOfSlot; self.exclude = exclude
        self.counts = counts; self.pt = pt; self.queue = queue
        self.rel = Float(k + 16) * 1e-6; self.absSlack = 1e-5 * (1 + abs(base))
        counts.initialize(repeating: 0, count: stages)
        // Suffix sums of squares of p' give the tail norms.
        var acc: Float = 0, c = k - 1
        for j in (0..<stages).reversed() {
            let from = j == 0 ? 0 : stageEnds[j - 1]
            while c >= from { acc = acc.addingProduct(p[c], p[c]); c -= 1 }
            pt[j] = acc.squareRoot()
        }
    }

    @inline(__always) func load(_ x: UnsafePointer<Float16>) -> V {
        V(UnsafeRawPointer(x).loadUnaligned(as: SIMD8<Float16>.self))  // vcvtph2ps
    }

    mutating func scan(heap: inout TopKHeap) {
        thr = heap.threshold
        // Filter 1, 8 blocks per compare (the block arrays are padded to a multiple of 8).
        let pnRel = V(repeating: pt[0] * (1 + rel)), slack = V(repeating: absSlack)
        var b = 0
        while b < blockCount {
            let bound = (base + Kernels.load(maxBias + b)) + pnRel * Kernels.load(maxNorm + b)
                + slack + V(repeating: 1e-5) * Kernels.load(maxAbsBias + b)
            if any(bound .>= V(repeating: thr)) {
                for l in 0..<min(8, blockCount &- b) where bound[l] >= thr {
                    scored &+= 1
                    push(0, Pending(block: b &+ l, even: V(), odd: V()))
                    if counts[0] == 4 {
                        for j in 0..<stages { while counts[j] >= 4 { run(j, heap: &heap) } }
                    }
                }
            }
            b &+= 8
        }
        for j in 0..<stages { while counts[j] > 0 { run(j, heap: &heap) } }
    }

    @inline(__always) func push(_ j: Int, _ e: Pending) {
        (queue + (j &* capacity &+ counts[j])).initialize(to: e)
        counts[j] &+= 1
    }

    /// Scores dimensions [ends[j−1], ends[j]) of the last ≤ 4 blocks of queue j (fewer than 4
    /// repeat the first; extra results are dropped), then passes each on:
    ///   even += p'[c]·h[c] (c even),  odd += p'[c]·h[c] (c odd)
    mutating func run(_ j: Int, heap: inout TopKHeap) {
        let count = min(counts[j], 4)
        counts[j] &-= count
        let q = queue + (j &* capacity &+ counts[j])
        var e0 = q[0], e1 = count > 1 ? q[1] : q[0], e2 = count > 2 ? q[2] : q[0], e3 = count > 3 ? q[3] : q[0]
        let lo = j == 0 ? 0 : ends[j &- 1], hi = ends[j], stride = k &* 8
        let r0 = r + e0.block &* stride, r1 = r + e1.block &* stride
        let r2 = r + e2.block &* stride, r3 = r + e3.block &* stride
        var c = lo
        while c &+ 2 <= hi {
            let o = c &* 8, pa = V(repeating: p[c]), pb = V(repeating: p[c &+ 1])
            e0.even = e0.even.addingProduct(pa, load(r0 + o)); e0.odd = e0.odd.addingProduct(pb, load(r0 + (o &+ 8)))
            e1.even = e1.even.addingProduct(pa, load(r1 + o)); e1.odd = e1.odd.addingProduct(pb, load(r1 + (o &+ 8)))
            e2.even = e2.even.addingProduct(pa, load(r2 + o)); e2.odd = e2.odd.addingProduct(pb, load(r2 + (o &+ 8)))
            e3.even = e3.even.addingProduct(pa, load(r3 + o)); e3.odd = e3.odd.addingProduct(pb, load(r3 + (o &+ 8)))
            c &+= 2
        }
        if c < hi {  // odd k: the last dimension is even
            let o = c &* 8, pa = V(repeating: p[c])
            e0.even = e0.even.addingProduct(pa, load(r0 + o)); e1.even = e1.even.addingProduct(pa, load(r1 + o))
            e2.even = e2.even.addingProduct(pa, load(r2 + o)); e3.even = e3.even.addingProduct(pa, load(r3 + o))
        }
        dims &+= (hi &- lo) &* count
        pass(e0, j, heap: &heap)
        if count > 1 { pass(e1, j, heap: &heap) }
        if count > 2 { pass(e2, j, heap: &heap) }
        if count > 3 { pass(e3, j, heap: &heap) }
    }

    @inline(__always) mutating func pass(_ e: Pending, _ j: Int, heap: inout TopKHeap) {
        if j == tails {
            completed &+= 1
            visit(e.block, e.even + e.odd, heap: &heap)
        } else if mayReach(e, j) {
            push(j &+ 1, e)
        }
    }

    /// Filter 2 after stage j < stages−1, per lane:
    ///   partial + ‖p'_tail‖·‖h_tail‖ + rel·‖p'‖·‖h‖ + absSlack + 1e-5·max|βb|  ≥ threshold
    @inline(__always) func mayReach(_ e: Pending, _ j: Int) -> Bool {
        let s = (e.even + e.odd) + base + Kernels.load(bias + e.block &* 8)
        let bound = s + V(repeating: pt[j &+ 1]) * Kernels.load(tailNorms! + (e.block &* tails &+ j) &* 8)
            + V(repeating: rel * pt[0]) * Kernels.load(norms + e.block &* 8)
            + V(repeating: absSlack + 1e-5 * maxAbsBias[e.block])
        return any(bound .>= V(repeating: thr))
    }

    /// Offers the lanes of a completed block that reach the threshold (rare once the heap is full).
    @inline(__always) mutating func visit(_ b: Int, _ acc: V, heap: inout TopKHeap) {
        let s = acc + base + Kernels.load(bias + b &* 8)
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
