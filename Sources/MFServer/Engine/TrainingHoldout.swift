import MFCore
import MFStore

/// What a retrain trains on, and the ratings it keeps out to score each epoch.
///
/// A fraction of the ratings (chosen by a hash of user, item and seed) is left
/// out of the training matrix; the trainer reports the RMSE on them after every
/// epoch (the holdout curve of `mfctl plot training`). Every user and item keeps
/// its row (possibly with no training rating), and `completed` then re-solves,
/// by fold-in from all their ratings, the item rows and then the user rows that
/// had ratings held out, before the model is saved: the served and stored model
/// uses every rating.
struct TrainingHoldout: Sendable {
    /// Below this many ratings nothing is held out: too few to spare.
    static let minimumRatings = 1_000

    let users: IDMap, items: IDMap
    let matrix: RatingMatrix
    /// Held-out ratings whose user and item are both in the training matrix (dense indices).
    let holdout: HoldoutRatings?
    /// Users and items with a held-out rating: their rows are re-solved after the swap.
    let replayUsers: Set<Int64>, replayItems: Set<Int64>

    /// True when (user, item) is held out at this fraction and seed.
    /// splitmix64 of the pair, as a uniform number in [0, 1).
    static func isHeldOut(user: Int64, item: Int64, fraction: Double, seed: Int64) -> Bool {
        guard fraction > 0 else { return false }
        var z = UInt64(bitPattern: user) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: item) &+ UInt64(bitPattern: seed) &* 0xD1B5_4A32_D192_ED03
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(UInt64(1) << 53) < fraction
    }

    /// Whether a snapshot of `count` ratings is split at all.
    static func applies(fraction: Double, count: Int) -> Bool { fraction > 0 && count >= minimumRatings }

    init(_ snap: RatingsSnapshot, fraction: Double, seed: Int64) throws {
        let split = Self.applies(fraction: fraction, count: snap.count)
        var um = IDMap(), im = IDMap()
        var tu = [Int32](), ti = [Int32](), tv = [Float]()
        tu.reserveCapacity(snap.count); ti.reserveCapacity(snap.count); tv.reserveCapacity(snap.count)
        var hu = [Int32](), hi = [Int32](), hv = [Float]()
        var ru = Set<Int64>(), ri = Set<Int64>()
        for j in 0..<snap.count {
            // Maps cover every rating, so held-out-only users and items still get rows.
            let u = um.append(snap.users[j]), i = im.append(snap.items[j])
            if split && Self.isHeldOut(user: snap.users[j], item: snap.items[j], fraction: fraction, seed: seed) {
                hu.append(u); hi.append(i); hv.append(snap.values[j])
                ru.insert(snap.users[j]); ri.insert(snap.items[j])
            } else {
                tu.append(u); ti.append(i); tv.append(snap.values[j])
            }
        }
        matrix = try RatingMatrix(users: tu, items: ti, ratings: tv, userCount: um.count, itemCount: im.count)
        users = um; items = im
        holdout = hv.isEmpty ? nil : HoldoutRatings(users: hu, items: hi, ratings: hv)
        replayUsers = ru; replayItems = ri
    }

    /// `model` (trained on `matrix`) with the rows of held-out ratings re-solved
    /// from all ratings: items first (against the trained user rows), then users
    /// (against those items), each with exactly the fold-in the engine uses for
    /// live writes. `entries` supplies attributes for collective models.
    func completed(_ model: MFModel, snap: RatingsSnapshot, entries: EngineSnapshot) throws -> MFModel {
        guard !replayUsers.isEmpty else { return model }
        var itemLists: [Int64: RatingList] = [:], userLists: [Int64: RatingList] = [:]
        // A snapshot holds each (user, item) once: append, never search (`set` made this
        // quadratic in the ratings of popular items, 18 % of a retrain at 5M ratings).
        for j in 0..<snap.count {
            let u = snap.users[j], i = snap.items[j]
            if replayItems.contains(i) { itemLists[i, default: RatingList()].appendNew(u, snap.values[j]) }
            if replayUsers.contains(u) { userLists[u, default: RatingList()].appendNew(i, snap.values[j]) }
        }
        let trained = ModelBase(model: model, users: users, items: items, id: 0, trainedAt: .now, algorithm: "", sequence: snap.sequence)
        let itemRows = try itemLists.map { id, list in
            (id: id, vector: try trained.solveItem(list, attributes: model.sideInfo?.items != nil ? entries.items[id]?.sideValues ?? [:] : [:]))
        }
        let withItems = try trained.replacingItems(itemRows)
        var m = withItems.model
        for (id, list) in userLists {
            guard let row = users.index(of: id) else { continue }
            var entry = UserEntry()
            entry.ratings = list
            entry.attributes = entries.users[id]?.attributes ?? [:]
            if let v = try withItems.solveUser(id, entry) { try m.setUser(row, v) }
        }
        return m
    }
}
