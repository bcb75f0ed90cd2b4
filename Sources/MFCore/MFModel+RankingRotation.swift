/// An orthogonal k×k matrix R for the ranking space. Dot products are invariant,
/// (R·p)·(R·r) = p·r, so `topN` stores h_i = R·r_i and rotates p_u once per call.
/// Fitted as the eigenvectors of Σ_i r_i·r_iᵀ + Σ_u p_u·p_uᵀ (each normalized by its
/// trace), rows ordered by eigenvalue (descending): the leading dimensions then carry
/// most of the energy and the tail bound ‖p_tail‖·‖h_tail‖ is small after a few of them.
struct RankingRotation: Sendable, Equatable {
    let k: Int
    /// k rounded up to a multiple of 8.
    let stride: Int
    /// Column-major, padded: R[j][c] at `c*stride + j` (rows j ≥ k are 0).
    let columns: [Float]

    static func identity(_ k: Int) -> RankingRotation {
        let s = (k + 7) / 8 * 8
        var m = [Float](repeating: 0, count: k * s)
        for c in 0..<k { m[c * s + c] = 1 }
        return RankingRotation(k: k, stride: s, columns: m)
    }

    /// Eigenvectors of G = Σ_sources G_s / tr(G_s), G_s = Σ_rows x·xᵀ (Float32 Grams,
    /// Float64 Jacobi). Items and users both: the tail bound ‖p'_tail‖·‖h_tail‖ is small
    /// only when *both* sides keep their energy in the leading dimensions. Deterministic:
    /// fixed sweep order, ties in eigenvalue by index, each vector's largest component
    /// positive. All-zero input gives the identity.
    static func fit(k: Int, sources: [(count: Int, row: (Int) -> [Float])]) -> RankingRotation {
        var a = [Double](repeating: 0, count: k * k)
        for (n, row) in sources {
            let g = gram(k: k, count: n, row: row)
            let trace = (0..<k).reduce(0.0) { $0 + g[$1 * k + $1] }
            if trace > 0 { for j in 0..<(k * k) { a[j] += g[j] / trace } }
        }
        guard a.contains(where: { $0 != 0 }) else { return identity(k) }
        let (values, vectors) = SymmetricEigen.jacobi(a, k)
        let order = (0..<k).sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
        let s = (k + 7) / 8 * 8
        var m = [Float](repeating: 0, count: k * s)
        for (j, e) in order.enumerated() {
            var big = 0
            for c in 0..<k where abs(vectors[c * k + e]) > abs(vectors[big * k + e]) { big = c }
            let sign: Double = vectors[big * k + e] < 0 ? -1 : 1
            for c in 0..<k { m[c * s + j] = Float(sign * vectors[c * k + e]) }
        }
        return RankingRotation(k: k, stride: s, columns: m)
    }

    /// Σ_rows x·xᵀ (full symmetric k×k, Float64), accumulated by `Kernels.syrkUpper` in chunks.
    static func gram(k: Int, count n: Int, row: (Int) -> [Float]) -> [Double] {
        let s = (k + 7) / 8 * 8, chunk = 256
        var g = [Float](repeating: 0, count: s * s)
        var x = [Float](repeating: 0, count: chunk * s)
        var start = 0
        while start < n {
            let rows = min(chunk, n - start)
            for j in 0..<rows {
                let r = row(start + j)
                for c in 0..<k { x[j * s + c] = r[c] }
            }
            x.withUnsafeBufferPointer { xb in
                g.withUnsafeMutableBufferPointer { Kernels.syrkUpper(xb.baseAddress!, rows: rows, dim: k, stride: s, into: $0.baseAddress!) }
            }
            start += rows
        }
        var a = [Double](repeating: 0, count: k * k)
        for i in 0..<k { for j in i..<k { a[i * k + j] = Double(g[i * s + j]); a[j * k + i] = a[i * k + j] } }
        return a
    }

    /// out[j] = Σ_c R[j][c]·v[c], accumulated with FMAs in ascending c from 0
    /// (`out` has `stride` entries; the padding ends up 0).
    ///   out[j..<j+8] ← out[j..<j+8] + v[c]·R[j..<j+8][c]   for c = 0..<k
    /// Four 8-row chunks at a time keep four independent FMA chains in flight.
    func apply(_ v: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        typealias V = SIMD8<Float>
        columns.withUnsafeBufferPointer { mb in
            let m = mb.baseAddress!
            var j = 0
            while j &+ 32 <= stride {
                var a0 = V(), a1 = V(), a2 = V(), a3 = V()
                var col = m + j
                for c in 0..<k {
                    let x = V(repeating: v[c])
                    a0 = a0.addingProduct(x, Kernels.load(col)); a1 = a1.addingProduct(x, Kernels.load(col + 8))
                    a2 = a2.addingProduct(x, Kernels.load(col + 16)); a3 = a3.addingProduct(x, Kernels.load(col + 24))
                    col += stride
                }
                Kernels.store(a0, out + j); Kernels.store(a1, out + j + 8)
                Kernels.store(a2, out + j + 16); Kernels.store(a3, out + j + 24)
                j &+= 32
            }
            while j < stride {
                var acc = V()
                for c in 0..<k { acc = acc.addingProduct(V(repeating: v[c]), Kernels.load(m + (c &* stride &+ j))) }
                Kernels.store(acc, out + j)
                j &+= 8
            }
        }
    }

    /// `apply` written out scalar (the reference path; bitwise the same result).
    func applyReference(_ v: [Float]) -> [Float] {
        (0..<k).map { j in
            var acc: Float = 0
            for c in 0..<k { acc = acc.addingProduct(v[c], columns[c * stride + j]) }
            return acc
        }
    }

    /// Rᵀ·h, the inverse rotation (up to Float32 rounding).
    func inverse(_ h: [Float]) -> [Float] {
        (0..<k).map { c in
            var acc: Float = 0
            for j in 0..<k { acc += columns[c * stride + j] * h[j] }
            return acc
        }
    }
}

/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations.
enum SymmetricEigen {
    /// Returns (eigenvalues, eigenvectors) of the symmetric row-major `k×k` matrix `a`;
    /// eigenvector e is column e of the row-major result. Each rotation J in the
    /// (p,q) plane zeroes a_pq:  A ← JᵀAJ,  V ← VJ, with
    ///   θ = (a_qq − a_pp) / (2·a_pq),  t = sign(θ) / (|θ| + √(θ²+1)),  c = 1/√(t²+1),  s = t·c.
    /// Sweeps stop when the off-diagonal mass is below 1e-24 of the diagonal's (or after 60).
    static func jacobi(_ a0: [Double], _ k: Int) -> ([Double], [Double]) {
        var a = a0, v = [Double](repeating: 0, count: k * k)
        for i in 0..<k { v[i * k + i] = 1 }
        a.withUnsafeMutableBufferPointer { ab in
            v.withUnsafeMutableBufferPointer { vb in
                let a = ab.baseAddress!, v = vb.baseAddress!
                for _ in 0..<60 {
                    var off = 0.0, diag = 0.0
                    for i in 0..<k {
                        diag += a[i * k + i] * a[i * k + i]
                        for j in (i + 1)..<max(i + 1, k) { off += a[i * k + j] * a[i * k + j] }
                    }
                    if off <= 1e-24 * diag { break }
                    for p in 0..<k {
                        for q in (p + 1)..<max(p + 1, k) {
                            let apq = a[p * k + q]
                            if apq == 0 { continue }
                            let theta = (a[q * k + q] - a[p * k + p]) / (2 * apq)
                            let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                            let c = 1 / (t * t + 1).squareRoot(), s = t * c
                            for r in 0..<k {
                                let arp = a[r * k + p], arq = a[r * k + q]
                                a[r * k + p] = c * arp - s * arq; a[r * k + q] = s * arp + c * arq
                            }
                            for r in 0..<k {
                                let apr = a[p * k + r], aqr = a[q * k + r]
                                a[p * k + r] = c * apr - s * aqr; a[q * k + r] = s * apr + c * aqr
                                let vrp = v[r * k + p], vrq = v[r * k + q]
                                v[r * k + p] = c * vrp - s * vrq; v[r * k + q] = s * vrp + c * vrq
                            }
                        }
                    }
                }
            }
        }
        return ((0..<k).map { a[$0 * k + $0] }, v)
    }
}
