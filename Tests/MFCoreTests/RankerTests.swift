import Testing
@testable import MFCore

@Suite struct RankerTests {
    func trained(_ ratingWeight: Float = 0.05) throws -> (MFModel, RatingMatrix) {
        let data = try Fixtures.sparse(users: 50, items: 60).matrix()
        var c = Fixtures.config(k: 6, iterations: 6)
        c.ranking.ratingWeight = ratingWeight
        return (try MFTrainer.train(data, config: c), data)
    }

    /// Ranking scores straight from the Float32 factors: x_u·z_i + ω(μ + b_u + p_u·(q_i + γy_i) + βb_i).
    func reference(_ m: MFModel, _ u: Int32) -> [Float] {
        let k = m.factors, v = m.user(u), r = m.ranker!, w = m.ranking.ratingWeight
        return (0..<m.itemCount).map { i in
            var x: Float = 0, p: Float = 0
            for c in 0..<k {
                x += v.rankerFactors[c] * r.itemFactors[i * k + c]
                p += v.factors[c] * (m.itemFactors[i * k + c] + m.ranking.implicitWeight * m.implicitItemFactors[i * k + c])
            }
            return x + w * (m.globalMean + v.bias + p + m.ranking.itemBiasWeight * m.itemBias[i])
        }
    }

    /// The blocked scan with a ranker returns the reference's best items (up to Float16 rounding).
    @Test(arguments: [Float(0), 0.05, 1])
    func topNWithRankerMatchesFloat32Reference(ratingWeight: Float) throws {
        let (m, data) = try trained(ratingWeight)
        #expect(m.ranker != nil && m.rankingDimension == (ratingWeight == 0 ? 6 : 12))
        for u in Int32(0)..<Int32(10) {
            let seen = Array(data.items(ofUser: Int(u)))
            let ref = reference(m, u)
            let candidates = (0..<m.itemCount).filter { !seen.contains(Int32($0)) }.sorted { ref[$0] > ref[$1] }
            let top = try m.topN(user: m.user(u), n: 5, excludeSorted: seen)
            #expect(top.count == 5)
            let tolerance: Float = 2e-2 * (1 + abs(ref[candidates[0]]))
            for (j, s) in top.enumerated() {
                #expect(abs(s.score - ref[Int(s.item)]) < tolerance)
                #expect(ref[Int(s.item)] >= ref[candidates[j]] - 2 * tolerance)
            }
        }
    }

    /// The last sweep solves users exactly, so a user's fold-in from its own ratings is its trained ranker row.
    @Test func foldInReproducesTrainedRankerRows() throws {
        let (m, data) = try trained()
        let f = FoldIn(model: m)
        for u in 0..<10 {
            let v = try f.user(items: Array(data.items(ofUser: u)), ratings: Array(data.ratings(ofUser: u)))
            #expect(maxAbsDiff(v.rankerFactors, m.user(Int32(u)).rankerFactors) < 1e-3)
        }
        let item = try f.item(users: [0, 1, 2], ratings: [5, 1, 5])
        #expect(item.rankerFactors.count == m.factors && item.rankerFactors.contains { $0 != 0 })
    }

    @Test func partsRoundTripKeepsTheRanker() throws {
        let (m, _) = try trained()
        let back = try MFModel(parts: m.parts())
        #expect(back.ranker == m.ranker && back.ranking == m.ranking && back.rankingBlocks == m.rankingBlocks)
        #expect(try back.topN(user: back.user(3), n: 5) == m.topN(user: m.user(3), n: 5))
    }

    @Test func rowsCarryRankerFactors() throws {
        var (m, _) = try trained()
        let u = try m.appendUser(UserVector(factors: [Float](repeating: 0.1, count: 6), bias: 0))
        #expect(m.user(u).rankerFactors == [Float](repeating: 0, count: 6))
        var v = m.user(0)
        v.rankerFactors = [1, 2, 3, 4, 5, 6]
        try m.setUser(0, v)
        #expect(m.user(0).rankerFactors == [1, 2, 3, 4, 5, 6])
        v.rankerFactors = [1]
        #expect(throws: MFCoreError.self) { try m.setUser(0, v) }
        var item = m.item(2)
        item.rankerFactors = [Float](repeating: 0.5, count: 6)
        try m.setItem(2, item)
        #expect(m.item(2).rankerFactors == item.rankerFactors)
    }

    @Test func likedIsTheSmallestValueAboveTheMean() {
        func threshold(_ v: [Float], _ c: RankerConfig = RankerConfig()) -> Float {
            v.withUnsafeBufferPointer { c.feedback(values: $0, mean: v.reduce(0, +) / Float(v.count)).threshold }
        }
        #expect(threshold([1, 2, 3, 4, 5]) == 4)
        #expect(threshold([0.5, 3.5, 4, 4.5, 5]) == 4)
        #expect(threshold([2, 2, 2]) == 2)
        var pinned = RankerConfig()
        pinned.threshold = 5
        #expect(threshold([1, 2, 3, 4, 5], pinned) == 5)
    }

    @Test func plainAndImplicitModelsHaveNoRanker() throws {
        let data = try Fixtures.sparse().matrix()
        #expect(try MFTrainer.train(data, config: .plain(factors: 4, lambda: 1, iterations: 2)).ranker == nil)
        var c = Fixtures.config(k: 4, iterations: 2)
        c.algorithm = .implicit
        #expect(try MFTrainer.train(data, config: c).ranker == nil)
        c.algorithm = .sgd
        #expect(try MFTrainer.train(data, config: c).ranker != nil)
    }
}

@Suite struct ImportedModelRankerTests {
    /// A model trained without a ranker (as Spark's) gets one from the ratings, on its own k.
    @Test func withRankerAttachesARankerOfTheModelsK() throws {
        let data = try Fixtures.sparse(users: 40, items: 50).matrix()
        let plain = try MFTrainer.train(data, config: .plain(factors: 3, lambda: 1, iterations: 3))
        #expect(plain.ranker == nil)
        var c = TrainingConfig()
        c.iterations = 3  // k stays 64 here: the ranker must take the model's 3
        let ranked = try plain.withRanker(trainedOn: data, config: c)
        #expect(ranked.ranker?.userFactors.count == 40 * 3 && ranked.ranking.ratingWeight == c.ranking.ratingWeight)
        #expect(try ranked.topN(user: ranked.user(0), n: 5).count == 5)
        let other = try Fixtures.sparse(users: 10, items: 50).matrix()
        #expect(throws: MFCoreError.self) { try plain.withRanker(trainedOn: other, config: c) }
    }

    /// A ranker trained before rows were appended (fold-in) attaches with those rows at 0.
    @Test func aRankerOfFewerRowsAttachesWithTheRestAtZero() throws {
        let data = try Fixtures.sparse(users: 40, items: 50).matrix()
        var model = try MFTrainer.train(data, config: .plain(factors: 3, lambda: 1, iterations: 3))
        var c = TrainingConfig()
        c.iterations = 3
        let ranker = try #require(try model.trainRanker(on: data, config: c))
        _ = try model.appendItem(ItemVector(factors: [0.1, 0.2, 0.3], bias: 0))
        let ranked = try model.withRanker(ranker, ranking: c.ranking)
        #expect(ranked.ranker?.itemFactors.count == 51 * 3 && ranked.ranker?.itemFactors.suffix(3) == [0, 0, 0])
        #expect(ranked.ranker?.itemFactors.prefix(50 * 3) == ranker.itemFactors[...])
        let wide = Ranker(feedback: ranker.feedback, userFactors: ranker.userFactors + [0, 0, 0], itemFactors: ranker.itemFactors)
        #expect(throws: MFCoreError.self) { try model.withRanker(wide, ranking: c.ranking) }
    }
}
