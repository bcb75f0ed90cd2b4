import Testing
@testable import MFCore

/// Every kernel on every path this CPU runs (portable always, AVX2/FMA where
/// available), against slow references: naive loops, or the kernel's formula
/// spelled out in its order of operations, bit for bit.
@Suite struct KernelTests {
    func randomArray(_ n: Int, seed: UInt64) -> [Float] {
        var rng = SeededRNG(seed: seed)
        return (0..<n).map { _ in rng.nextGaussian() }
    }

    /// acc + a·b rounded as `path` rounds a multiply-add: once (fused) or twice.
    func madd(_ path: KernelPath, _ acc: Float, _ a: Float, _ b: Float) -> Float {
        path == .avx2FMA || PortableKernels.fused ? acc.addingProduct(a, b) : acc + a * b
    }

    @Test(arguments: KernelPath.available, [1, 7, 8, 13, 33, 65])
    func syrkMatchesNaive(path: KernelPath, d: Int) {
        let ds = (d + 7) & ~7, n = 9
        var x = randomArray(n * ds, seed: UInt64(d))
        for j in 0..<n { for c in d..<ds { x[j * ds + c] = 0 } }
        var g = [Float](repeating: 0, count: ds * ds)
        x.withUnsafeBufferPointer { xb in g.withUnsafeMutableBufferPointer {
            Kernels.syrkUpper(xb.baseAddress!, rows: n, dim: d, stride: ds, into: $0.baseAddress!, on: path) } }
        for a in 0..<d {
            for c in a..<d {
                var s: Float = 0
                for j in 0..<n { s += x[j * ds + a] * x[j * ds + c] }
                #expect(abs(g[a * ds + c] - s) < 1e-4, "G[\(a)][\(c)]")
            }
        }
    }

    /// Bitwise against the formula in the kernel's order: each entry from
    /// `a & ~7` on gets one multiply-add per row, rows ascending, onto
    /// what G held; entries left of `a & ~7` are left alone.
    @Test(arguments: KernelPath.available, [1, 2, 7, 8, 13, 33, 64, 65, 129])
    func syrkIsTheSameOrderSum(path: KernelPath, d: Int) {
        let ds = (d + 7) & ~7
        for n in [1, 9, 40] {
            var x = randomArray(n * ds, seed: UInt64(100 + d + n))
            for j in 0..<n { for c in d..<ds { x[j * ds + c] = 0 } }
            let g0 = randomArray(ds * ds, seed: UInt64(200 + d + n))
            var g = g0
            x.withUnsafeBufferPointer { xb in g.withUnsafeMutableBufferPointer {
                Kernels.syrkUpper(xb.baseAddress!, rows: n, dim: d, stride: ds, into: $0.baseAddress!, on: path) } }
            for a in 0..<ds {
                for c in 0..<ds {
                    var want = g0[a * ds + c]
                    if a < d && c >= a & ~7 {
                        for j in 0..<n { want = madd(path, want, x[j * ds + a], x[j * ds + c]) }
                    }
                    #expect(g[a * ds + c].bitPattern == want.bitPattern, "n \(n): G[\(a)][\(c)]")
                }
            }
        }
    }

    /// Bitwise the same as one `axpy` per row, in row order, for gathered and
    /// contiguous rows, per-row coefficients or one scale, and widths with a tail.
    @Test(arguments: KernelPath.available, [1, 7, 8, 13, 32, 40, 64, 65, 72])
    func axpyRowsIsAxpyPerRow(path: KernelPath, width: Int) {
        let stride = width + 3, tableRows = 30
        let table = randomArray(tableRows * stride, seed: UInt64(width))
        let coefficients = randomArray(tableRows, seed: 7)
        let start = randomArray(width, seed: 8)
        let picks: [Int32] = [4, 0, 29, 4, 17, 3, 3, 22, 9]
        for gathered in [false, true] {
            for perRow in [false, true] {
                let n = gathered ? picks.count : 11
                var want = start, got = start
                table.withUnsafeBufferPointer { t in
                    coefficients.withUnsafeBufferPointer { a in
                        picks.withUnsafeBufferPointer { p in
                            for j in 0..<n {
                                let r = gathered ? Int(p[j]) : j
                                want.withUnsafeMutableBufferPointer {
                                    Kernels.axpy(perRow ? a[j] : 0.75, t.baseAddress! + r * stride, $0.baseAddress!, width, on: path)
                                }
                            }
                            got.withUnsafeMutableBufferPointer {
                                Kernels.axpyRows(t.baseAddress!, stride: stride, rows: gathered ? p.baseAddress : nil, count: n,
                                                 coefficients: perRow ? a.baseAddress : nil, scale: 0.75, width: width,
                                                 into: $0.baseAddress!, on: path)
                            }
                        }
                    }
                }
                #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "gathered \(gathered), per-row \(perRow)")
            }
        }
    }

    @Test(arguments: KernelPath.available, [1, 5, 16, 65])
    func choleskySolveMatchesNaive(path: KernelPath, d: Int) {
        let ds = (d + 7) & ~7
        // SPD matrix A = MᵀM + I and right-hand side b.
        let m = randomArray(d * d, seed: 3)
        var a = [Float](repeating: 0, count: ds * ds), dense = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for r in 0..<d { for c in 0..<d {
            var s: Double = r == c ? 1 : 0
            for j in 0..<d { s += Double(m[j * d + r] * m[j * d + c]) }
            dense[r][c] = s
            if c >= r { a[r * ds + c] = Float(s) }
        } }
        let b = randomArray(d, seed: 4)
        var x = b + [Float](repeating: 0, count: ds - d)
        a.withUnsafeMutableBufferPointer { ab in
            #expect(Kernels.choleskyUpper(ab.baseAddress!, dim: d, stride: ds, on: path))
            x.withUnsafeMutableBufferPointer { Kernels.choleskySolve(ab.baseAddress!, dim: d, stride: ds, $0.baseAddress!, on: path) }
        }
        // Residual of the exact system in Double.
        for r in 0..<d {
            var s = 0.0
            for c in 0..<d { s += dense[r][c] * Double(x[c]) }
            #expect(abs(s - Double(b[r])) < 2e-3 * max(1, abs(Double(b[r]))), "row \(r)")
        }
    }

    @Test(arguments: KernelPath.available)
    func choleskyRejectsIndefinite(path: KernelPath) {
        var a: [Float] = [1, 2, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0] + [Float](repeating: 0, count: 48)
        let ok = a.withUnsafeMutableBufferPointer { Kernels.choleskyUpper($0.baseAddress!, dim: 2, stride: 8, on: path) }
        #expect(!ok)
    }

    @Test(arguments: KernelPath.available)
    func dotAndAxpyMatchNaive(path: KernelPath) {
        let a = randomArray(37, seed: 1), b = randomArray(37, seed: 2)
        let d = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { Kernels.dot(x.baseAddress!, $0.baseAddress!, 37, on: path) } }
        #expect(abs(d - zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }) < 1e-4)
        var y = b
        a.withUnsafeBufferPointer { x in y.withUnsafeMutableBufferPointer { Kernels.axpy(0.5, x.baseAddress!, $0.baseAddress!, 37, on: path) } }
        #expect(maxAbsDiff(y, zip(a, b).map { 0.5 * $0 + $1 }) < 1e-6)
    }

    /// Bitwise against `dot`'s order: lane l of two accumulators takes columns
    /// l, l+16, … and l+8, l+24, … (one more 8-column step into the first),
    /// the 8 lane sums are added in order from −0, then the tail one by one.
    @Test(arguments: KernelPath.available, [0, 1, 7, 8, 15, 16, 23, 24, 37, 64, 72, 129])
    func dotIsTheSameOrderSum(path: KernelPath, n: Int) {
        let a = randomArray(n, seed: UInt64(10 + n)), b = randomArray(n, seed: UInt64(20 + n))
        var s0 = [Float](repeating: 0, count: 8), s1 = s0, c = 0
        while c + 16 <= n {
            for l in 0..<8 { s0[l] = madd(path, s0[l], a[c + l], b[c + l]); s1[l] = madd(path, s1[l], a[c + 8 + l], b[c + 8 + l]) }
            c += 16
        }
        if c + 8 <= n { for l in 0..<8 { s0[l] = madd(path, s0[l], a[c + l], b[c + l]) }; c += 8 }
        var want: Float = -0.0
        for l in 0..<8 { want += s0[l] + s1[l] }
        while c < n { want += a[c] * b[c]; c += 1 }
        let got = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { Kernels.dot(x.baseAddress!, $0.baseAddress!, n, on: path) } }
        #expect(got.bitPattern == want.bitPattern)
    }

    /// XXᵀ's upper triangle is one `dot` per entry; nothing else is written.
    @Test(arguments: KernelPath.available)
    func dotRowsUpperIsOneDotPerEntry(path: KernelPath) {
        let n = 11, ds = 72, ns = 16
        let x = randomArray(n * ds, seed: 30)
        var out = [Float](repeating: .nan, count: n * ns)
        x.withUnsafeBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { Kernels.dotRowsUpper(xb.baseAddress!, rows: n, stride: ds, into: $0.baseAddress!, stride: ns, on: path) }
            for j in 0..<n {
                for l in 0..<ns {
                    if l >= j && l < n {
                        let want = Kernels.dot(xb.baseAddress! + j * ds, xb.baseAddress! + l * ds, ds, on: path)
                        #expect(out[j * ns + l].bitPattern == want.bitPattern, "[\(j)][\(l)]")
                    } else {
                        #expect(out[j * ns + l].isNaN, "[\(j)][\(l)] written")
                    }
                }
            }
        }
    }

    /// Both paths factor and solve the same systems to within rounding.
    @Test(.enabled(if: KernelPath.available.count > 1, "one kernel path on this CPU"))
    func pathsAgree() {
        let d = 65, ds = 72
        let m = randomArray(d * d, seed: 40), b = randomArray(d, seed: 41)
        var a = [Float](repeating: 0, count: ds * ds)
        for r in 0..<d { for c in r..<d {
            var s: Float = r == c ? 1 : 0
            for j in 0..<d { s += m[j * d + r] * m[j * d + c] }
            a[r * ds + c] = s
        } }
        let solutions = KernelPath.available.map { path in
            var u = a, x = b + [Float](repeating: 0, count: ds - d)
            u.withUnsafeMutableBufferPointer { ub in
                _ = Kernels.choleskyUpper(ub.baseAddress!, dim: d, stride: ds, on: path)
                x.withUnsafeMutableBufferPointer { Kernels.choleskySolve(ub.baseAddress!, dim: d, stride: ds, $0.baseAddress!, on: path) }
            }
            return Array(x.prefix(d))
        }
        let scale = solutions[0].map(abs).max() ?? 1
        #expect(maxAbsDiff(solutions[0], solutions[1]) < 1e-3 * max(1, scale))
    }

    /// The dual (Woodbury) path and the primal Cholesky path solve the same problem.
    @Test(arguments: [1, 3, 20, 40])
    func dualSolveEqualsPrimal(n: Int) {
        let k = 32, items = 50
        let q = randomArray(items * k, seed: 5), bias = randomArray(items, seed: 6)
        var rng = SeededRNG(seed: UInt64(n))
        let nb = (0..<n).map { _ in Int32(rng.next() % UInt64(items)) }
        let r = (0..<n).map { _ in 1 + 4 * rng.nextUnit() }
        func solve(dual: Bool) -> [Float] {
            let s = RowSolver(k: k)
            s.dualThreshold = dual ? 1000 : 0
            var out = [Float](repeating: 0, count: k)
            let b = q.withUnsafeBufferPointer { qb in bias.withUnsafeBufferPointer { bb in nb.withUnsafeBufferPointer { n in
                r.withUnsafeBufferPointer { rb in out.withUnsafeMutableBufferPointer {
                    s.solve(neighbors: n, ratings: rb, mu: 3, side: RowSide(factors: qb.baseAddress!, bias: bb.baseAddress!),
                            lambda: 0.7, biasLambda: 0.2, outFactors: $0.baseAddress!)
                } } } } }
            return out + [b]
        }
        let p = solve(dual: false), d = solve(dual: true)
        #expect(maxAbsDiff(p, d) < 1e-4)
    }

    @Test func topKHeapKeepsBestWithIndexTies() {
        var h = TopKHeap(capacity: 3)
        for (i, s) in [Float(1), 5, 5, 2, 5, 0].enumerated() { h.offer(ScoredIndex(item: Int32(i), score: s)) }
        #expect(h.sorted().map(\.item) == [1, 2, 4])
    }
}
