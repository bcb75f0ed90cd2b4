import Testing
@testable import MFCore

/// Per-epoch holdout RMSE: ratings kept out of `data` and scored after every epoch.
@Suite struct HoldoutTests {
    /// Every 5th planted rating is held out; training sees the rest.
    func split() throws -> (RatingMatrix, HoldoutRatings) {
        let t = Fixtures.planted(users: 40, items: 30, rank: 3, density: 0.6, noise: 0.2)
        var train = Fixtures.Triples(), h = Fixtures.Triples()
        for j in 0..<t.ratings.count {
            if j % 5 == 0 { h.add(Int(t.users[j]), Int(t.items[j]), t.ratings[j]) } else { train.add(Int(t.users[j]), Int(t.items[j]), t.ratings[j]) }
        }
        let m = try train.matrix(userCount: 40, itemCount: 30)
        return (m, HoldoutRatings(users: h.users, items: h.items, ratings: h.ratings))
    }

    @Test(arguments: [Algorithm.als, .sgd])
    func lastEpochHoldoutEqualsFinalModelRMSE(algo: Algorithm) throws {
        let (data, holdout) = try split()
        var c = Fixtures.config(k: 3, iterations: 12)
        c.algorithm = algo
        var curve: [Double] = []
        let model = try MFTrainer.train(data, config: c, holdout: holdout) { r in
            curve.append(r.holdoutRMSE ?? .nan); return true
        }
        #expect(curve.count == 12 && curve.allSatisfy(\.isFinite))
        let final = Metrics.rating(model: model, users: holdout.users, items: holdout.items, ratings: holdout.ratings).rmse
        #expect(abs(curve.last! - final) < 1e-4)
        // A planted low-rank problem generalizes: the curve ends well below its start and below the spread of ratings.
        #expect(curve.last! < curve.first! || algo == .als)
        #expect(curve.last! < 0.6 || algo == .sgd)
    }

    @Test func withoutHoldoutTheReportHasNone() throws {
        let (data, _) = try split()
        var seen: [Double?] = []
        _ = try MFTrainer.train(data, config: Fixtures.config(k: 3, iterations: 2)) { seen.append($0.holdoutRMSE); return true }
        #expect(seen == [nil, nil])
    }

    @Test func holdoutOutsideTheMatrixIsRejected() throws {
        let (data, _) = try split()
        let bad = HoldoutRatings(users: [0, 40], items: [0, 0], ratings: [3, 3])
        #expect(throws: MFCoreError.self) { try MFTrainer.train(data, config: Fixtures.config(k: 3, iterations: 1), holdout: bad) }
        let nan = HoldoutRatings(users: [0], items: [0], ratings: [.nan])
        #expect(throws: MFCoreError.self) { try MFTrainer.train(data, config: Fixtures.config(k: 3, iterations: 1), holdout: nan) }
    }
}
