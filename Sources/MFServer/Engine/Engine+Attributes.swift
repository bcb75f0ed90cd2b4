import MFCore
import MFProtocol

extension Engine {
    /// Trains the configured model kind on a ratings snapshot; `collective`
    /// reads the users' stored attributes and the items' genres and attributes.
    func trainModel(_ matrix: RatingMatrix, users: IDMap, items: IDMap, config cfg: ServerConfig, holdout: HoldoutRatings? = nil,
                    onEpoch: @escaping (EpochReport) -> Bool) async throws -> MFModel {
        guard cfg.model == .collective else {
            return try MFTrainer.train(matrix, config: cfg.training, holdout: holdout, onEpoch: onEpoch)
        }
        let side = await writer.sideInfo(users: users, items: items)
        return try MFTrainer.train(matrix, sideInfo: side, config: cfg.training, holdout: holdout, onEpoch: onEpoch)
    }
}
