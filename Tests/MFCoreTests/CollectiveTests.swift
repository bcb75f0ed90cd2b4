import Testing
@testable import MFCore

@Suite struct CollectiveTests {
    /// Users' factors are a fixed linear map of three numeric attributes and
    /// items' factors the sum of their genres' vectors; ratings are 3 + p·q.
    struct Planted {
        var users: [[String: AttributeValue]] = [], items: [[String: AttributeValue]] = []
        var p: [[Float]] = [], q: [[Float]] = []
        func rating(_ u: Int, _ i: Int) -> Float { 3 + zip(p[u], q[i]).reduce(0) { $0 + $1.0 * $1.1 } }
    }

    /// Factors are invertible linear maps of the *encoded* attributes (encoders fitted on
    /// the first `warmUsers` / `warmItems` rows, as training will), so no
    /// centring constant hides in the biases and attributes determine factors exactly.
    static func planted(users nu: Int, items ni: Int, warmUsers: Int? = nil, warmItems: Int? = nil) throws -> Planted {
        var rng = SeededRNG(seed: 5)
        var d = Planted()
        for _ in 0..<nu {
            let a = (0..<3).map { _ in rng.nextGaussian() }
            d.users.append(["age": .number(Double(a[0] * 10 + 40)), "hours": .number(Double(a[1])), "score": .number(Double(a[2] * 3))])
        }
        let genres = ["Action", "Comedy", "Drama"]   // 3 columns: the map to k = 3 factors is invertible
        for _ in 0..<ni {
            var set: [Int] = []
            for g in 0..<3 where rng.nextUnit() < 0.4 { set.append(g) }
            if set.isEmpty { set = [Int(rng.next() % 3)] }
            d.items.append(["genres": .category(set.map { genres[$0] }.joined(separator: "|"))])
        }
        let ue = try SideInfoEncoder(fitting: Array(d.users.prefix(warmUsers ?? nu)))
        let ie = try SideInfoEncoder(fitting: Array(d.items.prefix(warmItems ?? ni)))
        let m: [[Float]] = [[0.8, -0.3, 0.2], [0.1, 0.7, -0.4], [-0.5, 0.2, 0.6]]
        let gv: [[Float]] = [[1, 0, 0.5], [0, 1, -0.5], [-0.7, 0.3, 1]]
        for u in d.users {
            let e = try ue.encode(u).values
            d.p.append((0..<3).map { r in (0..<3).reduce(0) { $0 + m[r][$1] * e[$1] } })
        }
        for i in d.items {
            let e = try ie.encode(i).values
            d.q.append((0..<3).map { c in (0..<3).reduce(0) { $0 + gv[$1][c] * e[$1] } })
        }
        return d
    }

    static func config() -> TrainingConfig {
        var c = TrainingConfig.plain(factors: 3, lambda: 0.05, iterations: 60)
        c.sideInfo = SideInfoConfig(userWeight: 10, itemWeight: 10, lambda: 1e-3)
        c.threads = 1
        return c
    }

    /// Cold users (attributes only) and cold items (genres only) get their
    /// ratings predicted far better than the non-personalized fallback.
    @Test func coldStartRecoversPlantedFactors() throws {
        let d = try Self.planted(users: 100, items: 60, warmUsers: 80, warmItems: 48)
        var t = Fixtures.Triples()
        var rng = SeededRNG(seed: 9)
        // Users 80..<100 and items 48..<60 are cold: no ratings at all.
        for u in 0..<80 { for i in 0..<48 where rng.nextUnit() < 0.5 { t.add(u, i, d.rating(u, i)) } }
        let side = SideInfo(users: Array(d.users[0..<80]), items: Array(d.items[0..<48]))
        let m = try MFTrainer.train(try t.matrix(userCount: 80, itemCount: 48), sideInfo: side, config: Self.config())
        let f = FoldIn(model: m)
        var se = 0.0, seBase = 0.0, n = 0.0
        for u in 80..<100 {
            let v = try f.user(items: [], ratings: [], attributes: d.users[u])
            #expect(abs(v.bias) < 0.2)   // planted ratings have no biases; b̂ comes from the attribute regression
            for i in 0..<48 {
                let e = Double(m.predict(user: v, item: Int32(i)).value - d.rating(u, i))
                let b = Double(m.predict(user: nil, item: Int32(i)).value - d.rating(u, i))
                se += e * e; seBase += b * b; n += 1
            }
        }
        let rmse = (se / n).squareRoot(), base = (seBase / n).squareRoot()
        #expect(rmse < 0.15 * base, "cold users: rmse \(rmse) vs item-bias baseline \(base)")
        se = 0; seBase = 0; n = 0
        var grown = m
        for i in 48..<60 {
            let v = try f.item(users: [], ratings: [], attributes: d.items[i])
            let j = try grown.appendItem(v)
            for u in 0..<80 {
                let e = Double(grown.predict(user: grown.user(Int32(u)), item: j).value - d.rating(u, i))
                let b = Double(grown.globalMean + grown.userBias[u] - d.rating(u, i))
                se += e * e; seBase += b * b; n += 1
            }
        }
        let irmse = (se / n).squareRoot(), ibase = (seBase / n).squareRoot()
        #expect(irmse < 0.15 * ibase, "cold items: rmse \(irmse) vs user-bias baseline \(ibase)")
    }

    /// A trained user's row is its fold-in with both ratings and attributes,
    /// and the model parts (with encoders and attribute factors) round-trip.
    @Test(arguments: [false, true])
    func foldInWithAttributesEqualsTrainingRow(defaults: Bool) throws {
        let d = try Self.planted(users: 70, items: 50)
        var t = Fixtures.Triples()
        var rng = SeededRNG(seed: 2)
        for u in 0..<70 { for i in 0..<50 where rng.nextUnit() < Float(u % 7 + 1) / 14 { t.add(u, i, (d.rating(u, i) * 2).rounded() / 2) } }
        var users = d.users
        users[3] = [:]                        // no attributes
        users[4] = ["age": .number(30)]       // partly missing
        var c = defaults ? TrainingConfig() : Self.config()
        c.factors = 6; c.iterations = 5; c.threads = 2
        let data = try t.matrix(userCount: 70, itemCount: 50)
        let m = try MFTrainer.train(data, sideInfo: SideInfo(users: users, items: d.items), config: c)
        #expect(m.sideInfo?.users?.encoder.width == 3 && m.sideInfo?.items?.encoder.width == 3)
        let f = FoldIn(model: m)
        for u in 0..<70 {
            let v = try f.user(items: Array(data.items(ofUser: u)), ratings: Array(data.ratings(ofUser: u)), attributes: users[u])
            let trained = m.user(Int32(u))
            #expect(maxAbsDiff(v.factors + [v.bias], trained.factors + [trained.bias]) < 1e-4, "user \(u)")
        }
        // Without the attributes the solve differs (the block is really used).
        let u0 = Array(data.items(ofUser: 0)), r0 = Array(data.ratings(ofUser: 0))
        #expect(maxAbsDiff(try f.user(items: u0, ratings: r0).factors, m.user(0).factors) > 1e-4)
        let back = try MFModel(parts: m.parts())
        #expect(back.sideInfo == m.sideInfo)
        #expect(back.parts() == m.parts())
        #expect(try FoldIn(model: back).user(items: [], ratings: [], attributes: users[5]) == f.user(items: [], ratings: [], attributes: users[5]))
        #expect(try FoldIn(model: back).item(users: [], ratings: [], attributes: d.items[7]) == f.item(users: [], ratings: [], attributes: d.items[7]))
        #expect(back.sideInfo?.users?.prior != nil && back.sideInfo?.items?.prior != nil)
        // Models stored before the cold-start prior load without it.
        var old = m.parts(); old.arrays["user_attr_prior"] = nil; old.arrays["user_attr_bias"] = nil
        #expect(try MFModel(parts: old).sideInfo?.users?.prior == nil)
        // Losing a part is an error naming it.
        var p = m.parts(); p.arrays["user_attr_factors"] = nil
        #expect(throws: MFCoreError.invalidModelParts(field: "user_attr_factors", reason: "missing array")) { try MFModel(parts: p) }
    }

    /// Item biases planted as a linear function of the genres: a cold item's
    /// bias is recovered from its genres alone, and its predictions beat the
    /// user-bias fallback (μ + b_u) by far.
    @Test func coldItemBiasComesFromGenres() throws {
        let d = try Self.planted(users: 80, items: 60, warmItems: 48)
        let ie = try SideInfoEncoder(fitting: Array(d.items.prefix(48)))
        let bias = try d.items.map { i -> Float in let e = try ie.encode(i).values; return 0.8 * e[0] - 0.6 * e[1] + 0.3 * e[2] }
        var t = Fixtures.Triples()
        var rng = SeededRNG(seed: 4)
        for u in 0..<80 { for i in 0..<48 where rng.nextUnit() < 0.5 { t.add(u, i, d.rating(u, i) + bias[i]) } }
        let m = try MFTrainer.train(try t.matrix(userCount: 80, itemCount: 48), sideInfo: SideInfo(items: Array(d.items[0..<48])),
                                    config: Self.config())
        let f = FoldIn(model: m)
        var grown = m
        var se = 0.0, seBase = 0.0, n = 0.0
        for i in 48..<60 {
            let v = try f.item(users: [], ratings: [], attributes: d.items[i])
            // b_i is relative to the trained μ; the planted offset is relative to 3.
            #expect(abs(Double(m.globalMean + v.bias) - Double(3 + bias[i])) < 0.2, "item \(i): b \(v.bias), planted \(bias[i])")
            let j = try grown.appendItem(v)
            for u in 0..<80 {
                let truth = d.rating(u, i) + bias[i]
                let e = Double(grown.predict(user: grown.user(Int32(u)), item: j).value - truth)
                let b = Double(grown.globalMean + grown.userBias[u] - truth)
                se += e * e; seBase += b * b; n += 1
            }
        }
        let rmse = (se / n).squareRoot(), base = (seBase / n).squareRoot()
        #expect(rmse < 0.2 * base, "cold items: rmse \(rmse) vs user-bias baseline \(base)")
    }

    @Test func sideInfoNeedsALS() throws {
        var c = TrainingConfig(); c.algorithm = .sgd
        let data = try RatingMatrix(users: [0], items: [0], ratings: [4])
        #expect(throws: MFCoreError.invalidConfig(field: "algorithm", reason: "side information needs algorithm als")) {
            try MFTrainer.train(data, sideInfo: SideInfo(users: [["a": .number(1)]]), config: c)
        }
    }
}

@Suite struct SideInfoEncoderTests {
    @Test func encodesNumbersAndCategories() throws {
        let rows: [[String: AttributeValue]] = [
            ["age": .number(20), "genres": .category("A|B")],
            ["age": .number(40), "genres": .category("B")],
            ["genres": .category("C|A")],
            [:],
        ]
        let e = try SideInfoEncoder(fitting: rows)
        #expect(e.width == 4)   // age, genres: A, B, C
        #expect(e.columns.map(\.name) == ["age", "genres"])
        #expect(e.columns[1].categories == ["A", "B", "C"])
        let a = try e.encode(rows[0])
        #expect(a.columns == [0, 1, 2, 3])
        #expect(maxAbsDiff(a.values, [-1, 1 - 2.0 / 3, 1 - 2.0 / 3, -1.0 / 3]) < 1e-6)
        #expect(try e.encode([:]) == EncodedAttributes())
        #expect(try e.encode(["genres": .category("Z")]).values.allSatisfy { $0 < 0 })   // unseen: zeros, centred
        #expect(try e.encode(["other": .number(1)]) == EncodedAttributes())
        #expect(throws: MFCoreError.invalidAttribute(field: "age", reason: "must be a number")) { try e.encode(["age": .category("old")]) }
        #expect(throws: MFCoreError.invalidAttribute(field: "age", reason: "is NaN or infinite")) { try e.encode(["age": .number(.nan)]) }
        #expect(throws: MFCoreError.self) { try SideInfoEncoder(fitting: [["x": .number(.infinity)]]) }
        // Mixed types make a categorical attribute; integral numbers read as integers.
        let mixed = try SideInfoEncoder(fitting: [["z": .number(3)], ["z": .category("x")]])
        #expect(mixed.columns[0].kind == .categorical && mixed.columns[0].categories == ["3", "x"])
    }

    @Test func serializedRoundTripAndMalformedInput() throws {
        let e = try SideInfoEncoder(fitting: [["nom": .category("é|ü"), "n": .number(2)], ["n": .number(5)]])
        let back = try SideInfoEncoder(serialized: e.serialized(), field: "f")
        #expect(back == e)
        let s = e.serialized()
        #expect(throws: MFCoreError.self) { try SideInfoEncoder(serialized: Array(s.dropLast()), field: "f") }
        #expect(throws: MFCoreError.self) { try SideInfoEncoder(serialized: s + [1], field: "f") }
        #expect(throws: MFCoreError.self) { try SideInfoEncoder(serialized: [2] + s.dropFirst(), field: "f") }
        let noSep = try SideInfoEncoder(fitting: [["a": .category("x|y")]], separator: nil)
        #expect(noSep.columns[0].categories == ["x|y"])
        #expect(try SideInfoEncoder(serialized: noSep.serialized(), field: "f") == noSep)
    }
}
