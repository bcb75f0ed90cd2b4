import Testing
@testable import MFCore

/// `setItem`/`appendItem` keep the rotated layout and its bounds exact without refitting
/// the rotation; equal scores in different blocks go to the lower item index.
@Suite struct RankingUpdateTests {
    typealias P = RankingPruningTests

    /// A direction the fitted rotation gives the least energy (last row of R), as item factors.
    func weakestDirection(_ m: MFModel, scale: Float) -> [Float] {
        var e = [Float](repeating: 0, count: m.factors)
        e[m.factors - 1] = scale
        return m.rankingRotation.inverse(e)
    }

    func zeros(_ k: Int) -> [Float] { [Float](repeating: 0, count: k) }

    @Test(arguments: P.Kind.allCases)
    func updatedAndAppendedItemsAreFound(kind: P.Kind) throws {
        let k = 40
        var m = try P.model(kind, items: 700, users: 6, k: k, seed: 3)
        let rotation = m.rankingRotation
        let u = m.user(0)
        // A low-norm item made strong, though its slot sits among weak blocks.
        let weakest = m.rankingItemOfSlot[m.itemCount - 1]
        let strong = u.factors.map { $0 * 10 }
        try m.setItem(weakest, ItemVector(factors: strong, bias: 1, implicitFactors: zeros(k)))
        #expect(try m.topN(user: u, n: 1).first?.item == weakest)
        // Appended after the rotation was fitted: one along p_u, several along the
        // direction R put last (their energy sits in the tail the partial bound covers).
        let added = try m.appendItem(ItemVector(factors: strong.map { $0 * 2 }, bias: 1, implicitFactors: zeros(k)))
        #expect(try m.topN(user: u, n: 2).map(\.item) == [added, weakest])
        for j in 0..<19 {
            let f = weakestDirection(m, scale: Float(j % 2 == 0 ? 1 : -1) * Float(5 + j))
            try m.appendItem(ItemVector(factors: f, bias: Float(j) * 0.1, implicitFactors: zeros(k)))
        }
        var tailUser = m.user(1)
        tailUser.factors = weakestDirection(m, scale: 3)
        #expect(m.rankingRotation == rotation)
        for n in [1, 10, 50] {
            try P.expectExactForAllUsers(m, n: n)
            try P.expectExact(m, tailUser, n: n)
        }
        #expect(try m.topN(user: tailUser, n: 1).first.map { Int($0.item) >= 702 } == true)
        // Turning the strong item weak again lowers its block's bound but keeps results exact.
        try m.setItem(weakest, ItemVector(factors: zeros(k), bias: -1, implicitFactors: zeros(k)))
        for n in [1, 10] { try P.expectExactForAllUsers(m, n: n) }
        #expect(m.rankingRotation == rotation)
    }

    /// Equal scores in different blocks: the lower item index wins even when its slot comes later.
    @Test func tiesAcrossBlocksGoToLowerIndex() throws {
        let k = 4, items = 40
        var q = [Float](repeating: 0.01, count: items * k), b = [Float](repeating: 0, count: items)
        for c in 0..<k { q[37 * k + c] = 1; q[5 * k + c] = 1 }
        b[5] = 0; b[37] = 0
        let m = try MFModel(factors: k, globalMean: 3, minRating: 1, maxRating: 5, userBias: [0], userFactors: [1, 1, 1, 1],
                            itemBias: b, itemFactors: q, solver: SolverParams(lambda: 1, biasLambda: 1, weightedLambda: false, implicitWeight: 0))
        #expect(try m.topN(user: m.user(0), n: 1).map(\.item) == [5])
        #expect(try m.topN(user: m.user(0), n: 2).map(\.item) == [5, 37])
        #expect(try m.topN(user: m.user(0), n: 1, excludeSorted: [5]).map(\.item) == [37])
    }

    /// Copies of one strong item spread over a large staged model (k = 64): identical stored
    /// vectors score bitwise alike in any block, so the heap boundary falls between copies.
    @Test func tiesAcrossBlocksWithStages() throws {
        let k = 64
        var m = try P.model(.clustered, items: 900, users: 4, k: k, seed: 8)
        let u = m.user(2)
        let copies: [Int32] = [811, 3, 450, 120, 899]
        let row = ItemVector(factors: u.factors.map { $0 * 4 }, bias: 0.5, implicitFactors: zeros(k))
        for i in copies { try m.setItem(i, row) }
        let slots = Set(copies.map { m.rankingSlotOfItem[Int($0)] / 8 })
        #expect(slots.count > 1)
        let top = try m.topN(user: u, n: 3)
        #expect(top.map(\.item) == [3, 120, 450] && top[0].score == top[2].score)
        #expect(try m.topN(user: u, n: 2, excludeSorted: [3]).map(\.item) == [120, 450])
        for n in [1, 2, 5, 6] { try P.expectExact(m, u, n: n); try P.expectExact(m, u, n: n, exclude: [120]) }
    }

    /// Growing from 3 items to 300 by appends (the block storage is re-laid out several times,
    /// the rotation stays the one fitted on 3 items) keeps every call exact.
    @Test func manyAppendsFromATinyCatalogue() throws {
        var m = try P.model(.clustered, items: 3, users: 5, k: 20, seed: 21)
        let rotation = m.rankingRotation
        var rng = SeededRNG(seed: 22)
        for j in 0..<297 {
            let f = (0..<20).map { _ in rng.nextGaussian() * Float(1 + j % 5) * 0.3 }
            try m.appendItem(ItemVector(factors: f, bias: rng.nextGaussian() * 0.3))
            if j % 60 == 0 { try P.expectExactForAllUsers(m, n: 10) }
        }
        #expect(m.itemCount == 300 && m.rankingCapacity >= 38 && m.rankingRotation == rotation)
        for n in [1, 10, 50] { try P.expectExactForAllUsers(m, n: n) }
    }

    /// Negative, zero and tied scores come back in the reference's order (the result is sorted
    /// through integer keys made from the score bits).
    @Test func signedAndTiedScoresSortLikeTheReference() throws {
        let k = 4, items = 30
        var q = [Float](repeating: 0, count: items * k), b = [Float](repeating: 0, count: items)
        for i in 0..<items { q[i * k] = Float(i % 7) - 3; b[i] = Float(i % 3) - 1 }
        let m = try MFModel(factors: k, globalMean: -0.5, minRating: -5, maxRating: 5, userBias: [0], userFactors: [1, 0, 0, 0],
                            itemBias: b, itemFactors: q, solver: SolverParams(lambda: 1, biasLambda: 1, weightedLambda: false, implicitWeight: 0),
                            ranking: RankingConfig(implicitWeight: 0, itemBiasWeight: 1))
        let top = try m.topN(user: m.user(0), n: items)
        #expect(top == m.topNReference(user: m.user(0), n: items))
        #expect(top.contains { $0.score < 0 } && top.contains { $0.score > 0 } && Set(top.map(\.score)).count < items)
    }

    /// A rebuilt layout refits the rotation (and stays deterministic).
    @Test func rebuildRefitsDeterministically() throws {
        var m = try P.model(.clustered, items: 300, users: 4, k: 24, seed: 12)
        let before = m.rankingRotation
        for j in 0..<50 { try m.appendItem(ItemVector(factors: weakestDirection(m, scale: Float(j + 1)), bias: 0, implicitFactors: zeros(24))) }
        #expect(m.rankingRotation == before)
        try m.setRanking(m.ranking)
        #expect(m.rankingRotation != before)
        var again = m
        again.rebuildDerived()
        #expect(again.rankingRotation == m.rankingRotation && again.rankingBlocks == m.rankingBlocks)
        for n in [1, 10] { try P.expectExactForAllUsers(m, n: n) }
    }
}
