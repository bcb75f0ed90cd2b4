/// One rated item's part in a recommendation's score.
public struct Contribution: Sendable, Equatable {
    /// Dense index of the rated item.
    public var item: Int32
    /// Its part of the explained score (the item's own score term, not counting biases).
    public var score: Float
    /// `score` over the sum of the positive contributions, in (0, 1].
    public var share: Float
}

extension FoldIn {
    /// Which rated items made each target score high, the way `implicit`'s
    /// ALS `explain` does it: the row solve gives
    ///   p_u = A⁻¹ Σ_j x_j r̃_j,  A = Σ_j x_j x_jᵀ + Λ (+ w·YᵀY),  x_j = [q_j; 1],  r̃_j = r_uj − μ − b_j,
    /// so target i's factor score x̃_iᵀ p_u (x̃_i = [q_i; 0]) splits exactly into
    ///   c_j = (A⁻¹ x̃_i)ᵀ x_j · r̃_j.
    /// Returns, per target, the `top` largest positive c_j with their share of Σ c_j⁺.
    /// A is factored once (O(n k² + k³)); each target costs O(k² + n k).
    /// - Throws: like `user(items:ratings:)` for bad indices or values.
    public func explain(targets: [Int32], items: [Int32], ratings: [Float], top: Int = 3) throws -> [[Contribution]] {
        try Self.check(items, ratings, count: model.itemCount, field: "items")
        if let f = model.solver.implicitALS { return explainImplicit(f, targets: targets, items: items, ratings: ratings, top: top) }
        let k = model.factors, d = k + 1, m = model
        let (lam, lamB) = m.solver.penalties(count: items.count)
        var a = [Float](repeating: 0, count: d * d)
        if !userGram.isEmpty {
            for r in 0..<k { for c in r..<k { a[r * d + c] = userGram[r * ds + c] } }
        }
        var resid = [Float](repeating: 0, count: items.count)
        for (j, i) in items.enumerated() {
            let q = Int(i) * k
            for r in 0..<k {
                let qr = m.itemFactors[q + r]
                for c in r..<k { a[r * d + c] += qr * m.itemFactors[q + c] }
                a[r * d + k] += qr
            }
            a[k * d + k] += 1
            resid[j] = ratings[j] - m.globalMean - m.itemBias[Int(i)]
        }
        for r in 0..<k { a[r * d + r] += lam }
        a[k * d + k] += max(lamB, 1e-6)
        guard Self.cholesky(&a, d) else { return targets.map { _ in [] } }
        return targets.map { t in
            var w = [Float](repeating: 0, count: d)
            for r in 0..<k { w[r] = m.itemFactors[Int(t) * k + r] }
            Self.solve(a, d, &w)
            var parts: [Contribution] = []
            var total: Float = 0
            for (j, i) in items.enumerated() {
                var s = w[k]
                for r in 0..<k { s += w[r] * m.itemFactors[Int(i) * k + r] }
                let c = s * resid[j]
                if c > 0, c.isFinite { total += c; parts.append(Contribution(item: i, score: c, share: 0)) }
            }
            guard total > 0 else { return [] }
            parts.sort { $0.score != $1.score ? $0.score > $1.score : $0.item < $1.item }
            return parts.prefix(top).map { var p = $0; p.share = p.score / total; return p }
        }
    }

    /// In-place upper Cholesky of a d×d SPD matrix (upper triangle used): A = UᵀU.
    static func cholesky(_ a: inout [Float], _ d: Int) -> Bool {
        for i in 0..<d {
            var piv = a[i * d + i]
            for p in 0..<i { piv -= a[p * d + i] * a[p * d + i] }
            guard piv > 0, piv.isFinite else { return false }
            let r = piv.squareRoot()
            a[i * d + i] = r
            for j in (i + 1)..<max(d, i + 1) {
                var v = a[i * d + j]
                for p in 0..<i { v -= a[p * d + i] * a[p * d + j] }
                a[i * d + j] = v / r
            }
        }
        return true
    }

    /// Solves UᵀU x = b in place with U from `cholesky`.
    static func solve(_ u: [Float], _ d: Int, _ b: inout [Float]) {
        for i in 0..<d {
            var v = b[i]
            for p in 0..<i { v -= u[p * d + i] * b[p] }
            b[i] = v / u[i * d + i]
        }
        for i in stride(from: d - 1, through: 0, by: -1) {
            var v = b[i]
            for p in (i + 1)..<max(d, i + 1) { v -= u[i * d + p] * b[p] }
            b[i] = v / u[i * d + i]
        }
    }
}
