/// Gram matrices of whole factor tables, padded for the row solver.
enum Gram {
    /// G = scale · RᵀR for `count` rows of length k (stride k), written as the
    /// upper triangle of a `stride × stride` matrix (rows/cols ≥ k zero).
    /// Rows are gathered in blocks into a padded buffer so the SIMD kernel
    /// never reads past a row.
    static func upper(rows r: UnsafePointer<Float>, count n: Int, k: Int, stride ds: Int,
                      into g: UnsafeMutablePointer<Float>, scale: Float) {
        g.update(repeating: 0, count: ds * ds)
        let block = 256
        let buf = UnsafeMutablePointer<Float>.allocate(capacity: block * ds)
        defer { buf.deallocate() }
        buf.update(repeating: 0, count: block * ds)
        var start = 0
        while start < n {
            let m = min(block, n - start)
            for j in 0..<m { (buf + j * ds).update(from: r + (start + j) * k, count: k) }
            Kernels.syrkUpper(buf, rows: m, dim: k, stride: ds, into: g)
            start += m
        }
        if scale != 1 {
            for a in 0..<k { for c in (a & ~7)..<ds { g[a * ds + c] *= scale } }
        }
    }
}
