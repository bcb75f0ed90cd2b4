/// The row solve of implicit-feedback ALS, shared by training and fold-in.
/// Not thread-safe: one solver per worker.
///
/// For one row with interactions j ∈ I (neighbour factors y_j, strengths v_j):
///   min Σ_all j c_j (p_j − x·y_j)² + λ‖x‖²,   c_j = 1 + α v_j on I (p_j = 1), else c = 1, p = 0
///   ⇔ (G + Σ_{j∈I} α v_j y_j y_jᵀ) x = Σ_{j∈I} (1 + α v_j) y_j,   G = YᵀY + λI (cached per sweep)
/// Exact: Cholesky of that k×k matrix. CG (Takács et al. 2011, as in `implicit`):
/// a few steps warm-started from the current x, with A v = G v + Σ α v_j (y_j·v) y_j,
/// so a step costs O(k² + |I| k) and A is never formed.
final class ImplicitRowSolver {
    let k: Int
    /// Padded stride (multiple of 8) of `gram` and the scratch rows.
    let ks: Int
    private var rows: UnsafeMutablePointer<Float>   // n × ks scaled rows √(αv_j)·y_j (exact path)
    private var capacity: Int
    private let a: UnsafeMutablePointer<Float>      // ks × ks
    private let work: UnsafeMutablePointer<Float>   // 5 × ks: rhs, z, r, p, Ap
    private var coefficients: UnsafeMutablePointer<Float>  // n per-row factors for Kernels.axpyRows
    private var coefficientCapacity: Int

    init(k: Int) {
        self.k = k; ks = (k + 7) & ~7
        capacity = 64
        rows = .allocate(capacity: capacity * ks)
        a = .allocate(capacity: ks * ks)
        work = .allocate(capacity: 5 * ks)
        work.update(repeating: 0, count: 5 * ks)
        coefficientCapacity = 64
        coefficients = .allocate(capacity: coefficientCapacity)
    }

    deinit { rows.deallocate(); a.deallocate(); work.deallocate(); coefficients.deallocate() }

    /// Solves one row into `out` (k floats; also the CG warm start).
    /// - Parameters:
    ///   - factors: the fixed side's factor table, stride k.
    ///   - gram: G = YᵀY + λI, `ks × ks`, both triangles filled.
    ///   - cgSteps: 0 = exact Cholesky solve.
    func solve(neighbors: UnsafeBufferPointer<Int32>, strengths: UnsafeBufferPointer<Float>,
               factors: UnsafePointer<Float>, gram: UnsafePointer<Float>, alpha: Float,
               out: UnsafeMutablePointer<Float>, cgSteps: Int) {
        let n = neighbors.count, k = self.k, ks = self.ks
        guard n > 0 else { out.update(repeating: 0, count: k); return }  // b = 0 ⇒ x = 0 exactly
        let rhs = work
        rhs.update(repeating: 0, count: ks)
        if n > coefficientCapacity {
            coefficients.deallocate(); coefficientCapacity = max(n, coefficientCapacity * 2)
            coefficients = .allocate(capacity: coefficientCapacity)
        }
        for j in 0..<n { coefficients[j] = 1 + alpha * strengths[j] }
        Kernels.axpyRows(factors, stride: k, rows: neighbors.baseAddress, count: n, coefficients: coefficients, width: k, into: rhs)
        if cgSteps > 0 {
            solveCG(neighbors, strengths, factors, gram, alpha, out, cgSteps)
        } else {
            solveExact(neighbors, strengths, factors, gram, alpha, out)
        }
    }

    private func solveExact(_ nb: UnsafeBufferPointer<Int32>, _ st: UnsafeBufferPointer<Float>, _ y: UnsafePointer<Float>,
                            _ g: UnsafePointer<Float>, _ alpha: Float, _ out: UnsafeMutablePointer<Float>) {
        let n = nb.count, k = self.k, ks = self.ks
        if n > capacity {
            rows.deallocate(); capacity = max(n, capacity * 2); rows = .allocate(capacity: capacity * ks)
        }
        let rows = self.rows, a = self.a, rhs = work
        for j in 0..<n {
            let s = (alpha * st[j]).squareRoot(), src = y + Int(nb[j]) * k, row = rows + j * ks
            for c in 0..<k { row[c] = s * src[c] }
            for c in k..<ks { row[c] = 0 }
        }
        a.update(from: g, count: ks * ks)
        Kernels.syrkUpper(rows, rows: n, dim: k, stride: ks, into: a)
        guard Kernels.choleskyUpper(a, dim: k, stride: ks) else { out.update(repeating: 0, count: k); return }  // λ > 0: unreachable
        Kernels.choleskySolve(a, dim: k, stride: ks, rhs)
        out.update(from: rhs, count: k)
    }

    /// out = A v = G v + Σ_j α v_j (y_j·v) y_j
    @inline(__always)
    private func matvec(_ nb: UnsafeBufferPointer<Int32>, _ st: UnsafeBufferPointer<Float>, _ y: UnsafePointer<Float>,
                        _ g: UnsafePointer<Float>, _ alpha: Float, _ v: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
        let k = self.k, ks = self.ks
        for c in 0..<k { out[c] = Kernels.dot(g + c * ks, v, k) }
        let t = coefficients  // sized by `solve`
        for j in 0..<nb.count { t[j] = alpha * st[j] * Kernels.dot(y + Int(nb[j]) * k, v, k) }
        Kernels.axpyRows(y, stride: k, rows: nb.baseAddress, count: nb.count, coefficients: t, width: k, into: out)
    }

    /// Conjugate gradient from the warm start `out`; each step minimizes the
    /// row objective over a growing Krylov space, so it never increases.
    private func solveCG(_ nb: UnsafeBufferPointer<Int32>, _ st: UnsafeBufferPointer<Float>, _ y: UnsafePointer<Float>,
                         _ g: UnsafePointer<Float>, _ alpha: Float, _ out: UnsafeMutablePointer<Float>, _ steps: Int) {
        let k = self.k, ks = self.ks
        let rhs = work, z = work + ks, r = work + 2 * ks, p = work + 3 * ks, ap = work + 4 * ks
        z.update(from: out, count: k)
        matvec(nb, st, y, g, alpha, z, ap)
        for c in 0..<k { r[c] = rhs[c] - ap[c] }
        p.update(from: r, count: k)
        var rs = Kernels.dot(r, r, k)
        let stop = 1e-12 * max(Kernels.dot(rhs, rhs, k), 1e-30)
        for _ in 0..<steps where rs > stop {
            matvec(nb, st, y, g, alpha, p, ap)
            let pap = Kernels.dot(p, ap, k)
            guard pap > 0 else { break }
            let step = rs / pap
            Kernels.axpy(step, p, z, k)
            Kernels.axpy(-step, ap, r, k)
            let rsNew = Kernels.dot(r, r, k)
            let beta = rsNew / rs
            for c in 0..<k { p[c] = r[c] + beta * p[c] }
            rs = rsNew
        }
        out.update(from: z, count: k)
    }
}

extension Gram {
    /// G = RᵀR + λI over `count` rows (stride k), both triangles, `ks × ks` (ks ≥ k, multiple of 8).
    static func fullRidge(rows r: UnsafePointer<Float>, count n: Int, k: Int, stride ks: Int,
                          lambda: Float, into g: UnsafeMutablePointer<Float>) {
        upper(rows: r, count: n, k: k, stride: ks, into: g, scale: 1)
        for a in 0..<k {
            g[a * ks + a] += lambda
            for c in (a + 1)..<max(k, a + 1) { g[c * ks + a] = g[a * ks + c] }
            for c in k..<ks { g[a * ks + c] = 0 }
        }
    }
}
