/// A trained model to start an ALS retrain from instead of random factors.
///
/// Rows the model already has start where the model left them; rows it does
/// not have (users and items that arrived since) start as in a cold start
/// (random user factors, zero item factors and biases). Starting close to the
/// optimum, a retrain needs fewer sweeps for the same objective: see
/// `TrainingConfig.warmIterations`. The last sweep still solves every row
/// exactly, so a trained user row equals its fold-in either way.
public struct WarmStart: Sendable {
    /// The model to start from; it must have the trained config's factor count.
    public var model: MFModel
    /// For each user of the training matrix, its row in `model`, or -1.
    public var userRows: [Int32]
    /// For each item of the training matrix, its row in `model`, or -1.
    public var itemRows: [Int32]
    /// Solve every user exactly against the start's items before the first sweep: for a start
    /// whose items are trained and whose user rows are mostly new.
    public var solveUsersFirst = false

    public init(model: MFModel, userRows: [Int32], itemRows: [Int32]) {
        self.model = model; self.userRows = userRows; self.itemRows = itemRows
    }

    /// Throws `invalid_config` unless the rows fit `data` and `model`, and the
    /// model has `config.factors` factors.
    func check(_ data: RatingMatrix, _ config: TrainingConfig) throws {
        func bad(_ r: String) -> MFCoreError { .invalidConfig(field: "warm_start", reason: r) }
        guard model.factors == config.factors else { throw bad("model has k=\(model.factors), training k=\(config.factors)") }
        guard userRows.count == data.userCount, itemRows.count == data.itemCount else {
            throw bad("row maps cover \(userRows.count) users and \(itemRows.count) items, the matrix \(data.userCount) and \(data.itemCount)")
        }
        guard userRows.allSatisfy({ $0 < model.userCount }), itemRows.allSatisfy({ $0 < model.itemCount }) else {
            throw bad("a row map points past the model")
        }
    }
}

extension ALSTrainer {
    /// Copies the warm start's known rows over the cold-start initial values.
    func begin(from start: WarmStart) {
        let m = start.model, k = self.k
        let hasX = x != nil && m.hasImplicitUserFactors, hasY = y != nil && m.hasImplicitFactors
        for (u, r) in start.userRows.enumerated() where r >= 0 {
            let r = Int(r)
            bu[u] = m.userBias[r]
            m.userFactors.withUnsafeBufferPointer { (p + u * k).update(from: $0.baseAddress! + r * k, count: k) }
            if hasX, let x { m.implicitUserFactors.withUnsafeBufferPointer { (x + u * k).update(from: $0.baseAddress! + r * k, count: k) } }
        }
        for (i, r) in start.itemRows.enumerated() where r >= 0 {
            let r = Int(r)
            bi[i] = m.itemBias[r]
            m.itemFactors.withUnsafeBufferPointer { (q + i * k).update(from: $0.baseAddress! + r * k, count: k) }
            if hasY, let y { m.implicitItemFactors.withUnsafeBufferPointer { (y + i * k).update(from: $0.baseAddress! + r * k, count: k) } }
        }
    }
}
