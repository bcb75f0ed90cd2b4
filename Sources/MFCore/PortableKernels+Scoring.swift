extension PortableKernels {
    /// out[j·ns + l] = x_j · x_l for j ≤ l < n (rows of stride ds): the upper
    /// triangle of XXᵀ, one `dot` per entry, row by row.
    static func dotRowsUpper(_ x: UnsafePointer<Float>, rows n: Int, stride ds: Int,
                             into out: UnsafeMutablePointer<Float>, stride ns: Int) {
        for j in 0..<n {
            let xj = x + j * ds, row = out + j * ns
            for l in j..<n { row[l] = dot(xj, x + l * ds, ds) }
        }
    }

    /// 8 Float16 values widened to Float (exact). On x86-64 by integer
    /// arithmetic: the baseline has no F16C, and the compiler's conversion is a
    /// library call per lane. Shifting the 15 magnitude bits into a Float's
    /// place and multiplying by 2¹¹² rebiases normals and subnormals exactly;
    /// infinities and NaNs keep their payload with an all-ones exponent.
    @inline(__always) static func loadHalf(_ p: UnsafeRawPointer) -> V {
        #if arch(x86_64)
        let h = SIMD8<UInt32>(truncatingIfNeeded: p.loadUnaligned(as: SIMD8<UInt16>.self))
        let magnitude = h & 0x7fff, shifted = magnitude &<< 13
        var bits = unsafeBitCast(unsafeBitCast(shifted, to: V.self) * V(repeating: 0x1p112), to: SIMD8<UInt32>.self)
        bits.replace(with: shifted | 0x7f80_0000, where: magnitude .>= 0x7c00)
        return unsafeBitCast(bits | ((h & 0x8000) &<< 16), to: V.self)
        #else
        return V(p.loadUnaligned(as: SIMD8<Float16>.self))
        #endif
    }

    /// Scores of four 8-item ranking blocks (Float16, `k` rows of 8 lanes each;
    /// see `MFModel.rankingBlocks`) against p, written to out[0..<32]:
    ///   out[8b + l] = Σ_c p[c]·q_b[c][l], even c and odd c in two chains, then added.
    static func scoreBlocks4(_ q0: UnsafeRawPointer, _ q1: UnsafeRawPointer, _ q2: UnsafeRawPointer,
                             _ q3: UnsafeRawPointer, user p: UnsafePointer<Float>, k: Int,
                             into out: UnsafeMutablePointer<Float>) {
        @inline(__always) func half(_ q: UnsafeRawPointer, _ o: Int) -> V { loadHalf(q + o &* 2) }
        var a0 = V(), a1 = V(), a2 = V(), a3 = V(), c0 = V(), c1 = V(), c2 = V(), c3 = V()
        var c = 0
        while c &+ 2 <= k {
            let o = c &* 8, pa = V(repeating: p[c]), pb = V(repeating: p[c &+ 1])
            a0 = madd(a0, pa, half(q0, o)); c0 = madd(c0, pb, half(q0, o &+ 8))
            a1 = madd(a1, pa, half(q1, o)); c1 = madd(c1, pb, half(q1, o &+ 8))
            a2 = madd(a2, pa, half(q2, o)); c2 = madd(c2, pb, half(q2, o &+ 8))
            a3 = madd(a3, pa, half(q3, o)); c3 = madd(c3, pb, half(q3, o &+ 8))
            c &+= 2
        }
        if c < k {
            let o = c &* 8, pa = V(repeating: p[c])
            a0 = madd(a0, pa, half(q0, o)); a1 = madd(a1, pa, half(q1, o))
            a2 = madd(a2, pa, half(q2, o)); a3 = madd(a3, pa, half(q3, o))
        }
        store(a0 + c0, out); store(a1 + c1, out + 8); store(a2 + c2, out + 16); store(a3 + c3, out + 24)
    }

    /// `scoreBlocks4` for one block: out[0..<8].
    static func scoreBlock(_ q0: UnsafeRawPointer, user p: UnsafePointer<Float>, k: Int,
                           into out: UnsafeMutablePointer<Float>) {
        var a0 = V(), c0 = V(), c = 0
        while c &+ 2 <= k {
            a0 = madd(a0, V(repeating: p[c]), loadHalf(q0 + c &* 16))
            c0 = madd(c0, V(repeating: p[c &+ 1]), loadHalf(q0 + (c &+ 1) &* 16))
            c &+= 2
        }
        if c < k { a0 = madd(a0, V(repeating: p[c]), loadHalf(q0 + c &* 16)) }
        store(a0 + c0, out)
    }
}
