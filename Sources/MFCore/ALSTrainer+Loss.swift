extension ALSTrainer {
    /// The objective ALS minimizes, per rating, and the training RMSE:
    ///   Σ (r − μ − b_u − b_i − p_u·q_i)² + Σ_u (λ_u‖p_u‖² + λ_bu b_u²) + Σ_i (λ_i‖q_i‖² + λ_bi b_i²)
    ///   + w Σ_u Σ_all i (I_ui − p_u·y_i)² + λ_y Σ_i ‖y_i‖²  (+ the item-side mirror term)
    /// with λ_u = λ·n_u when weighted; above `lossSampleRatings` ratings an estimate
    /// from a fixed sample of users (the model is the same). Must run right after `sweepUsers`
    /// (it reuses the w·YᵀY Gram left in `gram`).
    func objective() -> (loss: Double, rmse: Double) {
        let k = self.k, mu = data.mean, stride = lossSampleStride
        // Per user range, on the sweep's threads (on one thread this took 15 % of
        // a 5M-rating retrain); partial sums are added in range order. The terms
        // per rating and per user Gram are summed over every `stride`-th user and
        // scaled up (exact below `lossSampleRatings` ratings); penalties are exact.
        typealias Part = (sse: Double, reg: Double, imp: Double, quad: Double, ratings: Int, users: Int)
        var parts = [Part](repeating: (0, 0, 0, 0, 0, 0), count: userRanges.count)
        parts.withUnsafeMutableBufferPointer { out in
            let out = UnsafeSendableBox(out)
            Parallel.run(userRanges) { c, range in
                var part: Part = (0, 0, 0, 0, 0, 0)
                for u in range {
                    let lo = data.userOffsets[u], hi = data.userOffsets[u + 1]
                    let pu = p + u * k
                    let (l, lb) = params.penalties(count: hi - lo)
                    part.reg += Double(l * Kernels.dot(pu, pu, k) + lb * bu[u] * bu[u])
                    guard u % stride == 0 else { continue }
                    part.ratings += hi - lo; part.users += 1
                    for j in lo..<hi {
                        let i = Int(data.userItems[j])
                        let e = Double(data.userRatings[j] - mu - bu[u] - bi[i] - Kernels.dot(pu, q + i * k, k))
                        part.sse += e * e
                        if let y { part.imp -= 2 * Double(params.implicitWeight * Kernels.dot(pu, y + i * k, k)) }
                    }
                    if y != nil {
                        part.imp += Double(params.implicitWeight) * Double(hi - lo)
                        // p_uᵀ (w YᵀY) p_u from the upper triangle.
                        part.quad += Double(ALSTrainer.quadUpper(gram, pu, k: k, ds: ds))
                    }
                }
                out.value[c] = part
            }
        }
        var sse = 0.0, reg = 0.0, imp = 0.0, quad = 0.0, sampledRatings = 0, sampledUsers = 0
        for part in parts {
            sse += part.sse; reg += part.reg; imp += part.imp; quad += part.quad
            sampledRatings += part.ratings; sampledUsers += part.users
        }
        let n = Double(max(data.count, 1))
        let perRating = sampledRatings > 0 ? n / Double(sampledRatings) : 1
        let rmse = sampledRatings > 0 ? (sse / Double(sampledRatings)).squareRoot() : 0
        sse *= perRating
        imp = imp * perRating + quad * (sampledUsers > 0 ? Double(nu) / Double(sampledUsers) : 1)
        for i in 0..<ni {
            let (l, lb) = params.penalties(count: data.itemOffsets[i + 1] - data.itemOffsets[i])
            reg += Double(l * Kernels.dot(q + i * k, q + i * k, k) + lb * bi[i] * bi[i])
            if let y { reg += Double(config.implicitLambda * Kernels.dot(y + i * k, y + i * k, k)) }
        }
        reg += (userAttributes?.loss(p, rows: nu) ?? 0) + (itemAttributes?.loss(q, rows: ni) ?? 0)
        imp += implicitUserObjective()
        return ((sse + reg + imp) / n, rmse)
    }

    /// Ratings above which the per-epoch loss is estimated on every `lossSampleStride`-th
    /// user (about this many ratings) rather than computed on all: it is a progress
    /// report, and at 5M ratings the full passes took 17 % of a retrain.
    static let lossSampleRatings = 1_000_000

    var lossSampleStride: Int { max(1, data.count / Self.lossSampleRatings) }
}
