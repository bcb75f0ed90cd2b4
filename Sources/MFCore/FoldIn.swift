/// Fold-in: a user's or item's row from its ratings against a frozen model,
/// by exactly the row solve ALS uses. Build once per model snapshot (it holds
/// the Gram terms), then call from any thread.
///
/// Rebuild it after items change (new items or replaced item rows), since the
/// implicit term's YᵀY covers every item; with the item-side term, item
/// fold-in also reads XᵀX over every user (a stale one only makes it approximate).
public struct FoldIn: Sendable {
    /// The model the cached terms belong to.
    public let model: MFModel
    let ds: Int
    /// w·YᵀY in the top-left k×k of a ds×ds matrix (users), or empty.
    let userGram: [Float]
    /// Cholesky factor of w·PᵀP + λ_y I (for an item's y_i), or empty.
    let implicitFactor: [Float]
    /// w_x·XᵀX (items, item-side implicit term), or empty.
    let itemGram: [Float]
    /// Cholesky factor of w_x·QᵀQ + λ_x I (for a user's x_u), or empty.
    let implicitUserFactor: [Float]
    /// Implicit-ALS models: YᵀY + λI and XᵀX + λI (full, stride ks), else empty.
    let implicitUserGram: [Float], implicitItemGram: [Float]
    /// The ranker's ZᵀZ + λI and XᵀX + λI (full, stride ks), else empty.
    let rankerUserGram: [Float], rankerItemGram: [Float]

    /// Precomputes the Gram terms: O((users + items)·k²).
    public init(model: MFModel) {
        self.model = model
        let k = model.factors, ds = (k + 1 + 7) & ~7
        self.ds = ds
        (implicitUserGram, implicitItemGram) = Self.implicitGrams(model)
        (rankerUserGram, rankerItemGram) = Self.rankerGrams(model)
        let wx = model.solver.implicitUserWeight
        if model.hasImplicitUserFactors && wx > 0 {
            itemGram = Self.gram(model.implicitUserFactors, count: model.userCount, k: k, ds: ds, scale: wx)
            implicitUserFactor = Self.gram(model.itemFactors, count: model.itemCount, k: k, ds: ds, scale: wx,
                                           choleskyWithRidge: model.solver.implicitUserLambda)
        } else {
            itemGram = []; implicitUserFactor = []
        }
        let w = model.solver.implicitWeight
        guard model.hasImplicitFactors && w > 0 else { userGram = []; implicitFactor = []; return }
        userGram = Self.gram(model.implicitItemFactors, count: model.itemCount, k: k, ds: ds, scale: w)
        implicitFactor = Self.gram(model.userFactors, count: model.userCount, k: k, ds: ds, scale: w,
                                   choleskyWithRidge: model.solver.implicitLambda)
    }

    /// A user's vector from `(items[j], ratings[j])` with item factors frozen.
    /// An empty list gives the zero vector (predictions fall back to item biases).
    /// - Throws: `length_mismatch`, `index_out_of_range` (field `items`), `non_finite_value` (field `ratings`).
    /// With `attributes` and a model trained with user side information, the
    /// attribute block joins the solve (no ratings: factors from attributes alone).
    public func user(items: [Int32], ratings: [Float], attributes: [String: AttributeValue] = [:]) throws -> UserVector {
        try Self.check(items, ratings, count: model.itemCount, field: "items")
        if model.solver.implicitALS != nil { return UserVector(factors: implicitRow(items, ratings, item: false), bias: 0) }
        let attr = try Self.encode(attributes, model.sideInfo?.users)
        let (out, bias) = solveWithPrior(items, ratings, attributes: attr) {
            solveRow(items, ratings, factors: model.itemFactors, bias: model.itemBias, implicit: model.implicitItemFactors,
                     gram: userGram, weight: model.solver.implicitWeight, attributes: $0)
        }
        // x_u = (w_x QᵀQ + λ_x I)⁻¹ w_x Σ_i q_i, as in the ALS implicit-user step.
        let implicitOut = implicitRow(implicitUserFactor, table: model.itemFactors, rows: items, weight: model.solver.implicitUserWeight)
        return UserVector(factors: out, bias: bias, implicitFactors: implicitWithPrior(items, attributes: attr, solved: implicitOut),
                          rankerFactors: rankerRow(items, ratings, item: false))
    }

    /// An item's vector from `(users[j], ratings[j])` with user factors frozen;
    /// also its implicit factors y_i (when the model has them) and popularity.
    /// With `attributes` and a model trained with item side information, the
    /// attribute block joins the solve (no ratings: factors from attributes alone).
    public func item(users: [Int32], ratings: [Float], attributes: [String: AttributeValue] = [:]) throws -> ItemVector {
        try Self.check(users, ratings, count: model.userCount, field: "users")
        if model.solver.implicitALS != nil {
            let f = implicitRow(users, ratings, item: true)
            let n = ratings.reduce(0) { $0 + (model.solver.implicitALS!.strength($1) == nil ? 0 : 1) }
            return ItemVector(factors: f, bias: 0, popularity: Float(n))
        }
        let attr = try Self.encode(attributes, model.sideInfo?.items)
        let (out, bias) = solveWithPrior(users, ratings, attributes: attr) {
            solveRow(users, ratings, factors: model.userFactors, bias: model.userBias, implicit: model.implicitUserFactors,
                     gram: itemGram, weight: model.solver.implicitUserWeight, attributes: $0)
        }
        // y_i = (w PᵀP + λ_y I)⁻¹ w Σ_u p_u, as in the ALS implicit step.
        let implicitOut = implicitRow(implicitFactor, table: model.userFactors, rows: users, weight: model.solver.implicitWeight)
        let pop = Float(ratings.reduce(0) { $0 + ($1 >= model.globalMean ? 1 : 0) })
        return ItemVector(factors: out, bias: bias, implicitFactors: implicitWithPrior(users, attributes: attr, solved: implicitOut),
                          popularity: pop, rankerFactors: rankerRow(users, ratings, item: true))
    }

    /// The ALS row solve against one frozen side (factors, biases and, when
    /// `gram` is non-empty, its implicit term w·Σ f_j in the rhs and `gram` = w·FᵀF),
    /// plus the encoded attribute block when the model has side information.
    private func solveRow(_ neighbors: [Int32], _ ratings: [Float], factors: [Float], bias: [Float],
                          implicit: [Float], gram: [Float], weight: Float, attributes attr: FoldInAttributes) -> ([Float], Float) {
        var out = [Float](repeating: 0, count: model.factors)
        let (lam, lamB) = model.solver.penalties(count: neighbors.count)
        let solver = RowSolver(k: model.factors)
        let b = factors.withUnsafeBufferPointer { f in
            bias.withUnsafeBufferPointer { b in
                implicit.withUnsafeBufferPointer { y in
                    gram.withUnsafeBufferPointer { g in
                        neighbors.withUnsafeBufferPointer { nb in
                            ratings.withUnsafeBufferPointer { rb in
                                out.withUnsafeMutableBufferPointer { o in
                                    var side = RowSide(factors: f.baseAddress!, bias: b.baseAddress!)
                                    if !g.isEmpty { side.baseGram = g.baseAddress; side.implicitFactors = y.baseAddress; side.implicitWeight = weight }
                                    return attr.solve { ac, av, cf, w in
                                        side.attributeFactors = cf; side.attributeWeight = w
                                        return solver.solve(neighbors: nb, ratings: rb, mu: model.globalMean, side: side,
                                                            lambda: lam, biasLambda: lamB, outFactors: o.baseAddress!,
                                                            attributes: ac, attributeValues: av)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (out, b)
    }

    /// scale·RᵀR (upper, ds × ds) of `count` rows; with a ridge, its Cholesky factor after adding ridge·I.
    static func gram(_ rows: [Float], count: Int, k: Int, ds: Int, scale: Float, choleskyWithRidge ridge: Float? = nil) -> [Float] {
        var g = [Float](repeating: 0, count: ds * ds)
        rows.withUnsafeBufferPointer { r in
            g.withUnsafeMutableBufferPointer { gb in
                let gp = gb.baseAddress!
                Gram.upper(rows: r.baseAddress!, count: count, k: k, stride: ds, into: gp, scale: scale)
                guard let ridge else { return }
                for c in 0..<k { gp[c * ds + c] += max(ridge, 1e-6) }
                _ = Kernels.choleskyUpper(gp, dim: k, stride: ds)
            }
        }
        return g
    }

    /// (w·FᵀF + λ I)⁻¹ w Σ_j f_(rows j) from the cached Cholesky `factor` (empty: no term, returns []).
    func implicitRow(_ factor: [Float], table: [Float], rows: [Int32], weight w: Float) -> [Float] {
        guard !factor.isEmpty else { return [] }
        let k = model.factors
        var rhs = [Float](repeating: 0, count: ds)
        table.withUnsafeBufferPointer { t in
            rows.withUnsafeBufferPointer { r in
                guard let tb = t.baseAddress, let rb = r.baseAddress else { return }  // no rows: rhs stays 0
                rhs.withUnsafeMutableBufferPointer {
                    Kernels.axpyRows(tb, stride: k, rows: rb, count: r.count, coefficients: nil, scale: w, width: k,
                                     into: $0.baseAddress!)
                }
            }
        }
        factor.withUnsafeBufferPointer { f in
            rhs.withUnsafeMutableBufferPointer { Kernels.choleskySolve(f.baseAddress!, dim: k, stride: ds, $0.baseAddress!) }
        }
        return Array(rhs[0..<k])
    }

    static func check(_ idx: [Int32], _ ratings: [Float], count: Int, field: String) throws {
        guard idx.count == ratings.count else {
            throw MFCoreError.lengthMismatch(field: "ratings", expected: idx.count, actual: ratings.count)
        }
        for (j, v) in idx.enumerated() where v < 0 || Int(v) >= count {
            throw MFCoreError.indexOutOfRange(field: field, index: j, value: Int(v), count: count)
        }
        for (j, r) in ratings.enumerated() where !r.isFinite {
            throw MFCoreError.nonFiniteValue(field: "ratings", index: j)
        }
    }
}
