#if arch(x86_64)
import CMFKernels
#endif

/// MFCore's SIMD kernels on raw Float pointers, run on the path chosen at
/// start (`KernelPath.active`, or the one a caller names): CMFKernels'
/// AVX2/FMA versions or `PortableKernels`. Both paths do the same operations in
/// the same order; they differ only in whether a multiply-add rounds once.
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
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int, on path: KernelPath = .active) -> Float {
        #if arch(x86_64)
        if path == .avx2FMA { return mfk_dot(a, b, n) }
        #endif
        return PortableKernels.dot(a, b, n)
    }

    /// y[c] += α·x[c] for c < n.
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
                     on path: KernelPath = .active) {
        #if arch(x86_64)
        if path == .avx2FMA { return mfk_axpy(alpha, x, y, n) }
        #endif
        PortableKernels.axpy(alpha, x, y, n)
    }

    /// out[c] += Σ_j α_j·R_j[c] over rows R_j = base + (rows?[j] ?? j)·stride with
    /// α_j = coefficients?[j] ?? scale: exactly one `axpy` per row in row order
    /// (see `PortableKernels.axpyRows`).
    @inline(__always)
    static func axpyRows(_ base: UnsafePointer<Float>, stride: Int, rows: UnsafePointer<Int32>?, count n: Int,
                         coefficients: UnsafePointer<Float>?, scale: Float = 0, width: Int,
                         into out: UnsafeMutablePointer<Float>, on path: KernelPath = .active) {
        #if arch(x86_64)
        if path == .avx2FMA { return mfk_axpy_rows(base, stride, rows, n, coefficients, scale, width, out) }
        #endif
        PortableKernels.axpyRows(base, stride: stride, rows: rows, count: n, coefficients: coefficients,
                                 scale: scale, width: width, into: out)
    }

    /// Upper triangle of G += XᵀX (see `PortableKernels.syrkUpper`).
    @inline(__always)
    static func syrkUpper(_ x: UnsafePointer<Float>, rows n: Int, dim d: Int, stride ds: Int,
                          into g: UnsafeMutablePointer<Float>, on path: KernelPath = .active) {
        #if arch(x86_64)
        if path == .avx2FMA { return mfk_syrk_upper(x, n, d, ds, g) }
        #endif
        PortableKernels.syrkUpper(x, rows: n, dim: d, stride: ds, into: g)
    }

    /// out[j·ns + l] = x_j · x_l for j ≤ l < n.
    @inline(__always)
    static func dotRowsUpper(_ x: UnsafePointer<Float>, rows n: Int, stride ds: Int,
                             into out: UnsafeMutablePointer<Float>, stride ns: Int, on path: KernelPath = .active) {
        #if arch(x86_64)
        if path == .avx2FMA { return mfk_dot_rows_upper(x, n, ds, out, ns) }
        #endif
        PortableKernels.dotRowsUpper(x, rows: n, stride: ds, into: out, stride: ns)
    }

    /// In-place Cholesky A = UᵀU of the upper triangle; false when A is not SPD.
    @inline(__always)
    static func choleskyUpper(_ a: UnsafeMutablePointer<Float>, dim d: Int, stride ds: Int,
                              on path: KernelPath = .active) -> Bool {
        #if arch(x86_64)
        if path == .avx2FMA { return mfk_cholesky_upper(a, d, ds) != 0 }
        #endif
        return PortableKernels.choleskyUpper(a, dim: d, stride: ds)
    }

    /// Solves UᵀU x = b in place with U from `choleskyUpper`.
    @inline(__always)
    static func choleskySolve(_ u: UnsafePointer<Float>, dim d: Int, stride ds: Int, _ b: UnsafeMutablePointer<Float>,
                              on path: KernelPath = .active) {
        #if arch(x86_64)
        if path == .avx2FMA { return mfk_cholesky_solve(u, d, ds, b) }
        #endif
        PortableKernels.choleskySolve(u, dim: d, stride: ds, b)
    }

    /// Scores of four Float16 ranking blocks against p into out[0..<32].
    @inline(__always)
    static func scoreBlocks4(_ q0: UnsafeRawPointer, _ q1: UnsafeRawPointer, _ q2: UnsafeRawPointer,
                             _ q3: UnsafeRawPointer, user p: UnsafePointer<Float>, k: Int,
                             into out: UnsafeMutablePointer<Float>, on path: KernelPath = .active) {
        #if arch(x86_64)
        if path == .avx2FMA { return mfk_score_blocks4(q0, q1, q2, q3, p, k, out) }
        #endif
        PortableKernels.scoreBlocks4(q0, q1, q2, q3, user: p, k: k, into: out)
    }

    /// Scores of one Float16 ranking block against p into out[0..<8].
    @inline(__always)
    static func scoreBlock(_ q: UnsafeRawPointer, user p: UnsafePointer<Float>, k: Int,
                           into out: UnsafeMutablePointer<Float>, on path: KernelPath = .active) {
        #if arch(x86_64)
        if path == .avx2FMA { return mfk_score_block(q, p, k, out) }
        #endif
        PortableKernels.scoreBlock(q, user: p, k: k, into: out)
    }
}
