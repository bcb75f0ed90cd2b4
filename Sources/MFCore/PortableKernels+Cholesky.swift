extension PortableKernels {
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
                        v = madd(v, s0, load(u0 + c)); v = madd(v, s1, load(u1 + c))
                        v = madd(v, s2, load(u2 + c)); v = madd(v, s3, load(u3 + c))
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
