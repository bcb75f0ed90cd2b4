import Testing
@testable import MFCore

@Suite struct SGDTests {
    @Test func sgdConvergesOnPlantedLowRank() throws {
        let t = Fixtures.planted(users: 100, items: 80, rank: 3, density: 0.6, noise: 0.1)
        var train = Fixtures.Triples(), test = Fixtures.Triples()
        for j in t.ratings.indices { if j % 5 == 0 { test.add(Int(t.users[j]), Int(t.items[j]), t.ratings[j]) } else { train.add(Int(t.users[j]), Int(t.items[j]), t.ratings[j]) } }
        var c = Fixtures.config(k: 3, iterations: 150)
        c.algorithm = .sgd; c.learningRate = 0.02; c.learningRateDecay = 0.99; c.sgdLambda = 0.01; c.sgdBiasLambda = 0.001
        var rmse: [Double] = []
        let m = try MFTrainer.train(try train.matrix(userCount: 100, itemCount: 80), config: c) { rmse.append($0.rmse); return true }
        #expect(rmse.last! < rmse.first! / 3, "train rmse \(rmse.first!) -> \(rmse.last!)")
        let r = Metrics.rating(model: m, users: test.users, items: test.items, ratings: test.ratings)
        #expect(r.rmse < 0.3, "test rmse \(r.rmse)")
    }

    @Test func sgdIsDeterministic() throws {
        let data = try Fixtures.sparse().matrix()
        var c = Fixtures.config(k: 4, iterations: 3)
        c.algorithm = .sgd
        #expect(try MFTrainer.train(data, config: c).parts() == MFTrainer.train(data, config: c).parts())
    }
}
