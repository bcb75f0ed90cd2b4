/// Progress of one training epoch, passed to the `onEpoch` callback.
public struct EpochReport: Sendable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Full training objective (squared errors + penalties + implicit term) divided by the rating count.
    public var loss: Double
    /// Root mean squared error on the training ratings (unclipped).
    public var rmse: Double
    /// Seconds since training started.
    public var elapsed: Double
}

/// Entry point for training. Pure and synchronous: run it on a background task.
public enum MFTrainer {
    /// Trains a model with `config.algorithm`.
    /// - Parameter onEpoch: called after every epoch on the calling thread;
    ///   return false to stop. Training also stops when the current task is cancelled.
    /// - Throws: `invalid_config`, or `cancelled(epoch:)` when stopped.
    public static func train(_ data: RatingMatrix, config: TrainingConfig,
                             onEpoch: ((EpochReport) -> Bool)? = nil) throws -> MFModel {
        try config.validate()
        switch config.algorithm {
        case .als:
            let t = ALSTrainer(data: data, config: config)
            return try t.run(onEpoch: onEpoch)
        case .sgd:
            var t = SGDTrainer(data: data, config: config)
            return try t.run(onEpoch: onEpoch)
        case .implicit:
            return try ImplicitALSTrainer(ratings: data, config: config).run(onEpoch: onEpoch)
        }
    }

    /// Count of each item's ratings at or above the global mean (unknown-user ranking).
    static func popularity(_ m: RatingMatrix) -> [Float] {
        (0..<m.itemCount).map { i in Float(m.ratings(ofItem: i).reduce(0) { $0 + ($1 >= m.mean ? 1 : 0) }) }
    }

    /// Shared epoch bookkeeping: callback, cancellation, elapsed time.
    static func report(epoch: Int, objective: () -> (loss: Double, rmse: Double), start: ContinuousClock.Instant,
                       onEpoch: ((EpochReport) -> Bool)?) throws {
        if Task.isCancelled { throw MFCoreError.cancelled(epoch: epoch) }
        guard let onEpoch else { return }
        let (loss, rmse) = objective()
        let e = ContinuousClock.now - start
        let secs = Double(e.components.seconds) + Double(e.components.attoseconds) * 1e-18
        if !onEpoch(EpochReport(epoch: epoch, loss: loss, rmse: rmse, elapsed: secs)) {
            throw MFCoreError.cancelled(epoch: epoch)
        }
    }
}
