import MFCore
import MFStore

/// A seeded random train/validation split of a ratings snapshot with dense
/// indices; validation rows whose user or item has no training rating are dropped.
struct HoldoutSplit: Sendable {
    let train: RatingMatrix
    /// External IDs of the training matrix's rows and columns.
    let userMap: IDMap, itemMap: IDMap
    let users: [Int32], items: [Int32], values: [Float]

    init(_ snap: RatingsSnapshot, fraction: Double, seed: Int64) throws {
        var rng = SeededRNG(seed: UInt64(bitPattern: seed))
        var order = Array(0..<snap.count)
        order.shuffle(using: &rng)
        let nTest = max(1, Int((Double(snap.count) * fraction).rounded()))
        var um = IDMap(), im = IDMap()
        var tu = [Int32](), ti = [Int32](), tv = [Float]()
        for j in order[nTest...] {
            tu.append(um.append(snap.users[j])); ti.append(im.append(snap.items[j])); tv.append(snap.values[j])
        }
        train = try RatingMatrix(users: tu, items: ti, ratings: tv, userCount: um.count, itemCount: im.count)
        userMap = um; itemMap = im
        var eu = [Int32](), ei = [Int32](), ev = [Float]()
        for j in order[..<nTest] {
            guard let u = um.index(of: snap.users[j]), let i = im.index(of: snap.items[j]) else { continue }
            eu.append(u); ei.append(i); ev.append(snap.values[j])
        }
        users = eu; items = ei; values = ev
    }

    /// Validation RMSE and NDCG@10 of a model trained on `train`.
    func score(_ model: MFModel) throws -> (rmse: Double, ndcg: Double) {
        let r = Metrics.rating(model: model, users: users, items: items, ratings: values)
        let k = try Metrics.ranking(model: model, train: train, users: users, items: items, ratings: values)
        return (r.rmse, k.ndcg)
    }
}
