import Testing
@testable import MFCore

@Suite struct ImplicitALSTests {
    /// Random factor table (stride k) and G = YᵀY + λI.
    static func problem(k: Int, items: Int, seed: UInt64) -> (y: [Float], g: [Float]) {
        var rng = SeededRNG(seed: seed)
        let y = (0..<(items * k)).map { _ in rng.nextGaussian() * 0.3 }
        let ks = (k + 7) & ~7
        var g = [Float](repeating: 0, count: ks * ks)
        y.withUnsafeBufferPointer { yb in
            g.withUnsafeMutableBufferPointer { Gram.fullRidge(rows: yb.baseAddress!, count: items, k: k, stride: ks, lambda: 0.05, into: $0.baseAddress!) }
        }
        return (y, g)
    }

    static func solve(_ s: ImplicitRowSolver, _ nb: [Int32], _ st: [Float], _ p: (y: [Float], g: [Float]),
                      alpha: Float, start: [Float], steps: Int) -> [Float] {
        var out = start
        nb.withUnsafeBufferPointer { n in
            st.withUnsafeBufferPointer { v in
                p.y.withUnsafeBufferPointer { y in
                    p.g.withUnsafeBufferPointer { g in
                        out.withUnsafeMutableBufferPointer {
                            s.solve(neighbors: n, strengths: v, factors: y.baseAddress!, gram: g.baseAddress!,
                                    alpha: alpha, out: $0.baseAddress!, cgSteps: steps)
                        }
                    }
                }
            }
        }
        return out
    }

    /// CG run to convergence equals the exact Cholesky solve; a few warm
    /// steps already get close, and the exact solve satisfies the normal equations.
    @Test(arguments: [5, 13, 32])
    func cgEqualsCholesky(k: Int) throws {
        let p = Self.problem(k: k, items: 300, seed: UInt64(k))
        let solver = ImplicitRowSolver(k: k)
        let nb: [Int32] = stride(from: 3, to: 300, by: 7).map { Int32($0) }
        let st = nb.map { Float(1 + $0 % 4) }
        let exact = Self.solve(solver, nb, st, p, alpha: 2, start: [Float](repeating: 0, count: k), steps: 0)
        let cg = Self.solve(solver, nb, st, p, alpha: 2, start: [Float](repeating: 0.01, count: k), steps: 3 * k)
        let scale = exact.map(abs).max()!
        #expect(scale > 1e-3)
        #expect(maxAbsDiff(exact, cg) < 1e-4 * max(scale, 1), "CG vs Cholesky \(maxAbsDiff(exact, cg))")
        // Residual of the normal equations with a naive reference: (G + Σ α v y yᵀ) x = Σ (1 + α v) y.
        let ks = (k + 7) & ~7
        var worst: Float = 0
        for a in 0..<k {
            var lhs: Float = 0, rhs: Float = 0
            for c in 0..<k { lhs += p.g[a * ks + c] * exact[c] }
            for (j, i) in nb.enumerated() {
                let yi = Array(p.y[Int(i) * k..<(Int(i) + 1) * k])
                let s = zip(yi, exact).reduce(0) { $0 + $1.0 * $1.1 }
                lhs += 2 * st[j] * s * yi[a]
                rhs += (1 + 2 * st[j]) * yi[a]
            }
            worst = max(worst, abs(lhs - rhs))
        }
        #expect(worst < 1e-3, "normal-equation residual \(worst)")
    }

    /// Training: the objective never increases, a trained user equals its fold-in,
    /// values below the threshold are not interactions, and the model round-trips.
    @Test func trainFoldInAndParts() throws {
        let t = Fixtures.sparse(users: 80, items: 60, perUser: 3...40)
        let data = try t.matrix()
        var c = Fixtures.config(k: 8, iterations: 10)
        c.algorithm = .implicit
        c.implicitALS = ImplicitFeedback(alpha: 3, lambda: 0.1, threshold: 3, binary: false)
        var losses: [Double] = []
        let m = try MFTrainer.train(data, config: c) { losses.append($0.loss); return true }
        for e in 1..<losses.count { #expect(losses[e] <= losses[e - 1] * (1 + 1e-4), "epoch \(e + 1): \(losses[e - 1]) -> \(losses[e])") }
        #expect(m.solver.implicitALS == c.implicitALS)
        #expect(m.itemBias.allSatisfy { $0 == 0 } && m.userBias.allSatisfy { $0 == 0 })
        let f = FoldIn(model: m)
        for u in 0..<data.userCount {
            let v = try f.user(items: Array(data.items(ofUser: u)), ratings: Array(data.ratings(ofUser: u)))
            #expect(maxAbsDiff(v.factors, m.user(Int32(u)).factors) < 1e-5, "user \(u)")
        }
        // A low value adds nothing: threshold 3.
        let u0 = Array(data.items(ofUser: 0)), r0 = Array(data.ratings(ofUser: 0))
        let extra = (0..<Int32(60)).first { !u0.contains($0) }!
        #expect(try f.user(items: u0 + [extra], ratings: r0 + [2]) == f.user(items: u0, ratings: r0))
        // predict is the unclipped dot product.
        let s = m.predict(user: m.user(0), item: 1)
        #expect(s.source == .model && abs(s.value - m.rowDot(m.user(0).factors, m.itemFactors, row: 1)) < 1e-6)
        let back = try MFModel(parts: m.parts())
        #expect(back.parts() == m.parts())
        #expect(back.solver.implicitALS == c.implicitALS)
        #expect(try FoldIn(model: back).user(items: u0, ratings: r0) == f.user(items: u0, ratings: r0))
    }

    /// explain splits x_u·y_i exactly over the interactions: with one interaction
    /// (and a non-interaction below the threshold) it carries the whole score.
    @Test func explainSplitsTheImplicitScore() throws {
        let data = try Fixtures.sparse(users: 60, items: 40, perUser: 3...20).matrix()
        var c = Fixtures.config(k: 6, iterations: 5)
        c.algorithm = .implicit
        let m = try MFTrainer.train(data, config: c)
        let f = FoldIn(model: m)
        let v = try f.user(items: [3, 7], ratings: [5, 1])
        let targets = (0..<Int32(40)).filter { $0 != 3 && m.predict(user: v, item: $0).value > 1e-3 }
        #expect(!targets.isEmpty)
        for (t, parts) in zip(targets, try f.explain(targets: targets, items: [3, 7], ratings: [5, 1])) {
            let score = m.predict(user: v, item: t).value
            #expect(parts.count == 1 && parts[0].item == 3 && parts[0].share == 1, "\(parts)")
            #expect(abs(parts[0].score - score) < 1e-4 * max(1, abs(score)), "target \(t): \(parts[0].score) vs \(score)")
        }
    }

    /// Planted preferences: users in two groups interact with two item blocks;
    /// the model ranks unseen items of the user's own block first.
    @Test func ranksOwnBlockFirst() throws {
        var t = Fixtures.Triples()
        var rng = SeededRNG(seed: 3)
        for u in 0..<40 { for i in 0..<40 where (u < 20) == (i < 20) && rng.nextUnit() < 0.5 { t.add(u, i, 5) } }
        var c = Fixtures.config(k: 4, iterations: 10)
        c.algorithm = .implicit
        let data = try t.matrix(userCount: 40, itemCount: 40)
        let m = try MFTrainer.train(data, config: c)
        for u in [0, 25] {
            let top = try m.topN(user: m.user(Int32(u)), n: 5, excludeSorted: Array(data.items(ofUser: u)))
            #expect(top.allSatisfy { ($0.item < 20) == (u < 20) }, "user \(u): \(top.map(\.item))")
        }
    }

    @Test func noInteractionsIsAnError() throws {
        var c = TrainingConfig(); c.algorithm = .implicit
        let data = try RatingMatrix(users: [0, 1], items: [0, 1], ratings: [1, 2])
        #expect(throws: MFCoreError.emptyInput(field: "ratings")) { try MFTrainer.train(data, config: c) }
        c.implicitALS.lambda = 0
        #expect(throws: MFCoreError.self) { try MFTrainer.train(data, config: c) }
    }
}
