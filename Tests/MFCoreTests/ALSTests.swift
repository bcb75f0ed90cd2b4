import Testing
@testable import MFCore

@Suite struct ALSTests {
    /// A fully observed rank-k matrix (plus biases) is reconstructed exactly when λ → 0.
    @Test func exactRankKReconstruction() throws {
        let t = Fixtures.planted(users: 30, items: 20, rank: 3, density: 1.1)
        var c = TrainingConfig.plain(factors: 3, lambda: 1e-6, iterations: 60)
        c.biasLambda = 1e-6
        let m = try MFTrainer.train(try t.matrix(), config: c)
        var worst: Float = 0
        for j in t.ratings.indices {
            let u = m.user(t.users[j])
            let raw = m.globalMean + u.bias + m.itemBias[Int(t.items[j])] + m.rowDot(u.factors, m.itemFactors, row: Int(t.items[j]))
            worst = max(worst, abs(raw - t.ratings[j]))
        }
        #expect(worst < 1e-2, "max reconstruction error \(worst)")
    }

    @Test(arguments: [false, true])
    func lossNeverIncreases(implicit: Bool) throws {
        let t = Fixtures.sparse()
        var c = Fixtures.config(k: 8, iterations: 12)
        if !implicit { c.implicitWeight = 0 }
        var losses: [Double] = []
        _ = try MFTrainer.train(try t.matrix(), config: c) { losses.append($0.loss); return true }
        #expect(losses.count == 12)
        for e in 1..<losses.count { #expect(losses[e] <= losses[e - 1] * (1 + 1e-5), "epoch \(e + 1): \(losses[e - 1]) -> \(losses[e])") }
        #expect(losses.last! < losses.first!)
    }

    /// Fold-in of a trained user against the final model is that user's ALS row solve.
    @Test(arguments: [false, true])
    func foldInEqualsTrainedUserRow(plain: Bool) throws {
        let t = Fixtures.sparse(perUser: 1...70)
        let data = try t.matrix()
        let c = plain ? TrainingConfig.plain(factors: 16, lambda: 3, iterations: 4) : Fixtures.config(k: 16, iterations: 4)
        let m = try MFTrainer.train(data, config: c)
        let f = FoldIn(model: m)
        for u in 0..<data.userCount {
            let v = try f.user(items: Array(data.items(ofUser: u)), ratings: Array(data.ratings(ofUser: u)))
            let trained = m.user(Int32(u))
            #expect(maxAbsDiff(v.factors + [v.bias], trained.factors + [trained.bias]) < 1e-5, "user \(u)")
        }
    }

    @Test func sameSeedSameModelOtherSeedDiffers() throws {
        let data = try Fixtures.sparse().matrix()
        var c = Fixtures.config(k: 8, iterations: 3)
        let a = try MFTrainer.train(data, config: c), b = try MFTrainer.train(data, config: c)
        #expect(a.parts() == b.parts())
        c.seed = 99
        let d = try MFTrainer.train(data, config: c)
        #expect(a.parts() != d.parts())
    }

    @Test(arguments: [Algorithm.als])
    func oneAndTwoThreadsAgree(algo: Algorithm) throws {
        let data = try Fixtures.sparse(users: 200, items: 150).matrix()
        var c = Fixtures.config(k: 8, iterations: 4, threads: 1)
        c.algorithm = algo
        let one = try MFTrainer.train(data, config: c)
        c.threads = 2
        let two = try MFTrainer.train(data, config: c)
        #expect(maxAbsDiff(one.userFactors, two.userFactors) < 1e-5)
        #expect(maxAbsDiff(one.itemFactors, two.itemFactors) < 1e-5)
        #expect(maxAbsDiff(one.implicitItemFactors, two.implicitItemFactors) < 1e-5)
        #expect(maxAbsDiff(one.implicitUserFactors, two.implicitUserFactors) < 1e-5)
    }

    @Test func cancelStopsTraining() throws {
        let data = try Fixtures.sparse().matrix()
        var seen = 0
        #expect(throws: MFCoreError.cancelled(epoch: 2)) {
            _ = try MFTrainer.train(data, config: Fixtures.config(k: 4, iterations: 10)) { r in seen = r.epoch; return r.epoch < 2 }
        }
        #expect(seen == 2)
    }

    /// Fitting beats the bias-only baseline on held-out planted data.
    @Test func alsGeneralizesOnPlantedData() throws {
        let t = Fixtures.planted(users: 120, items: 100, rank: 4, density: 0.5, noise: 0.3)
        var train = Fixtures.Triples(), test = Fixtures.Triples()
        for j in t.ratings.indices { if j % 5 == 0 { test.add(Int(t.users[j]), Int(t.items[j]), t.ratings[j]) } else { train.add(Int(t.users[j]), Int(t.items[j]), t.ratings[j]) } }
        let m = try MFTrainer.train(try train.matrix(userCount: 120, itemCount: 100), config: Fixtures.config(k: 8, iterations: 10))
        let r = Metrics.rating(model: m, users: test.users, items: test.items, ratings: test.ratings)
        #expect(r.rmse < 0.5, "rmse \(r.rmse)")
    }
}
