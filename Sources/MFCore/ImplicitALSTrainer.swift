/// Implicit-feedback ALS (Hu, Koren, Volinsky 2008), solved like `implicit`:
///   min Σ_u Σ_all i c_ui (p_ui − x_u·y_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²)
/// with c = 1 + α·strength on interactions (p = 1), c = 1, p = 0 elsewhere
/// (`ImplicitFeedback` says which stored values are interactions).
/// One epoch: items against G = XᵀX + λI, then users against G = YᵀY + λI,
/// each row by `ImplicitRowSolver` — `cgSteps` CG steps warm-started from
/// the previous epoch, except the last epoch's users, which are solved
/// exactly so a trained user row equals its fold-in. Rows without
/// interactions are exactly 0 and skip the solve.
final class ImplicitALSTrainer {
    let data: RatingMatrix          // interactions only, values = strengths
    let config: TrainingConfig
    let k: Int, ks: Int, threads: Int, nu: Int, ni: Int
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let gram: UnsafeMutablePointer<Float>
    let solvers: [ImplicitRowSolver]
    let userRanges: [Range<Int>], itemRanges: [Range<Int>]

    /// - Throws: `empty_input` (field `ratings`) when no value is an interaction.
    init(ratings: RatingMatrix, config: TrainingConfig) throws {
        self.config = config
        data = try Self.interactions(ratings, config.implicitALS)
        k = config.factors; ks = (k + 7) & ~7
        threads = Parallel.threads(config.threads)
        nu = data.userCount; ni = data.itemCount
        x = .allocate(capacity: max(nu * k, 1)); y = .allocate(capacity: max(ni * k, 1))
        gram = .allocate(capacity: ks * ks)
        solvers = (0..<threads).map { _ in ImplicitRowSolver(k: config.factors) }
        // CG row cost ≈ steps·(k² + 2nk): one interaction ≈ 2k flops, the Gram matvec ≈ k/2 interactions.
        userRanges = Parallel.partition(offsets: data.userOffsets, parts: threads, rowCost: k / 2 + 1)
        itemRanges = Parallel.partition(offsets: data.itemOffsets, parts: threads, rowCost: k / 2 + 1)
        // Uniform [0, 0.01) as `implicit` initializes; items start at 0 (solved first).
        var rng = SeededRNG(seed: config.seed)
        for j in 0..<(nu * k) { x[j] = rng.nextUnit() * 0.01 }
        y.update(repeating: 0, count: ni * k)
    }

    deinit { x.deallocate(); y.deallocate(); gram.deallocate() }

    /// The interactions of `m` under `f`: same index ranges, values = strengths.
    static func interactions(_ m: RatingMatrix, _ f: ImplicitFeedback) throws -> RatingMatrix {
        var us: [Int32] = [], its: [Int32] = [], vs: [Float] = []
        for u in 0..<m.userCount {
            for j in m.userOffsets[u]..<m.userOffsets[u + 1] {
                if let s = f.strength(m.userRatings[j]) { us.append(Int32(u)); its.append(m.userItems[j]); vs.append(s) }
            }
        }
        guard !vs.isEmpty else { throw MFCoreError.emptyInput(field: "ratings") }
        return try RatingMatrix(users: us, items: its, ratings: vs, userCount: m.userCount, itemCount: m.itemCount)
    }

    func run(onEpoch: ((EpochReport) -> Bool)?) throws -> MFModel {
        let start = ContinuousClock.now
        for epoch in 1...max(config.iterations, 1) where config.iterations > 0 {
            let steps = config.cgSteps
            sweep(fixed: x, fixedCount: nu, out: y, ranges: itemRanges, offsets: data.itemOffsets,
                  neighbors: data.itemUsers, strengths: data.itemRatings, cgSteps: steps)
            sweep(fixed: y, fixedCount: ni, out: x, ranges: userRanges, offsets: data.userOffsets,
                  neighbors: data.userItems, strengths: data.userRatings, cgSteps: epoch == config.iterations ? 0 : steps)
            try MFTrainer.report(epoch: epoch, objective: objective, start: start, onEpoch: onEpoch)
        }
        return try makeModel()
    }

    /// Solves every row of one side against G = FᵀF + λI of the fixed side F.
    private func sweep(fixed: UnsafeMutablePointer<Float>, fixedCount: Int, out: UnsafeMutablePointer<Float>,
                       ranges: [Range<Int>], offsets: [Int], neighbors: [Int32], strengths: [Float], cgSteps: Int) {
        let k = self.k, alpha = config.implicitALS.alpha, solvers = self.solvers
        Gram.fullRidge(rows: fixed, count: fixedCount, k: k, stride: ks, lambda: config.implicitALS.lambda, into: gram)
        neighbors.withUnsafeBufferPointer { nb in
            strengths.withUnsafeBufferPointer { sb in
                let ctx = UnsafeSendableBox((nb, sb, UnsafePointer(fixed), UnsafePointer(gram), out))
                Parallel.run(ranges) { c, range in
                    let (nb, sb, f, g, out) = ctx.value
                    for r in range {
                        let lo = offsets[r], hi = offsets[r + 1]
                        solvers[c].solve(neighbors: UnsafeBufferPointer(rebasing: nb[lo..<hi]),
                                         strengths: UnsafeBufferPointer(rebasing: sb[lo..<hi]), factors: f, gram: g,
                                         alpha: alpha, out: out + r * k, cgSteps: cgSteps)
                    }
                }
            }
        }
    }

    /// Objective per interaction, computed as
    ///   Σ_u [x_uᵀ(YᵀY)x_u + Σ_{i∈I_u} (c_ui(1 − s)² − s²)] + λ(‖X‖² + ‖Y‖²),  s = x_u·y_i,
    /// i.e. the all-cells sum with the interaction cells corrected. "rmse" is
    /// the root mean of (1 − s)² over interactions.
    func objective() -> (loss: Double, rmse: Double) {
        let k = self.k, ks = self.ks, alpha = config.implicitALS.alpha, lam = Double(config.implicitALS.lambda)
        Gram.fullRidge(rows: y, count: ni, k: k, stride: ks, lambda: 0, into: gram)
        var total = 0.0, sse = 0.0, reg = 0.0
        var tmp = [Float](repeating: 0, count: k)
        for u in 0..<nu {
            let xu = x + u * k
            for c in 0..<k { tmp[c] = Kernels.dot(gram + c * ks, xu, k) }
            total += Double(tmp.withUnsafeBufferPointer { Kernels.dot($0.baseAddress!, xu, k) })
            for j in data.userOffsets[u]..<data.userOffsets[u + 1] {
                let s = Double(Kernels.dot(xu, y + Int(data.userItems[j]) * k, k))
                let c = 1 + Double(alpha * data.userRatings[j])
                total += c * (1 - s) * (1 - s) - s * s
                sse += (1 - s) * (1 - s)
            }
            reg += Double(Kernels.dot(xu, xu, k))
        }
        for i in 0..<ni { reg += Double(Kernels.dot(y + i * k, y + i * k, k)) }
        let n = Double(max(data.count, 1))
        return ((total + lam * reg) / n, (sse / n).squareRoot())
    }

    func makeModel() throws -> MFModel {
        var params = SolverParams(lambda: config.implicitALS.lambda, biasLambda: config.implicitALS.lambda,
                                  weightedLambda: false, implicitWeight: 0, implicitLambda: 1)
        params.implicitALS = config.implicitALS
        // Scores are unbounded dot products: predict must not clip them.
        let big = Float.greatestFiniteMagnitude
        return try MFModel(
            factors: k, globalMean: 0, minRating: -big, maxRating: big,
            userBias: [Float](repeating: 0, count: nu), userFactors: Array(UnsafeBufferPointer(start: x, count: nu * k)),
            itemBias: [Float](repeating: 0, count: ni), itemFactors: Array(UnsafeBufferPointer(start: y, count: ni * k)),
            itemPopularity: (0..<ni).map { Float(data.itemOffsets[$0 + 1] - data.itemOffsets[$0]) },
            solver: params, ranking: RankingConfig(implicitWeight: 0, itemBiasWeight: 0))
    }
}
