import MFCore
import MFProtocol

extension Engine {
    /// Trains the configured model kind on a ratings snapshot; `collective`
    /// reads the users' stored attributes and the items' genres and attributes.
    /// With `warmStart`, training starts from that model instead of random factors.
    func trainModel(_ matrix: RatingMatrix, users: IDMap, items: IDMap, config cfg: TrainingSettings, holdout: HoldoutRatings? = nil,
                    warmStart: WarmStart? = nil, onEpoch: @escaping (EpochReport) -> Bool) async throws -> MFModel {
        let training = cfg.training
        guard cfg.model == .collective else {
            return try MFTrainer.train(matrix, config: training, holdout: holdout, warmStart: warmStart, onEpoch: onEpoch)
        }
        let side = await writer.sideInfo(users: users, items: items)
        return try MFTrainer.train(matrix, sideInfo: side, config: training, holdout: holdout, warmStart: warmStart, onEpoch: onEpoch)
    }
}
