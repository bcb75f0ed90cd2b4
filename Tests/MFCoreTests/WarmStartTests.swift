import Testing
@testable import MFCore

/// Retrains that start from an earlier model (`WarmStart`).
@Suite struct WarmStartTests {
    static func loss(_ data: RatingMatrix, _ c: TrainingConfig, warm: WarmStart? = nil) throws -> (MFModel, Double) {
        var last = 0.0
        let m = try MFTrainer.train(data, config: c, warmStart: warm) { last = $0.loss; return true }
        return (m, last)
    }

    /// Every row new: the start is the cold start, bit for bit.
    @Test func noKnownRowsIsTheColdStart() throws {
        let data = try Fixtures.sparse().matrix()
        let c = Fixtures.config(k: 8, iterations: 3)
        let earlier = try MFTrainer.train(data, config: c)
        let none = WarmStart(model: earlier, userRows: Array(repeating: -1, count: data.userCount),
                             itemRows: Array(repeating: -1, count: data.itemCount))
        #expect(try MFTrainer.train(data, config: c, warmStart: none).parts() == MFTrainer.train(data, config: c).parts())
    }

    /// From a trained model, a few sweeps reach the objective of the full cold
    /// run, well below a cold run of as few sweeps; the last sweep is still
    /// exact, so user rows equal their fold-in.
    @Test(arguments: [false, true])
    func fewWarmSweepsMatchAFullColdRun(implicit: Bool) throws {
        let data = try Fixtures.sparse(users: 120, items: 90, perUser: 3...40).matrix()
        var c = Fixtures.config(k: 8, iterations: 15)
        if !implicit { c.implicitWeight = 0; c.implicitUserWeight = 0 }
        let (cold, coldLoss) = try Self.loss(data, c)
        var short = c
        short.iterations = 3
        let (_, shortLoss) = try Self.loss(data, short)
        let warm = WarmStart(model: cold, userRows: (0..<Int32(data.userCount)).map { $0 },
                             itemRows: (0..<Int32(data.itemCount)).map { $0 })
        let (m, warmLoss) = try Self.loss(data, short, warm: warm)
        #expect(warmLoss <= coldLoss * (1 + 1e-4), "warm \(warmLoss) cold \(coldLoss)")
        #expect(warmLoss < shortLoss, "warm \(warmLoss) vs 3 cold sweeps \(shortLoss)")
        let f = FoldIn(model: m)
        for u in 0..<data.userCount {
            let v = try f.user(items: Array(data.items(ofUser: u)), ratings: Array(data.ratings(ofUser: u)))
            #expect(maxAbsDiff(v.factors + [v.bias], m.user(Int32(u)).factors + [m.user(Int32(u)).bias]) < 1e-5, "user \(u)")
        }
    }

    /// Rows map by position: a model trained on a permuted subset starts the
    /// rows it knows, and the result beats a cold run of as many sweeps.
    @Test func mapsRowsOfAnEarlierMatrix() throws {
        let t = Fixtures.sparse(users: 100, items: 80, perUser: 3...40)
        let data = try t.matrix()
        // The earlier model saw users 0..<90 in reverse order and 70 of the items.
        var earlier = Fixtures.Triples()
        for j in t.ratings.indices where t.users[j] < 90 && t.items[j] < 70 {
            earlier.add(89 - Int(t.users[j]), Int(t.items[j]), t.ratings[j])
        }
        var c = Fixtures.config(k: 8, iterations: 15)
        let before = try MFTrainer.train(try earlier.matrix(userCount: 90, itemCount: 70), config: c)
        let warm = WarmStart(model: before, userRows: (0..<100).map { $0 < 90 ? Int32(89 - $0) : -1 },
                             itemRows: (0..<80).map { $0 < 70 ? Int32($0) : -1 })
        c.iterations = 3
        let (_, warmLoss) = try Self.loss(data, c, warm: warm)
        let (_, coldLoss) = try Self.loss(data, c)
        #expect(warmLoss < coldLoss, "warm \(warmLoss) cold \(coldLoss)")
    }

    @Test func rejectsAStartThatDoesNotFit() throws {
        let data = try Fixtures.sparse().matrix()
        let m = try MFTrainer.train(data, config: Fixtures.config(k: 8, iterations: 2))
        let rows = (users: (0..<Int32(data.userCount)).map { $0 }, items: (0..<Int32(data.itemCount)).map { $0 })
        func field(_ c: TrainingConfig, _ w: WarmStart) -> String? {
            do { _ = try MFTrainer.train(data, config: c, warmStart: w); return nil } catch let e as MFCoreError { return e.field } catch { return "?" }
        }
        let ok = WarmStart(model: m, userRows: rows.users, itemRows: rows.items)
        #expect(field(Fixtures.config(k: 4, iterations: 2), ok) == "warm_start")
        var implicit = Fixtures.config(k: 8, iterations: 2)
        implicit.algorithm = .implicit
        #expect(field(implicit, ok) == "warm_start")
        #expect(field(Fixtures.config(k: 8, iterations: 2), WarmStart(model: m, userRows: [0], itemRows: rows.items)) == "warm_start")
        var past = rows.items
        past[0] = Int32(m.itemCount)
        #expect(field(Fixtures.config(k: 8, iterations: 2), WarmStart(model: m, userRows: rows.users, itemRows: past)) == "warm_start")
    }
}
