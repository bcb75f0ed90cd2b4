import Foundation
import MFCore
import MFProtocol
import MFStore

extension EngineWriter {
    /// Persists ratings (one atomic group-commit batch), applies and publishes them.
    func addRatings(_ ratings: [MFStore.Rating]) async throws -> AddRatingsResult {
        try await addRatingBatch([ratings])[0].get()
    }

    func deleteRating(user: Int64, item: Int64) async throws -> DeleteRatingResult {
        let seq = try await store.deleteRating(user: user, item: item)
        unapply(user: user, item: item, sequence: seq)
        await flushed()
        return DeleteRatingResult(seq: seq)
    }

    func deleteUser(_ user: Int64) async throws -> DeleteUserResult {
        guard let entry = users[user] else {
            throw WireError(.unknownUser, "user \(user) has no data", field: "user")
        }
        let seq = try await store.deleteUser(user)
        let current = users[user] ?? entry  // ratings may have changed while the store worked
        var itemChanges: [Int64: ItemEntry?] = [:]
        for (j, item) in current.ratings.ids.enumerated() {
            if var ie = items[item] {
                ie.ratingCount -= 1; ie.ratingSum -= Double(current.ratings.values[j]); ie.lastSequence = seq
                itemChanges[item] = ie
            }
            itemRatings[item]?.remove(user)
        }
        items.update(itemChanges)
        ratingCount -= current.ratings.count
        users[user] = nil
        noteChange(seq, users: [], items: current.ratings.ids)
        await flushed()
        return DeleteUserResult(seq: seq, ratingsDeleted: current.ratings.count)
    }

    func addUser(_ r: AddUserRequest) async throws -> AddUserResult {
        try checkAttributes(r.attributes, block: base?.model.sideInfo?.users)
        try await store.upsertUsers([UserRecord(id: r.user, attributes: r.attributes)])
        let created = users[r.user] == nil
        var e = users[r.user] ?? UserEntry()
        e.attributes.merge(r.attributes) { _, new in new }
        users[r.user] = e
        // Collective models fold the user in from its attributes at once (personal recommendations, no retrain).
        if base?.model.sideInfo?.users != nil { dirtyUsers.insert(r.user); await flushed() } else { publish() }
        return AddUserResult(user: r.user, created: created)
    }

    func addItem(_ r: AddItemRequest) async throws -> AddItemResult {
        try checkAttributes(r.attributes ?? [:], block: base?.model.sideInfo?.items)
        let existing = items[r.item]
        var e = existing ?? ItemEntry()
        e.setCatalogue(title: r.title ?? e.title, genres: r.genres ?? e.genres,
                       attributes: e.attributes.merging(r.attributes ?? [:]) { _, new in new })
        try await store.upsertItems([ItemRecord(id: r.item, title: e.title, genres: e.genres,
                                                attributes: r.attributes ?? [:])])
        // Re-read: a rating may have created the entry while the store worked.
        var now = items[r.item] ?? e
        if existing == nil || now.title != e.title || now.genres != e.genres { catalogueVersion += 1 }
        now.copyCatalogue(from: e)
        items[r.item] = now
        // Collective models give the item a row from its genres/attributes at once.
        if let base, base.model.sideInfo?.items != nil { dirtyItems.insert(r.item); await flushed() } else { publish() }
        return AddItemResult(item: r.item, created: existing == nil)
    }

    /// Swaps in a freshly trained model; users and items changed after its
    /// training snapshot are re-solved by fold-in against it (the replay).
    /// Returns how many users with ratings the replay re-solves. `resolving`: items re-solved
    /// by fold-in as well (rows the new model has but did not train).
    @discardableResult
    func install(_ newBase: ModelBase, changesAtSnapshot: Int, resolving: [Int64] = []) -> Int {
        // When the new model keeps the old item indices (it lists the old items first, in
        // their order, as an import aligned by `ModelImportSessions.align` does), a user's
        // `seen` list stays valid unless it lacked a rated item: such users are not touched.
        // (Recomputing every list and copying every entry was most of a 5M-rating import's commit.)
        let itemsKept = base.map { newBase.items.ids.starts(with: $0.items.ids) } ?? false
        base = newBase
        // Rows marked before the snapshot are covered by the new model (its item rows are
        // fresh now); the loops below re-mark what changed after it, which is also what a
        // restart replays, so both serve the same rows.
        dirtyUsers = []; dirtyItems = []; ratedItemsWithoutRow = []
        lastItemRefresh = Date()
        var userChanges: [Int64: UserEntry?] = [:]
        var replayed = 0
        users.forEach { id, e in
            if e.lastSequence > newBase.sequence || newBase.users.index(of: id) == nil {
                dirtyUsers.insert(id)
                if e.ratings.count > 0 { replayed += 1 }
            } else if itemsKept, e.foldedIn == nil, !e.staleFoldIn, e.seen.count == e.ratings.count {
                return
            } else {
                var e = e
                e.foldedIn = nil
                e.staleFoldIn = false
                e.seen = newBase.seen(e.ratings)
                userChanges[id] = e
            }
        }
        users.update(userChanges)
        items.forEach { id, e in
            if e.lastSequence > newBase.sequence || (newBase.items.index(of: id) == nil && e.ratingCount > 0) {
                dirtyItems.insert(id)
            }
        }
        dirtyItems.formUnion(resolving)
        pendingChanges = max(0, pendingChanges - changesAtSnapshot)
        if pendingChanges == 0 { firstPendingAt = nil }
        markAttributeRows()
        flush(forceItems: true)
        return replayed
    }

    /// The item lists are the writer's alone: a reload drops the old ones before
    /// it builds the new, so it holds the item lists once (the user lists twice:
    /// the snapshot serving meanwhile keeps the old).
    func dropItemLists() { itemRatings = [:] }

    /// Everything the store holds, as the writer's state (startup, after an
    /// import: `Engine.reload`), built off the actor and swapped in by `install`.
    ///
    /// Linear in the ratings, and every list is allocated at its final size:
    /// users arrive in ascending order with their whole lists, and items are
    /// counted before their lists are filled (in user order, as before).
    /// (Appending one rating at a time through `RatingList.set`, which searches
    /// the list, took 57 % of a 17 s restart at 5M ratings.)
    struct Loaded: Sendable {
        var users: ShardedMap<UserEntry>
        var items: ShardedMap<ItemEntry>
        var itemRatings: [Int64: RatingList]
        var count: Int
        var sequence: Int64
        /// The model the users' `seen` lists were made for.
        var base: ModelBase?
    }

    nonisolated static func built(ratings lists: UserRatingLists, users userRecords: [UserRecord], items itemRecords: [ItemRecord],
                                  base: ModelBase?) -> Loaded {
        var u = ShardedMap<UserEntry>.Builder(), i = Self.catalogue(itemRecords)
        for (_, list) in lists.users {
            for (j, item) in list.ids.enumerated() {
                i[item, default: ItemEntry()].ratingCount += 1
                i[item, default: ItemEntry()].ratingSum += Double(list.values[j])
            }
        }
        var ir: [Int64: RatingList] = [:]
        for (user, list) in lists.users {
            for (j, item) in list.ids.enumerated() {
                ir[item, default: RatingList(capacity: i[item]!.ratingCount)].appendNew(user, list.values[j])
            }
            var e = UserEntry()
            e.ratings = list
            if let base { e.seen = base.seen(list) }
            u[user] = e
        }
        for r in userRecords { u[r.id, default: UserEntry()].attributes = r.attributes }
        return Loaded(users: u.build(), items: i.build(), itemRatings: ir, count: lists.count, sequence: lists.sequence, base: base)
    }

    /// Swaps in lists `built` made; their `seen` lists are redone if the model changed meanwhile.
    func install(_ l: Loaded) {
        users = l.users; items = l.items; itemRatings = l.itemRatings
        if let base, base !== l.base {
            var changed: [Int64: UserEntry?] = [:]
            users.forEach { id, e in var e = e; e.seen = base.seen(e.ratings); changed[id] = e }
            users.update(changed)
        }
        catalogueVersion += 1
        ratingCount = l.count
        sequence = l.sequence
    }

    /// Item entries with their catalogue fields (no rating counts yet).
    static func catalogue(_ records: [ItemRecord]) -> ShardedMap<ItemEntry>.Builder {
        var i = ShardedMap<ItemEntry>.Builder()
        for r in records {
            var e = ItemEntry()
            e.setCatalogue(title: r.title, genres: r.genres, attributes: r.attributes)
            i[r.id] = e
        }
        return i
    }

    /// Marks users and items changed after `base`'s training snapshot (startup replay).
    func markChanged(_ changes: ChangeSummary) {
        var u: [Int64: UserEntry?] = [:], i: [Int64: ItemEntry?] = [:]
        for (user, seq) in changes.users {
            if var e = users[user] { e.lastSequence = max(e.lastSequence, seq); u[user] = e }
            dirtyUsers.insert(user)
        }
        for (item, seq) in changes.items {
            if var e = items[item] { e.lastSequence = max(e.lastSequence, seq); i[item] = e }
            dirtyItems.insert(item)
        }
        users.update(u); items.update(i)
        pendingChanges = changes.ratings + changes.deletedUsers
        if pendingChanges > 0 { firstPendingAt = Date() }
    }

    /// Publishes a partial snapshot (`EngineSnapshot.partial`): the stored model
    /// and the catalogue, before the ratings are loaded.
    func serveWhileLoading(base b: ModelBase, items itemRecords: [ItemRecord]) {
        base = b
        var i = Self.catalogue(itemRecords)
        items = i.build()
        catalogueVersion += 1
        sequence = b.sequence
        publish(partial: true)
    }

    /// Folded-in state for a replayed startup, published once.
    func refoldAllDirty() { markAttributeRows(); flush(forceItems: true) }

    /// Current pending-change count (taken when a training snapshot starts).
    func pendingCount() -> (count: Int, since: Date?) { (pendingChanges, firstPendingAt) }

    /// For each of `ids`: how many of its ratings are ≥ `threshold` (an imported model's
    /// popularity, as training counts ratings ≥ μ), from the per-item lists.
    func itemPopularity(_ ids: [Int64], threshold: Float) -> [Float] {
        ids.map { id in Float(itemRatings[id]?.values.reduce(0) { $0 + ($1 >= threshold ? 1 : 0) } ?? 0) }
    }
}

extension EngineWriter {
    /// The stored ratings of `items` by `users` on their indices in those lists (others skipped).
    func ratingMatrix(users: IDMap, items: [Int64]) throws -> RatingMatrix {
        var us: [Int32] = [], its: [Int32] = [], vs: [Float] = []
        for (i, id) in items.enumerated() {
            guard let list = itemRatings[id] else { continue }
            for (u, v) in zip(list.ids, list.values) {
                guard let row = users.index(of: u) else { continue }
                us.append(row); its.append(Int32(i)); vs.append(v)
            }
        }
        return try RatingMatrix(users: us, items: its, ratings: vs, userCount: users.count, itemCount: items.count)
    }
}
