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

    /// Upper triangle of G += XᵀX, where X is `n × ds` (row stride `ds`,
    /// a multiple of 8, columns `d..<ds` zero) and G is `ds × ds`.
    /// Row a of G is updated from column `a & ~7`, so a few entries left of
    /// the diagonal are touched too (never read by the Cholesky).
    ///   G[a][c] += Σ_j X[j][a] · X[j][c]
    static func syrkUpper(_ x: UnsafePointer<Float>, rows n: Int, dim d: Int, stride ds: Int,
                          into g: UnsafeMutablePointer<Float>) {
        guard n > 0 else { return }
        for a in 0..<d {
            let grow = g + a * ds
            var c = a & ~7
            // 4 column chunks at a time: 4 accumulators held in registers over all rows.
            while c + 32 <= ds {
                var g0 = load(grow + c), g1 = load(grow + c + 8), g2 = load(grow + c + 16), g3 = load(grow + c + 24)
                var xr = x
                for _ in 0..<n {
                    let s = V(repeating: xr[a])
                    g0 = g0.addingProduct(s, load(xr + c)); g1 = g1.addingProduct(s, load(xr + c + 8))
                    g2 = g2.addingProduct(s, load(xr + c + 16)); g3 = g3.addingProduct(s, load(xr + c + 24))
                    xr += ds
                }
                store(g0, grow + c); store(g1, grow + c + 8); store(g2, grow + c + 16); store(g3, grow + c + 24)
                c += 32
            }
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
