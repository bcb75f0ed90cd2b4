import Testing
@testable import MFCore

@Suite struct EdgeCaseTests {
    @Test func emptyAndNonFiniteInputAreRejected() {
        #expect { try RatingMatrix(users: [], items: [], ratings: []) } throws: { ($0 as? MFCoreError)?.code == "empty_input" }
        #expect { try RatingMatrix(users: [0, 1], items: [0, 1], ratings: [1, .nan]) } throws: {
            ($0 as? MFCoreError) == .nonFiniteValue(field: "ratings", index: 1)
        }
        #expect { try RatingMatrix(users: [0], items: [0], ratings: [.infinity]) } throws: { ($0 as? MFCoreError)?.code == "non_finite_value" }
        #expect { try RatingMatrix(users: [0], items: [0, 1], ratings: [1, 2]) } throws: { ($0 as? MFCoreError)?.field == "users" }
        #expect { try RatingMatrix(users: [0, -1], items: [0, 1], ratings: [1, 2]) } throws: { ($0 as? MFCoreError)?.code == "index_out_of_range" }
        #expect { try RatingMatrix(users: [0], items: [3], ratings: [1], itemCount: 3) } throws: { ($0 as? MFCoreError)?.field == "items" }
        let m = try? RatingMatrix(users: [0], items: [0], ratings: [1])
        var bad = TrainingConfig(); bad.factors = 0
        #expect { try MFTrainer.train(m!, config: bad) } throws: { ($0 as? MFCoreError)?.field == "factors" }
    }

    @Test func csrRowsAreSortedAndComplete() throws {
        let m = try RatingMatrix(users: [1, 0, 1, 0], items: [2, 1, 0, 2], ratings: [1, 2, 3, 4])
        #expect(Array(m.items(ofUser: 1)) == [0, 2] && Array(m.ratings(ofUser: 1)) == [3, 1])
        #expect(Array(m.users(ofItem: 2)) == [0, 1] && Array(m.ratings(ofItem: 2)) == [4, 1])
        #expect(m.mean == 2.5 && m.minRating == 1 && m.maxRating == 4)
    }

    @Test(arguments: [Algorithm.als, .sgd])
    func oneRatingUserAndUnratedItem(algo: Algorithm) throws {
        var t = Fixtures.sparse(users: 20, items: 30)
        t.add(20, 3, 5)  // user 20 has one rating; item 30 has none
        var c = Fixtures.config(k: 4, iterations: 5)
        c.algorithm = algo
        let m = try MFTrainer.train(try t.matrix(itemCount: 31), config: c)
        #expect(m.itemCount == 31 && m.userCount == 21)
        let p = m.predict(user: m.user(20), item: 3)
        #expect(p.value.isFinite && p.source == .model)
        if algo == .als { #expect(m.item(30).factors.allSatisfy { $0 == 0 } && m.itemBias[30] == 0) }
        let f = try FoldIn(model: m).user(items: [3], ratings: [5])
        #expect(f.factors.allSatisfy(\.isFinite) && f.bias > 0)
        let zero = [Float](repeating: 0, count: 4)
        #expect(try FoldIn(model: m).user(items: [], ratings: []) == UserVector(factors: zero, bias: 0, implicitFactors: m.hasImplicitUserFactors ? zero : [],
                                                                                         rankerFactors: m.ranker != nil ? zero : []))
    }

    @Test func allEqualRatingsPredictThatRating() throws {
        var t = Fixtures.Triples()
        for u in 0..<10 { for i in 0..<8 where (u + i) % 3 != 0 { t.add(u, i, 3.5) } }
        let m = try MFTrainer.train(try t.matrix(), config: Fixtures.config(k: 3, iterations: 5))
        for u in 0..<10 { for i in 0..<8 { #expect(abs(m.predict(user: Int32(u), item: Int32(i)) - 3.5) < 1e-5) } }
    }

    @Test func singleFactorTrains() throws {
        let t = Fixtures.planted(users: 40, items: 30, rank: 1, density: 1.1)
        var losses: [Double] = []
        let m = try MFTrainer.train(try t.matrix(), config: .plain(factors: 1, lambda: 0.001, iterations: 30)) { losses.append($0.rmse); return true }
        #expect(m.factors == 1 && losses.last! < 0.05, "train rmse \(losses)")
        let d = try MFTrainer.train(try t.matrix(), config: Fixtures.config(k: 1, iterations: 3))
        #expect(d.factors == 1 && d.userFactors.allSatisfy(\.isFinite))
    }

    @Test func foldInValidatesInput() throws {
        let m = try MFTrainer.train(try Fixtures.sparse().matrix(), config: Fixtures.config(k: 4, iterations: 1))
        let f = FoldIn(model: m)
        #expect { try f.user(items: [0, 1], ratings: [3]) } throws: { ($0 as? MFCoreError)?.code == "length_mismatch" }
        #expect { try f.user(items: [9999], ratings: [3]) } throws: { ($0 as? MFCoreError)?.code == "index_out_of_range" }
        #expect { try f.item(users: [0], ratings: [.nan]) } throws: { ($0 as? MFCoreError)?.code == "non_finite_value" }
    }
}
