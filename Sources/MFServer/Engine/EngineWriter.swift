import Foundation
import Logging
import MFCore
import MFProtocol
import MFStore

/// The one owner of all engine state changes. Every write goes
/// store (durable) → in-memory rating lists → fold-in → publish.
///
/// Fold-in is batched: callers resumed by the same group commit apply their
/// ratings, then wait for one `flush` that re-solves each touched user once
/// and publishes one snapshot; every reply is sent after that publish, so
/// the next read sees the write.
actor EngineWriter {
    let store: Store
    let logger: Logger
    let itemRefreshInterval: Double
    private let publishSnapshot: @Sendable (EngineSnapshot) -> Void

    var base: ModelBase?
    var users = ShardedMap<UserEntry>()
    var items = ShardedMap<ItemEntry>()
    /// Each item's ratings by user (writer-only: item fold-in input).
    var itemRatings: [Int64: RatingList] = [:]
    var ratingCount = 0
    var sequence: Int64 = 0
    var pendingChanges = 0
    /// Bumped when a listed item's catalogue JSON can change (see `EngineSnapshot.catalogueVersion`).
    var catalogueVersion = 0
    /// When the oldest change not yet in a trained model arrived (time-based retrain).
    var firstPendingAt: Date?

    var dirtyUsers: Set<Int64> = []
    var dirtyItems: Set<Int64> = []
    /// Users published with `staleFoldIn` whose rows the next fold pass solves.
    var staleUsers: Set<Int64> = []
    /// Users whose `seen` misses items that just got a row (refreshItems).
    var needsSeen: Set<Int64> = []
    /// Items rated without a row in `base`: after a rating write only these can
    /// need a new row at once, so its flush checks them rather than every dirty item.
    var ratedItemsWithoutRow: Set<Int64> = []
    var foldPassScheduled = false
    var lastFoldPass = Duration.zero
    /// Least pause before a fold pass (the item refresh interval), so that the
    /// changes of many commits share it; also ≥ 4× the previous pass.
    var foldPassDelay: Duration
    var itemPassRunning = false
    var foldPassRunning = false
    /// A fold pass found an item pass running; that pass starts it when done.
    var foldAfterItemPass = false
    /// Seconds the last background item pass took (passes are spaced ≥ 4× that).
    var lastItemPass = 0.0
    var lastItemRefresh = Date.distantPast
    private var flushWaiters: [CheckedContinuation<Void, Never>] = []
    private var flushScheduled = false
    /// Some waiter of the scheduled flush needs its users re-solved before its reply.
    var fullRefoldRequested = false

    init(store: Store, logger: Logger, itemRefreshInterval: Double, publish: @escaping @Sendable (EngineSnapshot) -> Void) {
        self.store = store
        self.logger = logger
        self.itemRefreshInterval = itemRefreshInterval
        self.foldPassDelay = .milliseconds(Int(max(0.05, itemRefreshInterval) * 1000))
        self.publishSnapshot = publish
    }

    // MARK: Applying changes (no I/O)

    /// Records one commit's ratings in the lists, request by request; returns each
    /// request's new users and items. Entries are gathered first and written to the
    /// sharded maps once per batch, so a batch copies each touched shard once.
    func apply(_ requests: [[MFStore.Rating]], sequence seq: Int64) -> [(newUsers: Int, newItems: Int)] {
        var u: [Int64: UserEntry] = [:], it: [Int64: ItemEntry] = [:]
        var out: [(newUsers: Int, newItems: Int)] = []
        out.reserveCapacity(requests.count)
        for r in requests {
            var newUsers = Set<Int64>(), newItems = Set<Int64>()
            var newEntryForRow = false  // an item with a model row got its first catalogue entry
            for x in r {
                if u[x.user] == nil {
                    if let e = users[x.user] { u[x.user] = e } else { u[x.user] = UserEntry(); newUsers.insert(x.user) }
                }
                let old = u[x.user]!.ratings.set(x.item, x.value)  // in place: one copy of shared arrays per batch
                u[x.user]!.lastSequence = seq
                let row = base?.items.index(of: x.item)
                if base != nil {
                    if row == nil { ratedItemsWithoutRow.insert(x.item) }
                    // Keep `seen` current here, so a stale publish needs no rebuild (see markStale).
                    if old == nil, let i = row { u[x.user]!.seen.insertSorted(i) }
                    u[x.user]!.staleFoldIn = true
                }
                if it[x.item] == nil {
                    if let e = items[x.item] { it[x.item] = e } else {
                        it[x.item] = ItemEntry(); newItems.insert(x.item)
                        if row != nil { newEntryForRow = true }
                    }
                }
                if let old { it[x.item]!.ratingSum += Double(x.value - old) } else {
                    it[x.item]!.ratingCount += 1; it[x.item]!.ratingSum += Double(x.value); ratingCount += 1
                }
                it[x.item]!.lastSequence = seq
                // The two lists hold the same pairs: a rating new to the user is new to the
                // item, so only a re-rating searches the item's list (popular items hold
                // tens of thousands of ratings at 5M).
                if old == nil {
                    itemRatings[x.item, default: RatingList()].appendNew(x.user, x.value)
                } else {
                    itemRatings[x.item, default: RatingList()].set(x.user, x.value)
                }
                pendingChanges += 1
            }
            out.append((newUsers.count, newItems.count))
            // Only items with a row can be listed by a model answer; rows added later bring a new base.
            if newEntryForRow { catalogueVersion += 1 }
        }
        users.update(u.mapValues { Optional($0) })
        items.update(it.mapValues { Optional($0) })
        sequence = max(sequence, seq)
        if firstPendingAt == nil, !u.isEmpty { firstPendingAt = Date() }
        dirtyUsers.formUnion(u.keys)
        dirtyItems.formUnion(it.keys)
        return out
    }

    /// Removes one rating from the lists; false when it was not there.
    @discardableResult
    func unapply(user: Int64, item: Int64, sequence seq: Int64) -> Bool {
        guard var ue = users[user], let old = ue.ratings.remove(item) else { return false }
        ue.lastSequence = seq
        if let base {
            if let i = base.items.index(of: item), let j = ue.seen.firstIndex(of: i) { ue.seen.remove(at: j) }
            ue.staleFoldIn = true
        }
        users[user] = ue
        if var ie = items[item] {
            ie.ratingCount -= 1; ie.ratingSum -= Double(old); ie.lastSequence = seq
            items[item] = ie
        }
        itemRatings[item]?.remove(user)
        ratingCount -= 1
        noteChange(seq, users: [user], items: [item])
        return true
    }

    func noteChange(_ seq: Int64, users u: [Int64], items i: [Int64]) {
        sequence = max(sequence, seq)
        pendingChanges += 1
        if firstPendingAt == nil { firstPendingAt = Date() }
        dirtyUsers.formUnion(u)
        dirtyItems.formUnion(i)
    }

    // MARK: Flush and publish

    /// Waits until the changes applied so far are published. With `lazyUsers`
    /// (rating writes) changed users are published stale — readers solve them
    /// until the next fold pass — so one flush costs no user fold-in;
    /// otherwise they are re-solved before the publish.
    func flushed(lazyUsers: Bool = false) async {
        if !lazyUsers { fullRefoldRequested = true }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            flushWaiters.append(c)
            if !flushScheduled {
                flushScheduled = true
                // Runs after the callers already queued on this actor (one group commit's batch).
                Task { self.flush(lazyUsers: !self.fullRefoldRequested) }
            }
        }
    }

    /// Re-solves dirty rows (or marks users stale, `lazyUsers`) and publishes
    /// a snapshot; resumes every waiter.
    func flush(forceItems: Bool = false, lazyUsers: Bool = false) {
        flushScheduled = false
        fullRefoldRequested = false
        let waiters = flushWaiters
        flushWaiters = []
        if lazyUsers { refreshItemsIfDue(afterRatingsOnly: true); markStale() } else { refold(forceItems: forceItems) }
        publish()
        for w in waiters { w.resume() }
        scheduleFoldPass()
    }

    func refold(forceItems: Bool = false) {
        guard base != nil else { dirtyUsers = []; return }
        refreshItemsIfDue(force: forceItems)
        refoldUsers(dirtyUsers.union(staleUsers))
        dirtyUsers = []
        staleUsers = []
        needsSeen = []
    }

    /// Item fold-in when rows are missing (new items), forced, or the refresh interval passed.
    /// `afterRatingsOnly`: only rating writes happened since the last flush, so only
    /// `ratedItemsWithoutRow` can need a row (checking every dirty item cost a hash
    /// lookup per item changed in the last second, on every commit).
    func refreshItemsIfDue(force: Bool = false, afterRatingsOnly: Bool = false) {
        guard let base, !dirtyItems.isEmpty else { return }
        let needsNewRows: Bool
        if afterRatingsOnly {
            ratedItemsWithoutRow = ratedItemsWithoutRow.filter { dirtyItems.contains($0) && needsNewRow($0, base: base) }
            needsNewRows = !ratedItemsWithoutRow.isEmpty
        } else {
            needsNewRows = dirtyItems.contains { needsNewRow($0, base: base) }
        }
        if force || needsNewRows {
            refreshItems()
        } else if Date().timeIntervalSince(lastItemRefresh) >= max(itemRefreshInterval, 4 * lastItemPass) {
            scheduleItemPass()
        }
    }

    func publish(partial: Bool = false) {
        publishSnapshot(EngineSnapshot(base: base, users: users, items: items, ratingCount: ratingCount,
                                       sequence: sequence, pendingChanges: pendingChanges, catalogueVersion: catalogueVersion,
                                       partial: partial))
    }

    /// Fold-in of users against the current item rows; updates their `seen` lists.
    func refoldUsers(_ ids: Set<Int64>) {
        guard let base, !ids.isEmpty else { return }
        var changed: [Int64: UserEntry?] = [:]
        for id in ids {
            guard var e = users[id] else { continue }
            // A user reset by `install` is no longer stale: the new model holds its row.
            if staleUsers.contains(id) && !e.staleFoldIn && !dirtyUsers.contains(id) { continue }
            do {
                e.foldedIn = try base.solveUser(id, e)
            } catch {
                logger.error("user fold-in failed", metadata: ["user": "\(id)", "error": "\(error)"])
            }
            e.seen = base.seen(e.ratings)
            e.staleFoldIn = false
            changed[id] = e
        }
        users.update(changed)
    }

    /// Fold-in of dirty items (replacing or appending their rows); users who rated
    /// a newly added item are re-solved too, since their fold-in can now use it.
    func refreshItems() {
        guard let base, !dirtyItems.isEmpty else { return }
        let jobs = itemJobs()
        dirtyItems = []; ratedItemsWithoutRow = []
        lastItemRefresh = Date()
        installItems(Self.solveItems(jobs, base: base, logger: logger), jobs: jobs, base: base)
    }

    /// An item to fold in: its ratings and (collective models) its attributes.
    typealias ItemJob = (id: Int64, ratings: RatingList, attributes: [String: AttributeValue])

    /// The dirty items with ratings or (collective models) attributes, with both.
    func itemJobs() -> [ItemJob] {
        guard let base else { return [] }
        return dirtyItems.compactMap { id in
            let list = itemRatings[id] ?? RatingList(), attrs = itemAttributes(id, base: base)
            return list.count > 0 || !attrs.isEmpty ? (id, list, attrs) : nil
        }
    }

    /// Item rows by fold-in against `base` (pure: runs on or off the actor).
    nonisolated static func solveItems(_ jobs: [ItemJob], base: ModelBase,
                                       logger: Logger) -> ModelBase? {
        var rows: [(id: Int64, vector: ItemVector)] = []
        for (id, list, attrs) in jobs {
            do { rows.append((id, try base.solveItem(list, attributes: attrs))) } catch {
                logger.error("item fold-in failed", metadata: ["item": "\(id)", "error": "\(error)"])
            }
        }
        guard !rows.isEmpty else { return nil }
        do { return try base.replacingItems(rows) } catch {
            logger.error("item row update failed", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Swaps in item rows solved against `base`; users of items that just got a row are re-solved.
    func installItems(_ newBase: ModelBase?, jobs: [ItemJob], base: ModelBase) {
        for (id, list, _) in jobs where base.items.index(of: id) == nil {
            dirtyUsers.formUnion(list.ids); needsSeen.formUnion(list.ids)
        }
        if let newBase { self.base = newBase }
    }

    /// Periodic: refresh items whose fold-in was deferred (off the actor).
    func tick() {
        guard !dirtyItems.isEmpty, base != nil,
              Date().timeIntervalSince(lastItemRefresh) >= max(itemRefreshInterval, 4 * lastItemPass) else { return }
        scheduleItemPass()
    }
}
