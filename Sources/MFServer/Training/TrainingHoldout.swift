import Synchronization
import Dispatch
import MFCore
import MFProtocol
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
    static let minimumRatings = HoldoutRatings.minimumRatings

    let users: IDMap, items: IDMap
    let matrix: RatingMatrix
    /// Held-out ratings whose user and item are both in the training matrix (dense indices).
    let holdout: HoldoutRatings?
    /// Users and items with a held-out rating: their rows are re-solved after the swap.
    let replayUsers: Set<Int64>, replayItems: Set<Int64>

    /// True when (user, item) is held out at this fraction and seed (`HoldoutRatings.isHeldOut`).
    static func isHeldOut(user: Int64, item: Int64, fraction: Double, seed: Int64) -> Bool {
        HoldoutRatings.isHeldOut(user: user, item: item, fraction: fraction, seed: seed)
    }

    /// Whether a snapshot of `count` ratings is split at all.
    static func applies(fraction: Double, count: Int) -> Bool { fraction > 0 && count >= minimumRatings }

    init(_ snap: RatingsSnapshot, fraction: Double, seed: Int64) throws {
        var b = Builder(fraction: fraction, seed: seed)
        for j in 0..<snap.count { b.add(user: snap.users[j], item: snap.items[j], value: snap.values[j]) }
        self = try b.finish()
    }

    /// The split of every rating in the store, read user by user (no flat copy of
    /// all ratings: at 5M that copy and the lists built from it were 40 bytes a
    /// rating on top of the matrix during a retrain); with the rating count and
    /// the change sequence it reflects.
    static func read(from store: Store, fraction: Double, seed: Int64) async throws
        -> (split: TrainingHoldout, ratings: Int, sequence: Int64) {
        let box = BuilderBox(Builder(fraction: fraction, seed: seed))
        let sequence = try await store.forEachUser { user, items, values in
            for j in items.indices { box.builder.add(user: user, item: items[j], value: values[j]) }
        }
        let count = box.builder.count
        guard count > 0 else { throw WireError(.noModel, "there are no ratings to train on") }
        return (try box.builder.finish(), count, sequence)
    }

    private init(users: IDMap, items: IDMap, matrix: RatingMatrix, holdout: HoldoutRatings?,
                 replayUsers: Set<Int64>, replayItems: Set<Int64>) {
        self.users = users; self.items = items; self.matrix = matrix; self.holdout = holdout
        self.replayUsers = replayUsers; self.replayItems = replayItems
    }

    /// The split, rating by rating in store order (users ascending, then items).
    struct Builder {
        let fraction: Double, seed: Int64
        private(set) var count = 0
        private var um = IDMap(), im = IDMap()
        private var tu = [Int32](), ti = [Int32](), tv = [Float]()
        private var hu = [Int32](), hi = [Int32](), hv = [Float]()
        private var ru = Set<Int64>(), ri = Set<Int64>()
        /// Every rating, kept only while there are too few to split (`minimumRatings`).
        private var few: [(u: Int32, i: Int32, v: Float)] = []

        init(fraction: Double, seed: Int64) { self.fraction = fraction; self.seed = seed }

        mutating func add(user: Int64, item: Int64, value: Float) {
            // Maps cover every rating, so held-out-only users and items still get rows.
            let u = um.append(user), i = im.append(item)
            count += 1
            if count <= TrainingHoldout.minimumRatings { few.append((u, i, value)) } else if !few.isEmpty { few = [] }
            if fraction > 0 && TrainingHoldout.isHeldOut(user: user, item: item, fraction: fraction, seed: seed) {
                hu.append(u); hi.append(i); hv.append(value)
                ru.insert(user); ri.insert(item)
            } else {
                tu.append(u); ti.append(i); tv.append(value)
            }
        }

        func finish() throws -> TrainingHoldout {
            // Too few to split: everything trains (without a fraction nothing was held out anyway).
            if fraction > 0 && !TrainingHoldout.applies(fraction: fraction, count: count) {
                let matrix = try RatingMatrix(users: few.map(\.u), items: few.map(\.i), ratings: few.map(\.v),
                                              userCount: um.count, itemCount: im.count)
                return TrainingHoldout(users: um, items: im, matrix: matrix, holdout: nil, replayUsers: [], replayItems: [])
            }
            let matrix = try RatingMatrix(users: tu, items: ti, ratings: tv, userCount: um.count, itemCount: im.count)
            return TrainingHoldout(users: um, items: im, matrix: matrix,
                                   holdout: hv.isEmpty ? nil : HoldoutRatings(users: hu, items: hi, ratings: hv),
                                   replayUsers: ru, replayItems: ri)
        }
    }

    /// Filled on the store's reader thread, read after its read returns.
    private final class BuilderBox: @unchecked Sendable {
        var builder: Builder
        init(_ b: Builder) { builder = b }
    }

    /// `model` (trained on `matrix`) with the rows of held-out ratings re-solved
    /// from all ratings: items first (against the trained user rows), then users
    /// (against those items), each with exactly the fold-in the engine uses for
    /// live writes. A row's ratings are its training ratings (`matrix`) and its
    /// held-out ones, in store order (ascending ID of the other side), one row
    /// at a time. `entries` supplies attributes for collective models.
    func completed(_ model: MFModel, entries: EngineSnapshot, threads: Int = 1) throws -> MFModel {
        guard !replayUsers.isEmpty, let holdout else { return model }
        var byItem: [Int32: [(other: Int32, value: Float)]] = [:], byUser: [Int32: [(other: Int32, value: Float)]] = [:]
        for j in 0..<holdout.count {
            byItem[holdout.items[j], default: []].append((holdout.users[j], holdout.ratings[j]))
            byUser[holdout.users[j], default: []].append((holdout.items[j], holdout.ratings[j]))
        }
        let heldByItem = byItem, heldByUser = byUser
        // Each side's indices ranked by ID: a row sorted by rank lists its ratings as the store does
        // (ascending ID of the other side), the order live fold-in reads them in, without a round
        // trip through IDs (a first training at 5M ratings: completion 2.6–2.7 s, 3.1 s through IDs).
        let userRank = Self.ranks(users), itemRank = Self.ranks(items)
        @Sendable func row(_ others: ArraySlice<Int32>, _ values: ArraySlice<Float>, held: [(other: Int32, value: Float)]?,
                           rank: [Int32]) -> (indices: [Int32], values: [Float]) {
            var pairs = Array(zip(others, values))
            if let held { pairs += held.map { ($0.other, $0.value) } }
            pairs.sort { rank[Int($0.0)] < rank[Int($1.0)] }
            return (pairs.map(\.0), pairs.map(\.1))
        }
        // Every user and item of the split has a model row, so ModelBase's ID-to-row lookups would keep every rating.
        let trained = ModelBase(model: model, users: users, items: items, id: 0, trainedAt: .now, algorithm: "", sequence: 0)
        let itemIDs = replayItems.sorted(), userIDs = replayUsers.sorted()
        // Rows are independent solves: `threads` chunks at once, kept in ID order
        // (single-threaded this was 6.8 s of a 31 s retrain at 5M ratings).
        let itemRows = try Self.concurrentMap(itemIDs, threads: threads) { id -> (id: Int64, vector: ItemVector) in
            let i = items.index(of: id)!
            let r = row(matrix.users(ofItem: Int(i)), matrix.ratings(ofItem: Int(i)), held: heldByItem[i], rank: userRank)
            let attributes = model.sideInfo?.items != nil ? entries.items[id]?.modelAttributes ?? [:] : [:]
            return (id, try trained.foldIn.item(users: r.indices, ratings: r.values, attributes: attributes))
        }
        let withItems = try trained.replacingItems(itemRows)
        var m = withItems.model
        // In batches, so that only a batch of solved rows waits beside the model.
        for start in stride(from: 0, to: userIDs.count, by: 8192) {
            let batch = Array(userIDs[start..<min(start + 8192, userIDs.count)])
            let userRows = try Self.concurrentMap(batch, threads: threads) { id -> (row: Int32, vector: UserVector) in
                let u = users.index(of: id)!
                let r = row(matrix.items(ofUser: Int(u)), matrix.ratings(ofUser: Int(u)), held: heldByUser[u], rank: itemRank)
                let attributes = model.sideInfo?.users != nil ? entries.users[id]?.attributes ?? [:] : [:]
                return (u, try withItems.foldIn.user(items: r.indices, ratings: r.values, attributes: attributes))
            }
            for (u, v) in userRows { try m.setUser(u, v) }
        }
        return m
    }

    /// Each index's rank when `map`'s IDs are sorted ascending.
    static func ranks(_ map: IDMap) -> [Int32] {
        var rank = [Int32](repeating: 0, count: map.count)
        for (r, i) in map.ids.indices.sorted(by: { map.ids[$0] < map.ids[$1] }).enumerated() { rank[i] = Int32(r) }
        return rank
    }

    /// `body` of each element, in `threads` contiguous chunks at once; results in input order.
    static func concurrentMap<T: Sendable, R: Sendable>(_ xs: [T], threads: Int,
                                                        _ body: @Sendable (T) throws -> R) throws -> [R] {
        let parts = max(1, min(threads, xs.count))
        let chunk = (xs.count + parts - 1) / max(parts, 1)
        let results = Mutex<[Int: Result<[R], any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: parts) { c in
            let range = (c * chunk)..<min(xs.count, (c + 1) * chunk)
            let r = Result { try xs[range].map(body) }
            results.withLock { $0[c] = r }
        }
        return try results.withLock { all in try (0..<parts).flatMap { try all[$0]!.get() } }
    }
}
