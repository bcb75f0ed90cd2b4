/// Per-block maxima over the 8 slots of each ranking block, for `topN`'s whole-block bound
///   s(u,i) ≤ μ + b_u + maxBias + ‖p'‖·maxNorm   (Cauchy–Schwarz; maxAbsBias sizes the rounding slack)
/// and their suffix maxima over blocks ≥ b, which bound every remaining block at once so
/// the scan can stop early (slots are ordered by a similar bound).
///
/// Stored in groups of 8 blocks, `[group][plane][8]`, so one SIMD load reads a plane for 8
/// blocks; blocks past the last are padding (norms 0, biases −∞).
struct RankingBlockBounds: Sendable, Equatable {
    enum Plane: Int, CaseIterable { case maxNorm, maxBias, maxAbsBias, suffixNorm, suffixBias, suffixAbsBias }
    static let planes = Plane.allCases.count
    private(set) var values: [Float] = []

    init(blocks: Int = 0) { reserve(blocks: blocks) }

    /// Blocks the storage holds (a multiple of 8).
    var capacity: Int { values.count / Self.planes }

    @inline(__always) static func index(_ plane: Plane, _ b: Int) -> Int { ((b / 8) * planes + plane.rawValue) * 8 + b % 8 }

    subscript(_ plane: Plane, _ b: Int) -> Float {
        get { values[Self.index(plane, b)] }
        set { values[Self.index(plane, b)] = newValue }
    }

    /// Grows the storage to hold at least `blocks` blocks.
    mutating func reserve(blocks: Int) {
        while capacity < blocks {
            for plane in Plane.allCases {
                let empty: Float = plane == .maxBias || plane == .suffixBias ? -.infinity : 0
                values += [Float](repeating: empty, count: 8)
            }
        }
    }

    /// Sets block `b`'s maxima from its lanes' norms and biases (padding lanes: norm 0, bias −∞);
    /// with `suffix`, refreshes the suffix maxima of blocks ≤ b.
    mutating func set(block b: Int, norms: ArraySlice<Float>, biases: ArraySlice<Float>, suffix: Bool = true) {
        self[.maxNorm, b] = norms.max()!
        self[.maxBias, b] = biases.max()!
        self[.maxAbsBias, b] = biases.filter(\.isFinite).map(abs).max() ?? 0
        if suffix { refreshSuffix(from: b) }
    }

    /// suffix[b'] = max(own[b'], suffix[b'+1]) for b' = from, from−1, …; stops once a
    /// suffix no longer changes (earlier ones then cannot) unless `full`.
    mutating func refreshSuffix(from: Int, full: Bool = false) {
        var b = from
        while b >= 0 {
            let last = b + 1 >= capacity
            let n = max(self[.maxNorm, b], last ? 0 : self[.suffixNorm, b + 1])
            let s = max(self[.maxBias, b], last ? -.infinity : self[.suffixBias, b + 1])
            let a = max(self[.maxAbsBias, b], last ? 0 : self[.suffixAbsBias, b + 1])
            if !full && b < from && n == self[.suffixNorm, b] && s == self[.suffixBias, b] && a == self[.suffixAbsBias, b] { return }
            self[.suffixNorm, b] = n; self[.suffixBias, b] = s; self[.suffixAbsBias, b] = a
            b -= 1
        }
    }
}
