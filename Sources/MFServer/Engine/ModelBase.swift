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

    /// A user's fold-in from their ratings on model items (others are skipped)
    /// and, with a collective model, their attributes; nil when there is
    /// nothing to solve from (no ratings, or for implicit models no
    /// interaction) and the model has no row for the user, so popularity
    /// serves them. (A trained user whose ratings are all deleted gets the
    /// solve of nothing, never their stale trained row.) The writer, its fold
    /// pass and readers of a stale entry all call this: one vector for all.
    func solveUser(_ id: Int64, _ e: UserEntry) throws -> UserVector? {
        let (idx, vals) = rows(e.ratings)
        let attrs = model.sideInfo?.users != nil ? e.attributes : [:]
        // Implicit models: ratings below the interaction threshold carry nothing (the row would be 0).
        let interactions = model.solver.implicitALS.map { f in vals.contains { f.strength($0) != nil } } ?? !idx.isEmpty
        if !interactions && attrs.isEmpty && users.index(of: id) == nil { return nil }
        return try foldIn.user(items: idx, ratings: vals, attributes: attrs)
    }

    /// An item's fold-in from its ratings by users that have a model row (others
    /// are skipped) and, with a collective model, its attributes. The writer's item
    /// passes and the training holdout's completion both call this.
    func solveItem(_ ratings: RatingList, attributes: [String: AttributeValue]) throws -> ItemVector {
        var idx: [Int32] = [], vals: [Float] = []
        idx.reserveCapacity(ratings.count); vals.reserveCapacity(ratings.count)
        for (j, user) in ratings.ids.enumerated() {
            if let u = users.index(of: user) { idx.append(u); vals.append(ratings.values[j]) }
        }
        return try foldIn.item(users: idx, ratings: vals, attributes: attributes)
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
        ModelInfo(id: id, kind: ModelKind(model), algorithm: algorithm, factors: model.factors, users: model.userCount,
                  items: model.itemCount, trainedAt: trainedAt.timeIntervalSince1970,
                  ageSeconds: max(0, now.timeIntervalSince(trainedAt)))
    }
}
