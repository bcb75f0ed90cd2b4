/// Cold-start priors of an attribute block, fitted once after training.
///
/// A row with attributes and no ratings used to be solved around the zero
/// vector with bias 0. That ranks a new user by the noisy β·b_i of obscure
/// items and predicts a new item at μ + b_u. Instead the row's ridge prior is
/// the *typical trained row*, and its bias is regressed on its attributes:
///
///     p̄   = Σ_r n_r a_r / Σ_r n_r                      (rating-weighted mean row)
///     p   = p̄ + argmin_δ w Σ_j (u_j − c_j·p̄ − c_j·δ)² + λ‖δ‖²
///     b̂   = β₀ + Σ_j β_j u_j,   β = argmin Σ_r n_r (b_r − β₀ − Σ_j β_j u_rj)² + λ_β‖β_(1…)‖²
///
/// Weighting by the rating count n_r estimates the row a *rating* comes from
/// (rated items are better than the average catalogue item), which is what
/// predictions of a new row's ratings need. Rows with ratings are solved as in
/// training (prior 0), so a trained row still equals its fold-in.
public struct AttributePrior: Sendable, Equatable {
    /// p̄ (k values).
    public var meanFactors: [Float]
    /// [β₀, β_1 … β_width].
    public var biasCoefficients: [Float]
    /// The side's implicit factors (y_i for items, x_u for users) regressed the same way:
    /// (width + 1) × k, row-major; empty when the model has none. A cold item's ŷ_i
    /// carries "would this user watch it" into the ranking score γ·p_u·y_i.
    public var implicitCoefficients: [Float] = []

    /// Fits the prior from trained rows `a` (count × k), their biases and rating counts.
    init(factors a: UnsafePointer<Float>, bias: UnsafePointer<Float>, implicit: UnsafePointer<Float>?, counts: [Int], k: Int,
         attributes: AttributeFactors, ridge: Double = 10) {
        var mean = [Double](repeating: 0, count: k), total = 0.0
        for (r, n) in counts.enumerated() where n > 0 {
            total += Double(n)
            for c in 0..<k { mean[c] += Double(n) * Double(a[r * k + c]) }
        }
        meanFactors = mean.map { Float($0 / max(total, 1)) }
        // Weighted ridge of b_r on [1, u_r] over rows with ratings (missing columns = 0, the centred value).
        let d = attributes.width + 1
        var g = [Double](repeating: 0, count: d * d), rhs = [Double](repeating: 0, count: d)
        var rhsY = [Double](repeating: 0, count: implicit == nil ? 0 : d * k)
        var x = [Double](repeating: 0, count: d)
        for (r, n) in counts.enumerated() where n > 0 {
            for j in 0..<d { x[j] = 0 }
            x[0] = 1
            for p in attributes.offsets[r]..<attributes.offsets[r + 1] { x[Int(attributes.columns[p]) + 1] = Double(attributes.values[p]) }
            let w = Double(n)
            for i in 0..<d where x[i] != 0 {
                rhs[i] += w * x[i] * Double(bias[r])
                if let y = implicit { for c in 0..<k { rhsY[i * k + c] += w * x[i] * Double(y[r * k + c]) } }
                for j in 0..<d { g[i * d + j] += w * x[i] * x[j] }
            }
        }
        for j in 1..<d { g[j * d + j] += ridge }
        g[0] += 1e-9
        biasCoefficients = Self.solve(g, rhs, d).map(Float.init)
        guard implicit != nil else { return }
        var coef = [Float](repeating: 0, count: d * k)
        for c in 0..<k {
            let col = Self.solve(g, (0..<d).map { rhsY[$0 * k + c] }, d)
            for j in 0..<d { coef[j * k + c] = Float(col[j]) }
        }
        implicitCoefficients = coef
    }

    init(meanFactors: [Float], biasCoefficients: [Float], implicitCoefficients: [Float] = []) {
        self.meanFactors = meanFactors; self.biasCoefficients = biasCoefficients; self.implicitCoefficients = implicitCoefficients
    }

    /// ŷ for an encoded row (k values), or [] without implicit coefficients.
    func implicitFactors(_ e: EncodedAttributes, k: Int) -> [Float] {
        guard implicitCoefficients.count == biasCoefficients.count * k else { return [] }
        var y = Array(implicitCoefficients[0..<k])
        for (j, c) in e.columns.enumerated() where Int(c) + 1 < biasCoefficients.count {
            for d in 0..<k { y[d] += implicitCoefficients[(Int(c) + 1) * k + d] * e.values[j] }
        }
        return y
    }

    /// b̂ for an encoded row.
    func bias(_ e: EncodedAttributes) -> Float {
        guard !biasCoefficients.isEmpty else { return 0 }
        var b = biasCoefficients[0]
        for (j, c) in e.columns.enumerated() where Int(c) + 1 < biasCoefficients.count { b += biasCoefficients[Int(c) + 1] * e.values[j] }
        return b
    }

    /// Solves the symmetric positive definite system g·x = rhs (Cholesky in Double; d is small).
    static func solve(_ g: [Double], _ rhs: [Double], _ d: Int) -> [Double] {
        var l = g, y = rhs
        for j in 0..<d {
            var s = l[j * d + j]
            for p in 0..<j { s -= l[j * d + p] * l[j * d + p] }
            guard s > 0 else { return [Double](repeating: 0, count: d) }
            l[j * d + j] = s.squareRoot()
            for i in (j + 1)..<d {
                var t = l[i * d + j]
                for p in 0..<j { t -= l[i * d + p] * l[j * d + p] }
                l[i * d + j] = t / l[j * d + j]
            }
        }
        for i in 0..<d { for p in 0..<i { y[i] -= l[i * d + p] * y[p] }; y[i] /= l[i * d + i] }
        for i in stride(from: d - 1, through: 0, by: -1) { for p in (i + 1)..<d { y[i] -= l[p * d + i] * y[p] }; y[i] /= l[i * d + i] }
        return y
    }
}

extension AttributeFactors {
    /// The trained block with its cold-start prior fitted on this side's rows.
    func block(factors a: UnsafePointer<Float>, bias: UnsafePointer<Float>, implicit: UnsafePointer<Float>?, counts: [Int]) -> AttributeBlock {
        var b = block
        b.prior = AttributePrior(factors: a, bias: bias, implicit: implicit, counts: counts, k: k, attributes: self)
        return b
    }
}
