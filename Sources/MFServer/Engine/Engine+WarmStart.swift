import MFCore
import MFProtocol

extension TrainingSettings {
    /// Sweeps of a warm retrain: `warm_iterations`, never more than a cold one's.
    var warmSweeps: Int { min(warmIterations, iterations) }
}

extension Engine {
    /// Largest share of the ratings, and of the users and of the items, that may
    /// be new since the current model for a retrain to start from it. Measured
    /// with `mfbench eval --warm-from` on ml-latest-small-2016 (train → test,
    /// 5 sweeps): a warm start after 5 % and 10 % new ratings reached the cold
    /// start's RMSE 0.8107 within 0.0006 (0.8109, 0.8113; seeds spread 0.0004),
    /// after 25 % it stayed 0.0013 above (0.8120). Larger changes start cold.
    static let warmStartMaxChange = 0.1

    /// The serving model as the start of a retrain of `cfg` on a matrix with
    /// these users and items, or nil for a cold start: when `warm_iterations`
    /// is 0, the model is implicit, another kind, another k or other
    /// regularization (a changed configuration is a new search, not a
    /// continuation), or the data changed by more than `warmStartMaxChange`.
    func warmStart(for cfg: TrainingSettings, users: IDMap, items: IDMap, ratings: Int, changes: Int) -> (start: WarmStart, model: Int64)? {
        guard cfg.warmIterations > 0, cfg.model != .implicit, let base = snapshot.base else { return nil }
        let m = base.model, training = cfg.training
        guard ModelKind(m) == cfg.model, m.factors == cfg.factors, m.solver == SolverParams(training),
              m.sideInfo?.users?.weight ?? training.sideInfo.userWeight == training.sideInfo.userWeight,
              m.sideInfo?.items?.weight ?? training.sideInfo.itemWeight == training.sideInfo.itemWeight else { return nil }
        let limit = Self.warmStartMaxChange
        guard Double(changes) <= limit * Double(ratings) else { return nil }
        let userRows = users.ids.map { base.users.index(of: $0) ?? -1 }
        let itemRows = items.ids.map { base.items.index(of: $0) ?? -1 }
        let newUsers = userRows.lazy.filter { $0 < 0 }.count, newItems = itemRows.lazy.filter { $0 < 0 }.count
        guard Double(newUsers) <= limit * Double(users.count), Double(newItems) <= limit * Double(items.count) else { return nil }
        return (WarmStart(model: m, userRows: userRows, itemRows: itemRows), base.id)
    }
}
