import Testing
@testable import MFCore

/// The item-side implicit term: implicit user factors x_u that item factors
/// must also explain (which users rated the item).
@Suite struct ImplicitUserTests {
    /// The objective, including w_x Σ (I_ui − q_i·x_u)² + λ_x‖X‖², never increases.
    @Test(arguments: [(Float(0), Float(3)), (Float(0.5), Float(3)), (Float(0.5), Float(0))])
    func lossNeverIncreases(userSide: Float, itemSide: Float) throws {
        var c = Fixtures.config(k: 8, iterations: 12)
        c.implicitWeight = userSide; c.implicitUserWeight = itemSide
        var losses: [Double] = []
        _ = try MFTrainer.train(try Fixtures.sparse().matrix(), config: c) { losses.append($0.loss); return true }
        for e in 1..<losses.count { #expect(losses[e] <= losses[e - 1] * (1 + 1e-5), "epoch \(e + 1): \(losses[e - 1]) -> \(losses[e])") }
        #expect(losses.last! < losses.first!)
    }

    /// A trained user's x_u is its fold-in; an item's fold-in is its exact ALS
    /// item solve (with w_x·XᵀX and w_x·Σ x_u) against the final P, b_u, X.
    @Test func foldInEqualsALSSolves() throws {
        let data = try Fixtures.sparse(perUser: 1...70).matrix()
        let c = Fixtures.config(k: 16, iterations: 4)
        let trainer = ALSTrainer(data: data, config: c)
        let m = try trainer.run(onEpoch: nil)
        #expect(m.hasImplicitUserFactors && m.solver.implicitUserWeight == c.implicitUserWeight)
        let f = FoldIn(model: m)
        for u in 0..<data.userCount {
            let v = try f.user(items: Array(data.items(ofUser: u)), ratings: Array(data.ratings(ofUser: u)))
            #expect(maxAbsDiff(v.implicitFactors, m.user(Int32(u)).implicitFactors) < 1e-5, "user \(u)")
        }
        trainer.cgSteps = 0
        trainer.sweepItems()  // one more exact item half-sweep against the trained users
        for i in 0..<data.itemCount {
            let v = try f.item(users: Array(data.users(ofItem: i)), ratings: Array(data.ratings(ofItem: i)))
            let solved = Array(UnsafeBufferPointer(start: trainer.q + i * c.factors, count: c.factors)) + [trainer.bi[i]]
            #expect(maxAbsDiff(v.factors + [v.bias], solved) < 1e-4, "item \(i)")
        }
        // Without the term the same item solve differs: the test can fail.
        var plainSolver = m.solver; plainSolver.implicitUserWeight = 0
        var noTerm = m; noTerm.solver = plainSolver
        let i = (0..<data.itemCount).max { data.users(ofItem: $0).count < data.users(ofItem: $1).count }!
        let a = try FoldIn(model: noTerm).item(users: Array(data.users(ofItem: i)), ratings: Array(data.ratings(ofItem: i)))
        let b = try f.item(users: Array(data.users(ofItem: i)), ratings: Array(data.ratings(ofItem: i)))
        #expect(maxAbsDiff(a.factors, b.factors) > 1e-3)
    }

    /// New arrays/scalars round-trip; parts stored before them still load (term off).
    @Test func partsRoundTripAndOldParts() throws {
        let m = try MFTrainer.train(try Fixtures.sparse().matrix(), config: Fixtures.config(k: 4, iterations: 2))
        let p = m.parts()
        #expect(p.arrays["implicit_user_factors"]?.count == m.userCount * 4)
        #expect(try MFModel(parts: p).parts() == p)
        var old = p
        old.arrays["implicit_user_factors"] = nil
        old.scalars["implicit_user_weight"] = nil; old.scalars["implicit_user_lambda"] = nil
        let back = try MFModel(parts: old)
        #expect(!back.hasImplicitUserFactors && back.solver.implicitUserWeight == 0)
        #expect(try FoldIn(model: back).user(items: [0, 1], ratings: [4, 5]).implicitFactors.isEmpty)
        var bad = p
        bad.arrays["implicit_user_factors"] = [1, 2, 3]
        #expect { try MFModel(parts: bad) } throws: { ($0 as? MFCoreError)?.field == "implicit_user_factors" }
    }

    /// setUser/appendUser keep x_u with the user's row.
    @Test func rowsCarryImplicitUserFactors() throws {
        var m = try MFTrainer.train(try Fixtures.sparse().matrix(), config: Fixtures.config(k: 4, iterations: 2))
        let v = UserVector(factors: [1, 2, 3, 4], bias: 0.5, implicitFactors: [4, 3, 2, 1], rankerFactors: [1, 1, 1, 1])
        let idx = try m.appendUser(v)
        #expect(m.user(idx) == v)
        try m.setUser(0, UserVector(factors: [0, 0, 0, 1], bias: 0))
        #expect(m.user(0).implicitFactors == [0, 0, 0, 0])
        #expect(throws: MFCoreError.self) { try m.setUser(0, UserVector(factors: [0, 0, 0, 1], bias: 0, implicitFactors: [1])) }
    }
}
