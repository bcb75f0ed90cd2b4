/// SIMD8 kernels on raw Float pointers. Built with `-target-cpu haswell`
/// these compile to AVX2/FMA; the naive references live in the tests.
enum Kernels {
    typealias V = SIMD8<Float>

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// Σ a[c]·b[c] for c < n.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var s0 = V(), s1 = V(), c = 0
        while c + 16 <= n {
            s0 = s0.addingProduct(load(a + c), load(b + c))
            s1 = s1.addingProduct(load(a + c + 8), load(b + c + 8))
            c += 16
        }
        if c + 8 <= n { s0 = s0.addingProduct(load(a + c), load(b + c)); c += 8 }
        var s = (s0 + s1).sum()
        while c < n { s += a[c] * b[c]; c += 1 }
        return s
    }

    /// y[c] += α·x[c] for c < n.
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let av = V(repeating: alpha)
        var c = 0
        while c + 8 <= n { store(load(y + c).addingProduct(av, load(x + c)), y + c); c += 8 }
        while c < n { y[c] += alpha * x[c]; c += 1 }
    }

    /// Σ_j α_j·R_j added to `out` (`width` columns), where row j is
    /// R_j = base + r_j·stride with r_j = rows[j] (or j when `rows` is nil)
    /// and α_j = coefficients[j] (or `scale` when nil):
    ///   out[c] += Σ_j α_j · R_j[c]
    /// Exactly `axpy(α_j, R_j, out, width)` for j in order — fused in the
    /// 8-wide part, `out[c] += α·R_j[c]` in the tail — but the 8-wide part
    /// stays in registers 32 columns at a time instead of going through
    /// memory once per row.
    static func axpyRows(_ base: UnsafePointer<Float>, stride: Int, rows: UnsafePointer<Int32>?, count n: Int,
                         coefficients: UnsafePointer<Float>?, scale: Float = 0, width: Int,
                         into out: UnsafeMutablePointer<Float>) {
        @inline(__always) func row(_ j: Int) -> UnsafePointer<Float> {
            base + (rows.map { Int($0[j]) } ?? j) &* stride
        }
        @inline(__always) func alpha(_ j: Int) -> Float { coefficients?[j] ?? scale }
        var c = 0
        while c + 32 <= width {
            var a0 = load(out + c), a1 = load(out + c + 8), a2 = load(out + c + 16), a3 = load(out + c + 24)
            for j in 0..<n {
                let r = row(j) + c, s = V(repeating: alpha(j))
                a0 = a0.addingProduct(s, load(r)); a1 = a1.addingProduct(s, load(r + 8))
                a2 = a2.addingProduct(s, load(r + 16)); a3 = a3.addingProduct(s, load(r + 24))
            }
            store(a0, out + c); store(a1, out + c + 8); store(a2, out + c + 16); store(a3, out + c + 24)
            c += 32
        }
        while c + 8 <= width {
            var a0 = load(out + c)
            for j in 0..<n { a0 = a0.addingProduct(V(repeating: alpha(j)), load(row(j) + c)) }
            store(a0, out + c)
            c += 8
        }
        guard c < width else { return }
        for j in 0..<n {
            let r = row(j), s = alpha(j)
            for t in c..<width { out[t] += s * r[t] }
        }
    }

    /// Upper triangle of G += XᵀX, where X is `n × ds` (row stride `ds`,
    /// a multiple of 8, columns `d..<ds` zero) and G is `ds × ds`.
    /// Row a of G is updated from column `a & ~7`, so a few entries left of
    /// the diagonal are touched too (never read by the Cholesky).
    ///   G[a][c] += Σ_j X[j][a] · X[j][c]   (one fused multiply-add per j, j ascending)
    /// Rows are done in pairs (a even, a + 1): each load of X[j][c…c+31] feeds
    /// both rows' 4 accumulators, and 8 independent FMA chains keep both FMA
    /// units busy where 4 chains waited on FMA latency. Every entry gets the
    /// same operations in the same order as one row at a time.
    static func syrkUpper(_ x: UnsafePointer<Float>, rows n: Int, dim d: Int, stride ds: Int,
                          into g: UnsafeMutablePointer<Float>) {
        guard n > 0 else { return }
        var a = 0
        while a + 1 < d {
            syrkRowPair(x, rows: n, row: a, stride: ds, into: g)
            a += 2
        }
        if a < d { syrkRow(x, rows: n, row: a, stride: ds, into: g) }
    }

    /// Rows a and a + 1 (a even, so both start at column `a & ~7`) of `syrkUpper`.
    @inline(__always)
    private static func syrkRowPair(_ x: UnsafePointer<Float>, rows n: Int, row a: Int, stride ds: Int,
                                    into g: UnsafeMutablePointer<Float>) {
        let r0 = g + a * ds, r1 = r0 + ds
        var c = a & ~7
        while c + 32 <= ds {
            var p0 = load(r0 + c), p1 = load(r0 + c + 8), p2 = load(r0 + c + 16), p3 = load(r0 + c + 24)
            var q0 = load(r1 + c), q1 = load(r1 + c + 8), q2 = load(r1 + c + 16), q3 = load(r1 + c + 24)
            var xr = x
            for _ in 0..<n {
                let s = V(repeating: xr[a]), t = V(repeating: xr[a + 1])
                let v0 = load(xr + c), v1 = load(xr + c + 8), v2 = load(xr + c + 16), v3 = load(xr + c + 24)
                p0 = p0.addingProduct(s, v0); q0 = q0.addingProduct(t, v0)
                p1 = p1.addingProduct(s, v1); q1 = q1.addingProduct(t, v1)
                p2 = p2.addingProduct(s, v2); q2 = q2.addingProduct(t, v2)
                p3 = p3.addingProduct(s, v3); q3 = q3.addingProduct(t, v3)
                xr += ds
            }
            store(p0, r0 + c); store(p1, r0 + c + 8); store(p2, r0 + c + 16); store(p3, r0 + c + 24)
            store(q0, r1 + c); store(q1, r1 + c + 8); store(q2, r1 + c + 16); store(q3, r1 + c + 24)
            c += 32
        }
        while c < ds {
            var p0 = load(r0 + c), q0 = load(r1 + c)
            var xr = x
            for _ in 0..<n {
                let v0 = load(xr + c)
                p0 = p0.addingProduct(V(repeating: xr[a]), v0); q0 = q0.addingProduct(V(repeating: xr[a + 1]), v0)
                xr += ds
            }
            store(p0, r0 + c); store(q0, r1 + c)
            c += 8
        }
    }

    /// One row a of `syrkUpper` (the last one when d is odd).
    private static func syrkRow(_ x: UnsafePointer<Float>, rows n: Int, row a: Int, stride ds: Int,
                                into g: UnsafeMutablePointer<Float>) {
        let grow = g + a * ds
        var c = a & ~7
        while c < ds {
            var g0 = load(grow + c)
            var xr = x
            for _ in 0..<n {
                g0 = g0.addingProduct(V(repeating: xr[a]), load(xr + c))
                xr += ds
            }
            store(g0, grow + c)
            c += 8
        }
    }

    /// In-place Cholesky A = UᵀU of the upper triangle of a `d × d` matrix
    /// (row stride `ds`, multiple of 8). Right-looking in panels of 4 rows:
    /// factor the panel rows among themselves, then update every later row
    /// once with all 4 (one load/store of A[j] per chunk instead of 4):
    ///   A[j][j..] -= Σ_{i in panel} U[i][j] · U[i][j..]   for j past the panel.
    /// Rows are updated from column `j & ~7`; entries left of the diagonal are scratch.
    /// Returns false when a pivot is not positive (matrix not SPD).
    static func choleskyUpper(_ a: UnsafeMutablePointer<Float>, dim d: Int, stride ds: Int) -> Bool {
        var i0 = 0
        while i0 < d {
            let w = min(4, d - i0)
            for i in i0..<(i0 + w) {
                let row = a + i * ds
                let piv = row[i]
                guard piv > 0, piv.isFinite else { return false }
                let r = piv.squareRoot(), inv = 1 / r
                row[i] = r
                for j in (i + 1)..<max(d, i + 1) { row[j] *= inv }
                for j in (i + 1)..<(i0 + w) {
                    let c0 = j & ~7
                    axpy(-row[j], row + c0, a + j * ds + c0, ds - c0)
                }
            }
            let u0 = a + i0 * ds
            if w == 4 {
                let u1 = u0 + ds, u2 = u1 + ds, u3 = u2 + ds
                for j in (i0 + 4)..<max(d, i0 + 4) {
                    let c0 = j & ~7, rj = a + j * ds
                    let s0 = V(repeating: -u0[j]), s1 = V(repeating: -u1[j]), s2 = V(repeating: -u2[j]), s3 = V(repeating: -u3[j])
                    var c = c0
                    while c < ds {
                        var v = load(rj + c)
                        v = v.addingProduct(s0, load(u0 + c)); v = v.addingProduct(s1, load(u1 + c))
                        v = v.addingProduct(s2, load(u2 + c)); v = v.addingProduct(s3, load(u3 + c))
                        store(v, rj + c)
                        c += 8
                    }
                }
            } else {
                for i in i0..<(i0 + w) {
                    let row = a + i * ds
                    for j in (i0 + w)..<max(d, i0 + w) {
                        let c0 = j & ~7
                        axpy(-row[j], row + c0, a + j * ds + c0, ds - c0)
                    }
                }
            }
            i0 += w
        }
        return true
    }

    /// Solves UᵀU x = b in place (b becomes x) with U from `choleskyUpper`.
    static func choleskySolve(_ u: UnsafePointer<Float>, dim d: Int, stride ds: Int, _ b: UnsafeMutablePointer<Float>) {
        // Forward: Uᵀ y = b, column-oriented so each step is a contiguous axpy.
        for i in 0..<d {
            let row = u + i * ds
            let yi = b[i] / row[i]
            b[i] = yi
            if i + 1 < d { axpy(-yi, row + i + 1, b + i + 1, d - i - 1) }
        }
        // Backward: U x = y.
        var i = d - 1
        while i >= 0 {
            let row = u + i * ds
            let s = i + 1 < d ? dot(row + i + 1, b + i + 1, d - i - 1) : 0
            b[i] = (b[i] - s) / row[i]
            i -= 1
        }
    }
}
