extension FoldIn {
    /// `explain` for implicit-ALS models, as `implicit`'s ALS `explain`: the
    /// exact row solve x_u = A⁻¹ Σ_j (1 + α s_j) y_j with
    /// A = YᵀY + λI + Σ_j α s_j y_j y_jᵀ (j over interactions, s_j = strength),
    /// so target i's score y_iᵀ x_u splits into c_j = (A⁻¹ y_i)ᵀ y_j · (1 + α s_j).
    func explainImplicit(_ f: ImplicitFeedback, targets: [Int32], items: [Int32], ratings: [Float], top: Int) -> [[Contribution]] {
        let k = model.factors, ks = (k + 7) & ~7, y = model.itemFactors
        var a = [Float](repeating: 0, count: k * k)
        for r in 0..<k { for c in r..<k { a[r * k + c] = implicitUserGram[r * ks + c] } }
        var used: [(item: Int32, weight: Float)] = []
        for (j, i) in items.enumerated() {
            guard let s = f.strength(ratings[j]) else { continue }
            let q = Int(i) * k, cw = f.alpha * s
            for r in 0..<k { for c in r..<k { a[r * k + c] += cw * y[q + r] * y[q + c] } }
            used.append((i, 1 + cw))
        }
        guard !used.isEmpty, Self.cholesky(&a, k) else { return targets.map { _ in [] } }
        return targets.map { t in
            var w = Array(y[Int(t) * k ..< (Int(t) + 1) * k])
            Self.solve(a, k, &w)
            var parts: [Contribution] = [], total: Float = 0
            for (i, weight) in used {
                var s: Float = 0
                for r in 0..<k { s += w[r] * y[Int(i) * k + r] }
                let c = s * weight
                if c > 0, c.isFinite { total += c; parts.append(Contribution(item: i, score: c, share: 0)) }
            }
            guard total > 0 else { return [] }
            parts.sort { $0.score != $1.score ? $0.score > $1.score : $0.item < $1.item }
            return parts.prefix(top).map { var p = $0; p.share = p.score / total; return p }
        }
    }
}
