/// The portable path of the SIMD8 kernels (`Kernels` dispatches): plain Swift
/// SIMD that any target compiles well. Every multiply-add goes through `madd`,
/// fused on aarch64 and a multiply then an add on x86-64; the AVX2/FMA path
/// (CMFKernels) is this code with every `madd` fused. The slow, obviously
/// correct references live in the tests.
enum PortableKernels {
    typealias V = SIMD8<Float>

    /// Whether `madd` rounds once (fused) on this target.
    #if arch(x86_64)
    static let fused = false
    #else
    static let fused = true
    #endif

    /// acc + a·b. Fused where the baseline ISA has FMA (aarch64); a multiply then
    /// an add on x86-64, whose baseline (SSE2) has no FMA: `addingProduct` there
    /// becomes a libm `fmaf` call per lane, and the plain 2016 fit took 4.06 s
    /// instead of 0.22 s (docs/core.md, "Kernels and CPU dispatch").
    @inline(__always) static func madd(_ acc: V, _ a: V, _ b: V) -> V {
        #if arch(x86_64)
        acc + a * b
        #else
        acc.addingProduct(a, b)
        #endif
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V { Kernels.load(p) }
    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { Kernels.store(v, p) }

    /// Σ a[c]·b[c] for c < n.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var s0 = V(), s1 = V(), c = 0
        while c + 16 <= n {
            s0 = madd(s0, load(a + c), load(b + c))
            s1 = madd(s1, load(a + c + 8), load(b + c + 8))
            c += 16
        }
        if c + 8 <= n { s0 = madd(s0, load(a + c), load(b + c)); c += 8 }
        var s = (s0 + s1).sum()
        while c < n { s += a[c] * b[c]; c += 1 }
        return s
    }

    /// y[c] += α·x[c] for c < n.
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let av = V(repeating: alpha)
        var c = 0
        while c + 8 <= n { store(madd(load(y + c), av, load(x + c)), y + c); c += 8 }
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
                a0 = madd(a0, s, load(r)); a1 = madd(a1, s, load(r + 8))
                a2 = madd(a2, s, load(r + 16)); a3 = madd(a3, s, load(r + 24))
            }
            store(a0, out + c); store(a1, out + c + 8); store(a2, out + c + 16); store(a3, out + c + 24)
            c += 32
        }
        while c + 8 <= width {
            var a0 = load(out + c)
            for j in 0..<n { a0 = madd(a0, V(repeating: alpha(j)), load(row(j) + c)) }
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
                p0 = madd(p0, s, v0); q0 = madd(q0, t, v0)
                p1 = madd(p1, s, v1); q1 = madd(q1, t, v1)
                p2 = madd(p2, s, v2); q2 = madd(q2, t, v2)
                p3 = madd(p3, s, v3); q3 = madd(q3, t, v3)
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
                p0 = madd(p0, V(repeating: xr[a]), v0); q0 = madd(q0, V(repeating: xr[a + 1]), v0)
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
                g0 = madd(g0, V(repeating: xr[a]), load(xr + c))
                xr += ds
            }
            store(g0, grow + c)
            c += 8
        }
    }
}
