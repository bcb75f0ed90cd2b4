import Testing
@testable import MFCore

/// `topN` skips blocks by a Cauchy–Schwarz bound over slots ordered by that bound;
/// these check it against the obviously correct full sort.
@Suite struct RankingPruningTests {
    /// Items with norms spread over four orders of magnitude (as trained models have:
    /// rarely rated items are shrunk towards 0), so most blocks are skipped.
    func skewedModel(items: Int, users: Int, k: Int, seed: UInt64) throws -> MFModel {
        var rng = SeededRNG(seed: seed)
        func table(_ n: Int) -> [Float] { (0..<n).map { _ in rng.nextGaussian() } }
        var q = table(items * k), y = table(items * k)
        for i in 0..<items {
            let scale = Float(1e-3) * Float(1 << (rng.next() % 13))
            for c in 0..<k { q[i * k + c] *= scale; y[i * k + c] *= scale * 0.01 }
        }
        return try MFModel(factors: k, globalMean: 3.5, minRating: 0.5, maxRating: 5,
                           userBias: table(users), userFactors: table(users * k), itemBias: table(items).map { $0 * 0.3 },
                           itemFactors: q, implicitItemFactors: y, solver: SolverParams(TrainingConfig()))
    }

    func naiveTop(_ m: MFModel, _ u: UserVector, n: Int, exclude: Set<Int32>) -> [ScoredIndex] {
        let all = (0..<m.itemCount).filter { !exclude.contains(Int32($0)) }
            .map { ScoredIndex(item: Int32($0), score: m.rankingScore(u, $0)) }
        return Array(all.sorted(by: ScoredIndex.better).prefix(n))
    }

    func expectSameTop(_ m: MFModel, _ u: UserVector, n: Int, exclude: [Int32] = []) throws {
        let top = try m.topN(user: u, n: n, excludeSorted: exclude)
        let naive = naiveTop(m, u, n: n, exclude: Set(exclude))
        #expect(top.map(\.item) == naive.map(\.item))
        #expect(maxAbsDiff(top.map(\.score), naive.map(\.score)) < 1e-4)
    }

    @Test(arguments: [1, 10, 50])
    func prunedScanEqualsFullSort(n: Int) throws {
        let m = try skewedModel(items: 1_003, users: 12, k: 16, seed: UInt64(n))
        for u in 0..<m.userCount {
            let exclude = (0..<m.itemCount).filter { ($0 + u) % 5 == 0 }.map { Int32($0) }
            try expectSameTop(m, m.user(Int32(u)), n: n, exclude: exclude)
            try expectSameTop(m, m.user(Int32(u)), n: n)
        }
    }

    /// The layout really is bound-ordered and the bounds really are bounds.
    @Test func blockBoundsCoverEveryLane() throws {
        let m = try skewedModel(items: 517, users: 3, k: 8, seed: 9)
        #expect(Set(m.rankingItemOfSlot) == Set((0..<517).map { Int32($0) }))
        for (s, i) in m.rankingItemOfSlot.enumerated() { #expect(m.rankingSlotOfItem[Int(i)] == Int32(s)) }
        for s in 0..<m.itemCount {
            let i = m.rankingItemOfSlot[s], r = m.rankingVector(i)
            #expect(r.reduce(0) { $0 + $1 * $1 }.squareRoot() <= m.blockMaxNorm[s / 8] * 1.0001)
            #expect(m.ranking.itemBiasWeight * m.itemBias[Int(i)] <= m.blockMaxBias[s / 8])
        }
    }

    /// A low-norm item changed into a strong one, and a new strong item, must be found
    /// even though their slots sit among weak blocks.
    @Test func updatedAndAppendedItemsAreFound() throws {
        var m = try skewedModel(items: 300, users: 4, k: 8, seed: 3)
        let u = m.user(0)
        let weakest = m.rankingItemOfSlot[m.itemCount - 1]
        let strong = u.factors.map { $0 * 10 }
        try m.setItem(weakest, ItemVector(factors: strong, bias: 1, implicitFactors: [Float](repeating: 0, count: 8)))
        #expect(try m.topN(user: u, n: 1).first?.item == weakest)
        let added = try m.appendItem(ItemVector(factors: strong.map { $0 * 2 }, bias: 1, implicitFactors: [Float](repeating: 0, count: 8)))
        #expect(try m.topN(user: u, n: 2).map(\.item) == [added, weakest])
        for v in 0..<m.userCount { try expectSameTop(m, m.user(Int32(v)), n: 10) }
        // Turning the strong item weak again lowers its block's bound but keeps results exact.
        try m.setItem(weakest, ItemVector(factors: [Float](repeating: 0, count: 8), bias: -1, implicitFactors: [Float](repeating: 0, count: 8)))
        for v in 0..<m.userCount { try expectSameTop(m, m.user(Int32(v)), n: 10) }
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
}
