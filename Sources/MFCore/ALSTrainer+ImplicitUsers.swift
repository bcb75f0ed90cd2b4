/// The item-side implicit term, the mirror of the user-side one: item factors
/// also explain *which users* rated the item, through implicit user factors x_u:
///   w_x Σ_i Σ_all u (I_ui − q_i·x_u)² + λ_x Σ_u ‖x_u‖²
/// Item solves get w_x·XᵀX in the normal matrix and w_x·Σ_{u∈R(i)} x_u in the
/// right-hand side (`sweepItems`); this step minimizes the X block exactly.
extension ALSTrainer {
    /// x_u solves (w_x QᵀQ + λ_x I) x_u = w_x Σ_{i rated by u} q_i — one shared matrix.
    func sweepImplicitUsers() {
        guard let x else { return }
        ALSTrainer.implicitSolve(factors: q, count: ni, k: k, ds: ds, weight: params.implicitUserWeight,
                                 lambda: params.implicitUserLambda, offsets: data.userOffsets,
                                 neighbors: data.userItems, ranges: userRanges, scratch: gramX, out: x)
    }

    /// out_r = (w FᵀF + λ I)⁻¹ w Σ_{j ∈ row r} f_j for every row r; `scratch` gets the Cholesky factor.
    static func implicitSolve(factors f: UnsafeMutablePointer<Float>, count: Int, k: Int, ds: Int, weight w: Float,
                              lambda: Float, offsets: [Int], neighbors: [Int32], ranges: [Range<Int>],
                              scratch gram: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        Gram.upper(rows: f, count: count, k: k, stride: ds, into: gram, scale: w)
        for c in 0..<k { gram[c * ds + c] += lambda }
        _ = Kernels.choleskyUpper(gram, dim: k, stride: ds)  // SPD: λ > 0
        neighbors.withUnsafeBufferPointer { nb in
            let ctx = UnsafeSendableBox((nb, UnsafePointer(gram), UnsafePointer(f), out))
            Parallel.run(ranges) { _, range in
                let (nb, g, f, out) = ctx.value
                for r in range {
                    let o = out + r * k
                    o.update(repeating: 0, count: k)
                    if let rows = nb.baseAddress, offsets[r + 1] > offsets[r] {
                        Kernels.axpyRows(f, stride: k, rows: rows + offsets[r], count: offsets[r + 1] - offsets[r],
                                         coefficients: nil, scale: w, width: k, into: o)
                    }
                    Kernels.choleskySolve(g, dim: k, stride: ds, o)
                }
            }
        }
    }

    /// w_x Σ_i Σ_all u (I_ui − q_i·x_u)² + λ_x Σ_u ‖x_u‖² (0 without the term).
    /// Overwrites `gramX` with w_x·XᵀX (the next `sweepItems` rebuilds it).
    func implicitUserObjective() -> Double {
        guard let x else { return 0 }
        let w = params.implicitUserWeight, k = self.k, ds = self.ds
        Gram.upper(rows: x, count: nu, k: k, stride: ds, into: gramX, scale: w)
        // Per item range on the sweep's threads; partial sums added in range order.
        // The per-rating term is summed over the objective's sample of users and scaled up.
        let stride = lossSampleStride
        var parts = [(ratings: Double, quad: Double, sampled: Int)](repeating: (0, 0, 0), count: itemRanges.count)
        parts.withUnsafeMutableBufferPointer { out in
            let out = UnsafeSendableBox(out)
            Parallel.run(itemRanges) { c, range in
                var part: (ratings: Double, quad: Double, sampled: Int) = (0, 0, 0)
                for i in range {
                    let qi = q + i * k
                    for j in data.itemOffsets[i]..<data.itemOffsets[i + 1] where Int(data.itemUsers[j]) % stride == 0 {
                        part.ratings += Double(w) * (1 - 2 * Double(Kernels.dot(qi, x + Int(data.itemUsers[j]) * k, k)))
                        part.sampled += 1
                    }
                    part.quad += Double(ALSTrainer.quadUpper(gramX, qi, k: k, ds: ds))
                }
                out.value[c] = part
            }
        }
        let sampled = parts.reduce(0) { $0 + $1.sampled }
        let perRating = sampled > 0 ? Double(data.count) / Double(sampled) : 1
        var total = parts.reduce(0.0) { $0 + $1.ratings } * perRating + parts.reduce(0.0) { $0 + $1.quad }
        for u in 0..<nu { total += Double(params.implicitUserLambda * Kernels.dot(x + u * k, x + u * k, k)) }
        return total
    }

    /// vᵀ G v from the upper triangle of G (stride ds).
    static func quadUpper(_ g: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, k: Int, ds: Int) -> Float {
        var quad: Float = 0
        for a in 0..<k {
            quad += g[a * ds + a] * v[a] * v[a]
            if a + 1 < k { quad += 2 * v[a] * Kernels.dot(g + a * ds + a + 1, v + a + 1, k - a - 1) }
        }
        return quad
    }
}
