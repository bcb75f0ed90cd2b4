import Foundation
import MFCore
import MFProtocol
import MFStore

/// A trained model with its ID maps and fold-in cache. Immutable; the writer
/// replaces it when item rows change (item fold-in, new items) or on a retrain.
final class ModelBase: Sendable {
    let model: MFModel
    let foldIn: FoldIn
    let users: IDMap
    let items: IDMap
    /// Stored model id, training time, algorithm and the change sequence it was trained at.
    let id: Int64
    let trainedAt: Date
    let algorithm: String
    let sequence: Int64

    init(model: MFModel, users: IDMap, items: IDMap, id: Int64, trainedAt: Date, algorithm: String, sequence: Int64) {
        self.model = model
        self.foldIn = FoldIn(model: model)
        self.users = users
        self.items = items
        self.id = id
        self.trainedAt = trainedAt
        self.algorithm = algorithm
        self.sequence = sequence
    }

    /// A user's fold-in from their ratings; items without a row are skipped.
    /// The writer and readers (for a stale entry) call this, so both get the same vector.
    func solveUser(_ ratings: RatingList) throws -> UserVector {
        let (idx, vals) = rows(ratings)
        return try foldIn.user(items: idx, ratings: vals)
    }

    /// Ratings of items that have a model row, as (item index, value).
    func rows(_ ratings: RatingList) -> (items: [Int32], values: [Float]) {
        var idx: [Int32] = [], vals: [Float] = []
        idx.reserveCapacity(ratings.count); vals.reserveCapacity(ratings.count)
        for (j, item) in ratings.ids.enumerated() {
            if let i = items.index(of: item) { idx.append(i); vals.append(ratings.values[j]) }
        }
        return (idx, vals)
    }

    /// The rated items that have a row, as ascending indices (`exclude_seen`).
    func seen(_ ratings: RatingList) -> [Int32] { ratings.ids.compactMap { items.index(of: $0) }.sorted() }

    /// The same model with some item rows replaced or appended (fold-in results).
    func replacingItems(_ rows: [(id: Int64, vector: ItemVector)]) throws -> ModelBase {
        var m = model
        var map = items
        for (id, v) in rows {
            if let i = map.index(of: id) { try m.setItem(i, v) } else {
                _ = try m.appendItem(v)
                _ = map.append(id)
            }
        }
        return ModelBase(model: m, users: users, items: map, id: id, trainedAt: trainedAt,
                         algorithm: algorithm, sequence: sequence)
    }

    /// Loads a stored model.
    convenience init(record r: ModelRecord) throws {
        let model = try MFModel(parts: ModelParts(arrays: r.arrays, scalars: r.scalars))
        guard model.userCount == r.userIDs.count, model.itemCount == r.itemIDs.count else {
            throw WireError(.invalidModel, "stored model \(r.id) has \(model.userCount)×\(model.itemCount) rows but \(r.userIDs.count)×\(r.itemIDs.count) IDs")
        }
        self.init(model: model, users: IDMap(ids: r.userIDs), items: IDMap(ids: r.itemIDs), id: r.id,
                  trainedAt: r.createdAt, algorithm: r.algorithm, sequence: r.sequence)
    }

    func info(now: Date = Date()) -> ModelInfo {
        ModelInfo(id: id, kind: .explicit, algorithm: algorithm, factors: model.factors, users: model.userCount,
                  items: model.itemCount, trainedAt: trainedAt.timeIntervalSince1970,
                  ageSeconds: max(0, now.timeIntervalSince(trainedAt)))
    }
}
