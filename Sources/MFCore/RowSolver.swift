/// The fixed side of a half-sweep: what every row solve on the other side reads.
///
/// A row solve finds z = [x; b] (factors and bias of one user or item) minimizing
///   Σ_j (y_j − f_j·x − b)² + λ‖x‖² + λ_b b²  (+ an implicit term: Y for users, X for items)
/// where f_j are the neighbours' factors and y_j = r_j − μ − (neighbour bias).
/// The implicit term w·Σ_all-items (I_ui − x·y_i)² adds w·YᵀY to the
/// normal matrix (`baseGram`) and w·Σ_{i rated} y_i to the right-hand side.
/// Collective-MF side information plugs in the same way: more Gram and rhs terms.
struct RowSide {
    /// Neighbour factors, row-major with stride k.
    var factors: UnsafePointer<Float>
    /// Neighbour biases.
    var bias: UnsafePointer<Float>
    /// Implicit factors of the neighbours (stride k) and their weight, or nil.
    var implicitFactors: UnsafePointer<Float>? = nil
    var implicitWeight: Float = 0
    /// `ds × ds` upper-triangular matrix added to the normal matrix, or nil.
    var baseGram: UnsafePointer<Float>? = nil
    /// The same matrix stored full (both triangles, rows < k), for CG matvecs.
    var baseGramFull: UnsafePointer<Float>? = nil
    /// Collective MF: attribute factors c_j (stride k) and the block weight w.
    /// A row's observed attributes (u_j at column j, passed to `solve`) add
    /// w·(u_j − x·c_j)², i.e. extra rows √w·[c_j; 0] with targets √w·u_j.
    var attributeFactors: UnsafePointer<Float>? = nil
    var attributeWeight: Float = 0
}

/// Per-thread scratch space and the one row solve used by ALS, fold-in and
/// item updates. Not thread-safe: one solver per worker.
///
/// Three exact-or-descent paths for the same problem:
/// - primal Cholesky of the (k+1)×(k+1) normal matrix (exact);
/// - dual (Woodbury) for short rows without a base Gram (exact, same minimizer);
/// - warm-started conjugate gradient (a few steps; never increases the
///   objective, converges to the Cholesky answer), used by ALS before its last epoch.
final class RowSolver {
    let k: Int
    /// System size k+1 (factors + bias) and its padded row stride.
    let d: Int, ds: Int
    /// Rows with at most this many ratings use the dual (n × n) solve when possible.
    var dualThreshold: Int
    /// Rows with at most this many ratings skip CG (the dual solve is as cheap and exact).
    var cgMinRows = 12
    private var x: UnsafeMutablePointer<Float>      // n × ds features
    private var xCapacity: Int
    private let a: UnsafeMutablePointer<Float>      // ds × ds normal matrix
    private let rhs: UnsafeMutablePointer<Float>    // ds
    private let work: UnsafeMutablePointer<Float>   // 4 × ds CG vectors
    private var y: UnsafeMutablePointer<Float>      // n targets / dual solution / CG X·v
    private var t: UnsafeMutablePointer<Float>      // n
    private var kd: UnsafeMutablePointer<Float>     // n × ns dual matrix
    private var kdCapacity: Int

    init(k: Int) {
        self.k = k; d = k + 1; ds = (k + 1 + 7) & ~7
        dualThreshold = k + 1
        xCapacity = 64
        x = .allocate(capacity: xCapacity * ds)
        a = .allocate(capacity: ds * ds)
        rhs = .allocate(capacity: ds)
        work = .allocate(capacity: 4 * ds)
        y = .allocate(capacity: xCapacity); t = .allocate(capacity: xCapacity)
        kdCapacity = 64 * 64
        kd = .allocate(capacity: kdCapacity)
    }

    deinit { x.deallocate(); a.deallocate(); rhs.deallocate(); work.deallocate(); y.deallocate(); t.deallocate(); kd.deallocate() }

    private func reserve(_ n: Int) {
        if n > xCapacity {
            xCapacity = max(n, xCapacity * 2)
            x.deallocate(); y.deallocate(); t.deallocate()
            x = .allocate(capacity: xCapacity * ds); y = .allocate(capacity: xCapacity); t = .allocate(capacity: xCapacity)
        }
    }

    /// Solves one row. `neighbors`/`ratings` are the row's ratings, `mu` the
    /// global mean, `(lambda, biasLambda)` the already count-scaled penalties.
    /// Writes k factors to `outFactors` and returns the bias. With `cgSteps > 0`
    /// the row is improved by CG from the current `outFactors`/`warmBias` instead.
    @discardableResult
    func solve(neighbors: UnsafeBufferPointer<Int32>, ratings: UnsafeBufferPointer<Float>, mu: Float,
               side: RowSide, lambda: Float, biasLambda: Float,
               outFactors: UnsafeMutablePointer<Float>, cgSteps: Int = 0, warmBias: Float = 0,
               attributes: UnsafeBufferPointer<Int32> = UnsafeBufferPointer(start: nil, count: 0),
               attributeValues: UnsafeBufferPointer<Float> = UnsafeBufferPointer(start: nil, count: 0)) -> Float {
        let nr = neighbors.count
        let na = side.attributeFactors == nil || side.attributeWeight == 0 ? 0 : attributes.count
        let n = nr + na
        reserve(n)
        let x = self.x, y = self.y, k = self.k, d = self.d, ds = self.ds  // locals: no per-access exclusivity checks
        let canDual = side.baseGram == nil && lambda > 0 && biasLambda > 0 && n > 0
        let useDual = canDual && n <= (cgSteps > 0 ? min(dualThreshold, cgMinRows) : dualThreshold)
        // Short rows skip CG only when the exact dual solve is available instead.
        let useCG = !useDual && cgSteps > 0 && (n > cgMinRows || !canDual)
        // s scales the bias feature so that one λ regularizes every coordinate (dual only).
        let s: Float = useDual ? (lambda / biasLambda).squareRoot() : 1
        for j in 0..<nr {
            let o = Int(neighbors[j])
            let row = x + j * ds, src = side.factors + o * k
            var c = 0
            while c + 8 <= k { Kernels.store(Kernels.load(src + c), row + c); c += 8 }
            while c < k { row[c] = src[c]; c += 1 }
            row[k] = s
            for c in d..<ds { row[c] = 0 }
            y[j] = ratings[j] - mu - side.bias[o]
        }
        if na > 0, let cf = side.attributeFactors {
            let sw = side.attributeWeight.squareRoot()
            for a in 0..<na {
                let row = x + (nr + a) * ds, src = cf + Int(attributes[a]) * k
                for c in 0..<k { row[c] = sw * src[c] }
                for c in k..<ds { row[c] = 0 }
                y[nr + a] = sw * attributeValues[a]
            }
        }
        if useDual { return solveDual(n: n, lambda: lambda, s: s, outFactors: outFactors) }
        buildRHS(n: n, neighbors: neighbors, side: side)
        if useCG {
            return solveCG(n: n, side: side, lambda: lambda, biasLambda: biasLambda, steps: cgSteps,
                           outFactors: outFactors, warmBias: warmBias)
        }
        return solvePrimal(n: n, side: side, lambda: lambda, biasLambda: biasLambda, outFactors: outFactors)
    }

    /// rhs = Xᵀy + w·Σ_j y_(neighbour j)
    private func buildRHS(n: Int, neighbors: UnsafeBufferPointer<Int32>, side: RowSide) {
        let rhs = self.rhs, x = self.x, y = self.y, k = self.k, ds = self.ds
        rhs.update(repeating: 0, count: ds)
        Kernels.axpyRows(x, stride: ds, rows: nil, count: n, coefficients: y, width: ds, into: rhs)
        if let imp = side.implicitFactors, side.implicitWeight != 0 {
            Kernels.axpyRows(imp, stride: k, rows: neighbors.baseAddress, count: neighbors.count, coefficients: nil,
                             scale: side.implicitWeight, width: k, into: rhs)
        }
    }

    /// (XᵀX + G + diag(λ…λ, λ_b)) z = rhs, by Cholesky.
    private func solvePrimal(n: Int, side: RowSide, lambda: Float, biasLambda: Float,
                             outFactors: UnsafeMutablePointer<Float>) -> Float {
        let a = self.a, x = self.x, rhs = self.rhs, k = self.k, d = self.d, ds = self.ds
        if let g = side.baseGram { a.update(from: g, count: ds * ds) } else { a.update(repeating: 0, count: ds * ds) }
        Kernels.syrkUpper(x, rows: n, dim: d, stride: ds, into: a)
        for c in 0..<k { a[c * ds + c] += lambda }
        a[k * ds + k] += biasLambda
        if !Kernels.choleskyUpper(a, dim: d, stride: ds) {
            // Only reachable with λ = λ_b = 0 and too few ratings: answer the zero row.
            outFactors.update(repeating: 0, count: k)
            return 0
        }
        Kernels.choleskySolve(a, dim: d, stride: ds, rhs)
        outFactors.update(from: rhs, count: k)
        return rhs[k]
    }

    /// Woodbury form for short rows: z = Xᵀ(XXᵀ + λI)⁻¹y with the bias
    /// feature scaled by s = √(λ/λ_b); then b = s·z_k. Same minimizer as primal.
    private func solveDual(n: Int, lambda: Float, s: Float, outFactors: UnsafeMutablePointer<Float>) -> Float {
        let ns = (n + 7) & ~7
        if n * ns > kdCapacity {
            kd.deallocate(); kdCapacity = n * ns; kd = .allocate(capacity: kdCapacity)
        }
        let kd = self.kd, x = self.x, y = self.y, rhs = self.rhs, k = self.k, ds = self.ds
        Kernels.dotRowsUpper(x, rows: n, stride: ds, into: kd, stride: ns)
        for j in 0..<n {
            let row = kd + j * ns
            for l in n..<ns { row[l] = 0 }
            row[j] += lambda
        }
        _ = Kernels.choleskyUpper(kd, dim: n, stride: ns)  // SPD: λ > 0
        Kernels.choleskySolve(kd, dim: n, stride: ns, y)
        rhs.update(repeating: 0, count: ds)
        Kernels.axpyRows(x, stride: ds, rows: nil, count: n, coefficients: y, width: ds, into: rhs)
        outFactors.update(from: rhs, count: k)
        return s * rhs[k]
    }

    /// out = A v with A = XᵀX + G + diag(λ…λ, λ_b), never formed:
    ///   t = X v;  out = Xᵀ t + G v + D v
    private func matvec(n: Int, side: RowSide, lambda: Float, biasLambda: Float,
                        _ v: UnsafeMutablePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
        let t = self.t, x = self.x, k = self.k, ds = self.ds
        for j in 0..<n { t[j] = Kernels.dot(x + j * ds, v, ds) }
        out.update(repeating: 0, count: ds)
        Kernels.axpyRows(x, stride: ds, rows: nil, count: n, coefficients: t, width: ds, into: out)
        if let g = side.baseGramFull {
            for c in 0..<k { out[c] += Kernels.dot(g + c * ds, v, k) }
        }
        for c in 0..<k { out[c] += lambda * v[c] }
        out[k] += biasLambda * v[k]
    }

    /// Conjugate gradient from the warm start z0 = [outFactors; warmBias].
    /// Each step minimizes the quadratic over a growing Krylov space, so the
    /// row's objective never increases.
    private func solveCG(n: Int, side: RowSide, lambda: Float, biasLambda: Float, steps: Int,
                         outFactors: UnsafeMutablePointer<Float>, warmBias: Float) -> Float {
        let k = self.k, d = self.d, ds = self.ds, rhs = self.rhs
        let z = work, r = work + ds, p = work + 2 * ds, ap = work + 3 * ds
        z.update(from: outFactors, count: k)
        z[k] = warmBias
        for c in d..<ds { z[c] = 0 }
        matvec(n: n, side: side, lambda: lambda, biasLambda: biasLambda, z, ap)
        for c in 0..<ds { r[c] = rhs[c] - ap[c] }
        p.update(from: r, count: ds)
        var rs = Kernels.dot(r, r, ds)
        let stop = 1e-12 * max(Kernels.dot(rhs, rhs, ds), 1e-30)
        for _ in 0..<steps where rs > stop {
            matvec(n: n, side: side, lambda: lambda, biasLambda: biasLambda, p, ap)
            let pap = Kernels.dot(p, ap, ds)
            guard pap > 0 else { break }
            let alpha = rs / pap
            Kernels.axpy(alpha, p, z, ds)
            Kernels.axpy(-alpha, ap, r, ds)
            let rsNew = Kernels.dot(r, r, ds)
            let beta = rsNew / rs
            for c in 0..<ds { p[c] = r[c] + beta * p[c] }
            rs = rsNew
        }
        outFactors.update(from: z, count: k)
        return z[k]
    }
}
