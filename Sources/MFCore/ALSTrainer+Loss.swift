extension ALSTrainer {
    /// The objective ALS minimizes, per rating, and the training RMSE:
    ///   Σ (r − μ − b_u − b_i − p_u·q_i)² + Σ_u (λ_u‖p_u‖² + λ_bu b_u²) + Σ_i (λ_i‖q_i‖² + λ_bi b_i²)
    ///   + w Σ_u Σ_all i (I_ui − p_u·y_i)² + λ_y Σ_i ‖y_i‖²  (+ the item-side mirror term)
    /// with λ_u = λ·n_u when weighted. Must run right after `sweepUsers`
    /// (it reuses the w·YᵀY Gram left in `gram`).
    func objective() -> (loss: Double, rmse: Double) {
        let k = self.k, mu = data.mean
        // Per user range, on the sweep's threads (a single thread took 15 % of a
        // 5M-rating retrain); partial sums are added in range order.
        var parts = [(sse: Double, reg: Double, imp: Double)](repeating: (0, 0, 0), count: userRanges.count)
        parts.withUnsafeMutableBufferPointer { out in
            let out = UnsafeSendableBox(out)
            Parallel.run(userRanges) { c, range in
                var sse = 0.0, reg = 0.0, imp = 0.0
                for u in range {
                    let lo = data.userOffsets[u], hi = data.userOffsets[u + 1]
                    let pu = p + u * k
                    for j in lo..<hi {
                        let i = Int(data.userItems[j])
                        let e = Double(data.userRatings[j] - mu - bu[u] - bi[i] - Kernels.dot(pu, q + i * k, k))
                        sse += e * e
                        if let y { imp -= 2 * Double(params.implicitWeight * Kernels.dot(pu, y + i * k, k)) }
                    }
                    let (l, lb) = params.penalties(count: hi - lo)
                    reg += Double(l * Kernels.dot(pu, pu, k) + lb * bu[u] * bu[u])
                    if y != nil {
                        imp += Double(params.implicitWeight) * Double(hi - lo)
                        // p_uᵀ (w YᵀY) p_u from the upper triangle.
                        imp += Double(ALSTrainer.quadUpper(gram, pu, k: k, ds: ds))
                    }
                }
                out.value[c] = (sse, reg, imp)
            }
        }
        var sse = 0.0, reg = 0.0, imp = 0.0
        for part in parts { sse += part.sse; reg += part.reg; imp += part.imp }
        for i in 0..<ni {
            let (l, lb) = params.penalties(count: data.itemOffsets[i + 1] - data.itemOffsets[i])
            reg += Double(l * Kernels.dot(q + i * k, q + i * k, k) + lb * bi[i] * bi[i])
            if let y { reg += Double(config.implicitLambda * Kernels.dot(y + i * k, y + i * k, k)) }
        }
        reg += (userAttributes?.loss(p, rows: nu) ?? 0) + (itemAttributes?.loss(q, rows: ni) ?? 0)
        imp += implicitUserObjective()
        let n = Double(max(data.count, 1))
        return ((sse + reg + imp) / n, (sse / n).squareRoot())
    }
}
