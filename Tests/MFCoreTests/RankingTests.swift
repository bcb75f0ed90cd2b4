import Testing
@testable import MFCore

@Suite struct RankingTests {
    /// Two user groups with opposite tastes over two item groups; user 0 (group A)
    /// has not rated item 0 (A's favourite kind) nor item 10 (disliked kind).
    func checkerboard() -> Fixtures.Triples {
        var t = Fixtures.Triples()
        for u in 0..<20 {
            for i in 0..<20 {
                if u == 0 && (i == 0 || i == 10) { continue }
                let likes = (u < 10) == (i < 10)
                t.add(u, i, likes ? 5 : 1)
            }
        }
        return t
    }

    @Test(arguments: [false, true])
    func checkerboardHeldOutItemRanksFirst(plain: Bool) throws {
        let c = plain ? TrainingConfig.plain(factors: 2, lambda: 0.1, iterations: 10) : Fixtures.config(k: 2, iterations: 10)
        let data = try checkerboard().matrix()
        let m = try MFTrainer.train(data, config: c)
        let top = try m.topN(user: m.user(0), n: 2, excludeSorted: Array(data.items(ofUser: 0)))
        #expect(top.map(\.item) == [0, 10])
        #expect(m.predict(user: m.user(0), item: 0).value > 4)
        #expect(m.predict(user: m.user(0), item: 10).value < 2)
    }

    func tinyModel() throws -> MFModel {
        // 1 factor, item factors chosen so scores are easy: s = 3 + q_i (bias 0).
        try MFModel(factors: 1, globalMean: 3, minRating: 1, maxRating: 5,
                    userBias: [0], userFactors: [1], itemBias: [0, 0, 0, 0, 0], itemFactors: [0.5, 2, 2, -1, 1],
                    itemPopularity: [3, 1, 9, 9, 0], solver: SolverParams(lambda: 1, biasLambda: 1, weightedLambda: false, implicitWeight: 0))
    }

    @Test func topNTiesExcludeInclude() throws {
        let m = try tinyModel()
        let u = m.user(0)
        #expect(try m.topN(user: u, n: 3).map(\.item) == [1, 2, 4])
        #expect(try m.topN(user: u, n: 2, excludeSorted: [1]).map(\.item) == [2, 4])
        #expect(try m.topN(user: u, n: 2, excludeSorted: [4, 1]).map(\.item) == [2, 0])
        #expect(try m.topN(user: u, n: 5, excludeSorted: [2], include: [3, 2, 0]).map(\.item) == [0, 3])
        #expect(try m.topN(user: u, n: 0).isEmpty)
        #expect(try m.topN(user: u, n: 9).count == 5)
        #expect(throws: MFCoreError.self) { try m.topN(user: UserVector(factors: [1, 2], bias: 0), n: 1) }
    }

    /// The blocked SIMD scan (4 blocks per pass + tail blocks) equals a naive full sort.
    @Test(arguments: [3, 37, 100, 203])
    func blockedTopNMatchesNaiveSort(items: Int) throws {
        var rng = SeededRNG(seed: UInt64(items))
        let k = 13
        func table(_ n: Int) -> [Float] { (0..<n).map { _ in rng.nextGaussian() } }
        let m = try MFModel(factors: k, globalMean: 3, minRating: 1, maxRating: 5, userBias: [0.1], userFactors: table(k),
                            itemBias: table(items), itemFactors: table(items * k), implicitItemFactors: table(items * k),
                            solver: SolverParams(TrainingConfig()))
        let u = m.user(0)
        let exclude = (0..<items).filter { $0 % 7 == 3 }.map { Int32($0) }
        let naive = (0..<items).filter { $0 % 7 != 3 }.map { ScoredIndex(item: Int32($0), score: m.rankingScore(u, $0)) }
            .sorted(by: ScoredIndex.better)
        let top = try m.topN(user: u, n: 10, excludeSorted: exclude)
        #expect(top.map(\.item) == Array(naive.prefix(10)).map(\.item))
        #expect(maxAbsDiff(top.map(\.score), naive.prefix(10).map(\.score)) < 1e-4)
    }

    @Test func popularityForUnknownUser() throws {
        let m = try tinyModel()
        #expect(try m.topN(user: nil, n: 3).map(\.item) == [2, 3, 0])
    }

    @Test func similarItemsByCosine() throws {
        let m = try MFModel(factors: 2, globalMean: 3, minRating: 1, maxRating: 5, userBias: [], userFactors: [],
                            itemBias: [0, 0, 0, 0], itemFactors: [1, 0, 2, 0.1, 0, 1, -1, 0],
                            solver: SolverParams(lambda: 1, biasLambda: 1, weightedLambda: false, implicitWeight: 0))
        let s = try m.similarItems(0, n: 3)
        #expect(s.map(\.item) == [1, 2, 3])
        #expect(abs(s[0].score - 2 / (4.01 as Float).squareRoot()) < 1e-5)
        #expect(abs(s[2].score + 1) < 1e-6)
        #expect(throws: MFCoreError.self) { try m.similarItems(9, n: 1) }
    }

    @Test func predictSourcesAndClipping() throws {
        let m = try tinyModel()
        #expect(m.predict(user: m.user(0), item: 1) == Prediction(value: 5, source: .model))
        #expect(m.predict(user: m.user(0), item: 3) == Prediction(value: 2, source: .model))
        #expect(m.predict(user: nil, item: 1).source == .itemBias)
        #expect(m.predict(user: m.user(0), item: nil).source == .userBias)
        #expect(m.predict(user: m.user(0), item: 77).source == .userBias)
        #expect(m.predict(user: nil, item: nil) == Prediction(value: 3, source: .globalMean))
    }

    /// Ranking metrics on a hand-checked case: relevant {1, 4}, top-2 = [1, 2].
    @Test func rankingMetricsByHand() throws {
        let m = try tinyModel()
        let train = try RatingMatrix(users: [0], items: [0], ratings: [3], userCount: 1, itemCount: 5)
        let r = try Metrics.ranking(model: m, train: train, users: [0, 0, 0], items: [1, 4, 3], ratings: [4, 4.5, 3.5], k: 2)
        #expect(r.users == 1)
        #expect(abs(r.precision - 0.5) < 1e-12)
        #expect(abs(r.recall - 0.5) < 1e-12)
        #expect(abs(r.ndcg - 1 / (1 + 1 / 1.584962500721156)) < 1e-9)
        let rm = Metrics.rating(model: m, users: [0, 0], items: [1, 3], ratings: [4, 4])
        #expect(abs(rm.rmse - (2.5 as Double).squareRoot()) < 1e-6 && abs(rm.mae - 1.5) < 1e-6)
    }
}
