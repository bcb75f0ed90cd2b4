#if canImport(Glibc)
import Glibc
#endif
/// Biased ALS with optional implicit features. One epoch:
///  1. items:    [q_i; b_i] given P, b_u            (row solves, parallel)
///  2. implicit: y_i = (w PᵀP + λ_y I)⁻¹ w Σ_{u∈R(i)} p_u   (one Cholesky, parallel solves)
///  3. users:    [p_u; b_u] given Q, b_i, Y         (row solves, parallel)
/// With the item-side implicit term, step 1 also reads X (implicit user
/// factors) and x_u = (w_x QᵀQ + λ_x I)⁻¹ w_x Σ_{i∈R(u)} q_i follows it.
/// Users go last so a trained user row equals its fold-in against the final model.
/// Every step minimizes the objective exactly in its block, so the loss never increases.
final class ALSTrainer {
    let data: RatingMatrix
    let config: TrainingConfig
    let params: SolverParams
    let k: Int, ds: Int, threads: Int
    let nu: Int, ni: Int
    let p: UnsafeMutablePointer<Float>, bu: UnsafeMutablePointer<Float>
    let q: UnsafeMutablePointer<Float>, bi: UnsafeMutablePointer<Float>
    let y: UnsafeMutablePointer<Float>?
    /// Implicit user factors x_u (item-side implicit term), or nil.
    let x: UnsafeMutablePointer<Float>?
    /// w_x·XᵀX, upper and full (CG), for item solves.
    let gramX: UnsafeMutablePointer<Float>, gramXFull: UnsafeMutablePointer<Float>
    let gram: UnsafeMutablePointer<Float>   // ds × ds scratch for YᵀY / PᵀP
    let gramFull: UnsafeMutablePointer<Float>  // w·YᵀY with both triangles (CG)
    /// CG steps for the current epoch (0 = exact).
    var cgSteps = 0
    let solvers: [RowSolver]
    /// Collective MF attribute blocks (users: C, items: D), or nil.
    var userAttributes: AttributeFactors?, itemAttributes: AttributeFactors?
    let userRanges: [Range<Int>], itemRanges: [Range<Int>]
    /// Ratings scored after every epoch (not trained on), or nil.
    var holdout: HoldoutRatings?
    /// Solve every user row exactly before the first epoch (a warm start whose user rows are mostly new).
    var solveUsersFirst = false

    init(data: RatingMatrix, config: TrainingConfig) {
        self.data = data; self.config = config; params = SolverParams(config)
        k = config.factors; ds = (k + 1 + 7) & ~7
        threads = Parallel.threads(config.threads)
        nu = data.userCount; ni = data.itemCount
        p = .allocate(capacity: max(nu * k, 1)); bu = .allocate(capacity: max(nu, 1))
        q = .allocate(capacity: max(ni * k, 1)); bi = .allocate(capacity: max(ni, 1))
        y = config.implicitWeight > 0 ? .allocate(capacity: max(ni * k, 1)) : nil
        gram = .allocate(capacity: ds * ds); gramFull = .allocate(capacity: ds * ds)
        x = config.implicitUserWeight > 0 ? .allocate(capacity: max(nu * k, 1)) : nil
        gramX = .allocate(capacity: ds * ds); gramXFull = .allocate(capacity: ds * ds)
        solvers = (0..<threads).map { _ in RowSolver(k: config.factors) }
        // Row cost ~ ratings·d² + d³/3 per solve; in units of one rating that is about d/3.
        userRanges = Parallel.partition(offsets: data.userOffsets, parts: threads, rowCost: (k + 1) / 3 + 1)
        itemRanges = Parallel.partition(offsets: data.itemOffsets, parts: threads, rowCost: (k + 1) / 3 + 1)
        var rng = SeededRNG(seed: config.seed)
        for j in 0..<(nu * k) { p[j] = rng.nextGaussian() * config.initScale }
        bu.update(repeating: 0, count: nu); bi.update(repeating: 0, count: ni)
        q.update(repeating: 0, count: ni * k)
        y?.update(repeating: 0, count: ni * k)
        x?.update(repeating: 0, count: nu * k)
    }

    deinit {
        p.deallocate(); bu.deallocate(); q.deallocate(); bi.deallocate(); y?.deallocate(); gram.deallocate(); gramFull.deallocate()
        x?.deallocate(); gramX.deallocate(); gramXFull.deallocate()
    }

    func run(onEpoch: ((EpochReport) -> Bool)?) throws -> MFModel {
        let start = ContinuousClock.now
        if solveUsersFirst {
            cgSteps = 0
            userAttributes?.update(from: p)
            sweepUsers()
        }
        for epoch in 1...max(config.iterations, 1) where config.iterations > 0 {
            cgSteps = epoch == config.iterations ? 0 : config.cgSteps
            sweepItems()
            itemAttributes?.update(from: q)
            if x != nil { sweepImplicitUsers() }
            if y != nil { sweepImplicit() }
            userAttributes?.update(from: p)  // before users, so user rows equal their fold-in
            sweepUsers()
            try MFTrainer.report(epoch: epoch, objective: objective, holdout: holdout.map { h in {
                h.rmse(mean: self.data.mean, min: self.data.minRating, max: self.data.maxRating, k: self.k,
                       userBias: self.bu, itemBias: self.bi, userFactors: self.p, itemFactors: self.q)
            } }, start: start, onEpoch: onEpoch)
        }
        return try makeModel()
    }

    /// Solves every row of one side in parallel against the fixed other side.
    private func sweep(ranges: [Range<Int>], offsets: [Int], neighbors: [Int32], ratings: [Float],
                       side: RowSide, out: UnsafeMutablePointer<Float>, outBias: UnsafeMutablePointer<Float>,
                       attributes: AttributeFactors? = nil) {
        var side = side
        if let attributes { side.attributeFactors = UnsafePointer(attributes.c); side.attributeWeight = attributes.weight }
        let attrOffsets = attributes?.offsets ?? [], attrColumns = attributes?.columns ?? [], attrValues = attributes?.values ?? []
        let mu = data.mean, k = self.k, params = self.params, solvers = self.solvers, steps = cgSteps
        neighbors.withUnsafeBufferPointer { nb in
            ratings.withUnsafeBufferPointer { rb in
                attrColumns.withUnsafeBufferPointer { ac in
                    attrValues.withUnsafeBufferPointer { av in
                        let ctx = UnsafeSendableBox((nb, rb, side, out, outBias, ac, av))
                        Parallel.run(ranges) { c, range in
                            let (nb, rb, side, out, outBias, ac, av) = ctx.value
                            let solver = solvers[c]
                            for r in range {
                                let lo = offsets[r], hi = offsets[r + 1]
                                let (lam, lamB) = params.penalties(count: hi - lo)
                                let (alo, ahi) = attrOffsets.isEmpty ? (0, 0) : (attrOffsets[r], attrOffsets[r + 1])
                                outBias[r] = solver.solve(
                                    neighbors: UnsafeBufferPointer(rebasing: nb[lo..<hi]),
                                    ratings: UnsafeBufferPointer(rebasing: rb[lo..<hi]), mu: mu,
                                    side: side, lambda: lam, biasLambda: lamB, outFactors: out + r * k,
                                    cgSteps: steps, warmBias: outBias[r],
                                    attributes: UnsafeBufferPointer(rebasing: ac[alo..<ahi]),
                                    attributeValues: UnsafeBufferPointer(rebasing: av[alo..<ahi]))
                            }
                        }
                    }
                }
            }
        }
    }

    func sweepItems() {
        var side = RowSide(factors: p, bias: bu)
        if let x { addImplicit(&side, factors: x, count: nu, weight: params.implicitUserWeight, gram: gramX, full: gramXFull) }
        sweep(ranges: itemRanges, offsets: data.itemOffsets, neighbors: data.itemUsers, ratings: data.itemRatings,
              side: side, out: q, outBias: bi, attributes: itemAttributes)
    }

    func sweepUsers() {
        var side = RowSide(factors: q, bias: bi)
        if let y { addImplicit(&side, factors: y, count: ni, weight: params.implicitWeight, gram: gram, full: gramFull) }
        sweep(ranges: userRanges, offsets: data.userOffsets, neighbors: data.userItems, ratings: data.userRatings,
              side: side, out: p, outBias: bu, attributes: userAttributes)
    }

    /// Adds an implicit term to `side`: w·FᵀF as base Gram (upper in `g`, both
    /// triangles in `gFull` for CG) and w·Σ f_j of the row's neighbours in the rhs.
    private func addImplicit(_ side: inout RowSide, factors f: UnsafeMutablePointer<Float>, count: Int, weight w: Float,
                             gram g: UnsafeMutablePointer<Float>, full gFull: UnsafeMutablePointer<Float>) {
        Gram.upper(rows: f, count: count, k: k, stride: ds, into: g, scale: w)
        side.implicitFactors = UnsafePointer(f); side.implicitWeight = w
        side.baseGram = UnsafePointer(g)
        for a in 0..<k { for c in a..<k { gFull[a * ds + c] = g[a * ds + c]; gFull[c * ds + a] = g[a * ds + c] } }
        side.baseGramFull = UnsafePointer(gFull)
    }

    /// y_i solves (w PᵀP + λ_y I) y_i = w Σ_{u rated i} p_u — one shared matrix.
    func sweepImplicit() {
        guard let y else { return }
        ALSTrainer.implicitSolve(factors: p, count: nu, k: k, ds: ds, weight: params.implicitWeight,
                                 lambda: params.implicitLambda, offsets: data.itemOffsets,
                                 neighbors: data.itemUsers, ranges: itemRanges, scratch: gram, out: y)
    }

    /// Lets the system take back the whole pages inside `buffer` (their contents
    /// are no longer needed; the buffer itself stays allocated until `deinit`).
    static func discardPages(_ buffer: UnsafeMutablePointer<Float>, count: Int) {
        #if canImport(Glibc)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: buffer) + page - 1) / page * page
        let end = (Int(bitPattern: buffer + count)) / page * page
        if page > 0, end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_DONTNEED) }
        #endif
    }

    /// The model, copied out of the trainer's buffers. The user-side buffers are
    /// the largest (users × k each); without user attributes each is given back
    /// to the system as soon as it is copied, so the trainer and the model do not
    /// hold both at once (51 MB of a 5M-rating retrain's peak). `run` calls this
    /// last: the trainer's user rows are gone after it.
    func makeModel() throws -> MFModel {
        let k = self.k
        // User attributes' blocks are computed from p and x below: keep them then.
        let discard = userAttributes == nil
        let userFactors = Array(UnsafeBufferPointer(start: p, count: nu * k))
        if discard { Self.discardPages(p, count: nu * k) }
        let implicitUserFactors = x.map { Array(UnsafeBufferPointer(start: $0, count: nu * k)) } ?? []
        if discard, let x { Self.discardPages(x, count: nu * k) }
        var model = try MFModel(
            factors: k, globalMean: data.mean, minRating: data.minRating, maxRating: data.maxRating,
            userBias: Array(UnsafeBufferPointer(start: bu, count: nu)),
            userFactors: userFactors,
            itemBias: Array(UnsafeBufferPointer(start: bi, count: ni)),
            itemFactors: Array(UnsafeBufferPointer(start: q, count: ni * k)),
            implicitItemFactors: y.map { Array(UnsafeBufferPointer(start: $0, count: ni * k)) } ?? [],
            implicitUserFactors: implicitUserFactors,
            itemPopularity: MFTrainer.popularity(data), solver: params, ranking: config.ranking)
        model.solver = params
        if userAttributes != nil || itemAttributes != nil {
            let nu = (0..<data.userCount).map { data.items(ofUser: $0).count }
            let ni = (0..<data.itemCount).map { data.users(ofItem: $0).count }
            model.sideInfo = SideInfoModel(users: userAttributes?.block(factors: p, bias: bu, implicit: x, counts: nu),
                                           items: itemAttributes?.block(factors: q, bias: bi, implicit: y, counts: ni))
        }
        return model
    }
}
