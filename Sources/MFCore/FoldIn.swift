/// Fold-in: a user's or item's row from its ratings against a frozen model,
/// by exactly the row solve ALS uses. Build once per model snapshot (it holds
/// the Gram terms), then call from any thread.
///
/// Rebuild it after items change (new items or replaced item rows), since the
/// implicit term's YᵀY covers every item.
public struct FoldIn: Sendable {
    /// The model the cached terms belong to.
    public let model: MFModel
    let ds: Int
    /// w·YᵀY in the top-left k×k of a ds×ds matrix (users), or empty.
    let userGram: [Float]
    /// Cholesky factor of w·PᵀP + λ_y I (for an item's y_i), or empty.
    let implicitFactor: [Float]
    /// Implicit-ALS models: YᵀY + λI and XᵀX + λI (full, stride ks), else empty.
    let implicitUserGram: [Float], implicitItemGram: [Float]

    /// Precomputes the Gram terms: O((users + items)·k²).
    public init(model: MFModel) {
        self.model = model
        let k = model.factors, ds = (k + 1 + 7) & ~7
        self.ds = ds
        (implicitUserGram, implicitItemGram) = Self.implicitGrams(model)
        let w = model.solver.implicitWeight
        guard model.hasImplicitFactors && w > 0 else { userGram = []; implicitFactor = []; return }
        var g = [Float](repeating: 0, count: ds * ds)
        var f = [Float](repeating: 0, count: ds * ds)
        model.implicitItemFactors.withUnsafeBufferPointer { y in
            g.withUnsafeMutableBufferPointer { Gram.upper(rows: y.baseAddress!, count: model.itemCount, k: k, stride: ds, into: $0.baseAddress!, scale: w) }
        }
        model.userFactors.withUnsafeBufferPointer { p in
            f.withUnsafeMutableBufferPointer { fb in
                let fp = fb.baseAddress!
                Gram.upper(rows: p.baseAddress!, count: model.userCount, k: k, stride: ds, into: fp, scale: w)
                for c in 0..<k { fp[c * ds + c] += max(model.solver.implicitLambda, 1e-6) }
                _ = Kernels.choleskyUpper(fp, dim: k, stride: ds)
            }
        }
        userGram = g; implicitFactor = f
    }

    /// A user's vector from `(items[j], ratings[j])` with item factors frozen.
    /// An empty list gives the zero vector (predictions fall back to item biases).
    /// - Throws: `length_mismatch`, `index_out_of_range` (field `items`), `non_finite_value` (field `ratings`).
    /// With `attributes` and a model trained with user side information, the
    /// attribute block joins the solve (no ratings: factors from attributes alone).
    public func user(items: [Int32], ratings: [Float], attributes: [String: SideValue] = [:]) throws -> UserVector {
        try Self.check(items, ratings, count: model.itemCount, field: "items")
        if model.solver.implicitALS != nil { return UserVector(factors: implicitRow(items, ratings, item: false), bias: 0) }
        let k = model.factors
        let attr = try Self.encode(attributes, model.sideInfo?.users)
        var out = [Float](repeating: 0, count: k)
        let (lam, lamB) = model.solver.penalties(count: items.count)
        let solver = RowSolver(k: k)
        let bias = model.itemFactors.withUnsafeBufferPointer { q in
            model.itemBias.withUnsafeBufferPointer { b in
                model.implicitItemFactors.withUnsafeBufferPointer { y in
                    userGram.withUnsafeBufferPointer { g in
                        items.withUnsafeBufferPointer { nb in
                            ratings.withUnsafeBufferPointer { rb in
                                out.withUnsafeMutableBufferPointer { o in
                                    var side = RowSide(factors: q.baseAddress!, bias: b.baseAddress!)
                                    if !g.isEmpty {
                                        side.baseGram = g.baseAddress; side.implicitFactors = y.baseAddress
                                        side.implicitWeight = model.solver.implicitWeight
                                    }
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
        return UserVector(factors: out, bias: bias)
    }

    /// An item's vector from `(users[j], ratings[j])` with user factors frozen;
    /// also its implicit factors y_i (when the model has them) and popularity.
    /// With `attributes` and a model trained with item side information, the
    /// attribute block joins the solve (no ratings: factors from attributes alone).
    public func item(users: [Int32], ratings: [Float], attributes: [String: SideValue] = [:]) throws -> ItemVector {
        try Self.check(users, ratings, count: model.userCount, field: "users")
        if model.solver.implicitALS != nil {
            let f = implicitRow(users, ratings, item: true)
            let n = ratings.reduce(0) { $0 + (model.solver.implicitALS!.strength($1) == nil ? 0 : 1) }
            return ItemVector(factors: f, bias: 0, popularity: Float(n))
        }
        let k = model.factors, ds = self.ds
        let attr = try Self.encode(attributes, model.sideInfo?.items)
        var out = [Float](repeating: 0, count: k)
        let (lam, lamB) = model.solver.penalties(count: users.count)
        let solver = RowSolver(k: k)
        let bias = model.userFactors.withUnsafeBufferPointer { p in
            model.userBias.withUnsafeBufferPointer { b in
                users.withUnsafeBufferPointer { nb in
                    ratings.withUnsafeBufferPointer { rb in
                        out.withUnsafeMutableBufferPointer { o in
                            attr.solve { ac, av, cf, w in
                                var side = RowSide(factors: p.baseAddress!, bias: b.baseAddress!)
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
        var implicitOut: [Float] = []
        if !implicitFactor.isEmpty {
            // y_i = (w PᵀP + λ_y I)⁻¹ w Σ_u p_u, as in the ALS implicit step.
            var rhs = [Float](repeating: 0, count: ds)
            let w = model.solver.implicitWeight
            for u in users { for c in 0..<k { rhs[c] += w * model.userFactors[Int(u) * k + c] } }
            implicitFactor.withUnsafeBufferPointer { f in
                rhs.withUnsafeMutableBufferPointer { Kernels.choleskySolve(f.baseAddress!, dim: k, stride: ds, $0.baseAddress!) }
            }
            implicitOut = Array(rhs[0..<k])
        }
        let pop = Float(ratings.reduce(0) { $0 + ($1 >= model.globalMean ? 1 : 0) })
        return ItemVector(factors: out, bias: bias, implicitFactors: implicitOut, popularity: pop)
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
