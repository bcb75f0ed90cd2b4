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
    /// When the oldest change not yet in a trained model arrived (time-based retrain).
    var firstPendingAt: Date?

    var dirtyUsers: Set<Int64> = []
    var dirtyItems: Set<Int64> = []
    private var lastItemRefresh = Date.distantPast
    private var flushWaiters: [CheckedContinuation<Void, Never>] = []
    private var flushScheduled = false

    init(store: Store, logger: Logger, itemRefreshInterval: Double, publish: @escaping @Sendable (EngineSnapshot) -> Void) {
        self.store = store
        self.logger = logger
        self.itemRefreshInterval = itemRefreshInterval
        self.publishSnapshot = publish
    }

    // MARK: Applying changes (no I/O)

    /// Records one rating in the lists; returns whether the user and item were new.
    func apply(user: Int64, item: Int64, value: Float, sequence seq: Int64) -> (newUser: Bool, newItem: Bool) {
        var ue = users[user] ?? UserEntry()
        let newUser = users[user] == nil
        let old = ue.ratings.set(item, value)
        ue.lastSequence = seq
        users[user] = ue
        let newItem = items[item] == nil
        var entry = items[item] ?? ItemEntry()
        if let old { entry.ratingSum += Double(value - old) } else {
            entry.ratingCount += 1; entry.ratingSum += Double(value); ratingCount += 1
        }
        entry.lastSequence = seq
        items[item] = entry
        itemRatings[item, default: RatingList()].set(user, value)
        noteChange(seq, users: [user], items: [item])
        return (newUser, newItem)
    }

    /// Removes one rating from the lists; false when it was not there.
    @discardableResult
    func unapply(user: Int64, item: Int64, sequence seq: Int64) -> Bool {
        guard var ue = users[user], let old = ue.ratings.remove(item) else { return false }
        ue.lastSequence = seq
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

    /// Waits until the changes applied so far are folded in and published.
    func flushed() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            flushWaiters.append(c)
            if !flushScheduled {
                flushScheduled = true
                // Runs after the callers already queued on this actor (one group commit's batch).
                Task { self.flush() }
            }
        }
    }

    /// Re-solves dirty rows and publishes a snapshot; resumes every waiter.
    func flush(forceItems: Bool = false) {
        flushScheduled = false
        let waiters = flushWaiters
        flushWaiters = []
        refold(forceItems: forceItems)
        publish()
        for w in waiters { w.resume() }
    }

    func refold(forceItems: Bool = false) {
        guard let base else { dirtyUsers = []; return }
        let needsNewRows = dirtyItems.contains { needsNewRow($0, base: base) }
        if !dirtyItems.isEmpty, forceItems || needsNewRows || Date().timeIntervalSince(lastItemRefresh) >= itemRefreshInterval {
            refreshItems()
        }
        refoldUsers(dirtyUsers)
        dirtyUsers = []
    }

    func publish() {
        publishSnapshot(EngineSnapshot(base: base, users: users, items: items, ratingCount: ratingCount,
                                       sequence: sequence, pendingChanges: pendingChanges))
    }

    /// Fold-in of users against the current item rows; updates their `seen` lists.
    func refoldUsers(_ ids: Set<Int64>) {
        guard let base, !ids.isEmpty else { return }
        var changed: [Int64: UserEntry?] = [:]
        for id in ids {
            guard var e = users[id] else { continue }
            var idx: [Int32] = [], vals: [Float] = []
            idx.reserveCapacity(e.ratings.count); vals.reserveCapacity(e.ratings.count)
            for (j, item) in e.ratings.ids.enumerated() {
                if let i = base.items.index(of: item) { idx.append(i); vals.append(e.ratings.values[j]) }
            }
            do {
                e.foldedIn = try foldUser(id, e, base: base, items: idx, ratings: vals)
            } catch {
                logger.error("user fold-in failed", metadata: ["user": "\(id)", "error": "\(error)"])
            }
            e.seen = idx.sorted()
            changed[id] = e
        }
        users.update(changed)
    }

    /// Fold-in of dirty items (replacing or appending their rows); users who rated
    /// a newly added item are re-solved too, since their fold-in can now use it.
    func refreshItems() {
        guard let base, !dirtyItems.isEmpty else { return }
        var rows: [(id: Int64, vector: ItemVector)] = []
        for id in dirtyItems {
            let list = itemRatings[id] ?? RatingList(), attrs = itemAttributes(id, base: base)
            guard list.count > 0 || !attrs.isEmpty else { continue }
            var idx: [Int32] = [], vals: [Float] = []
            for (j, u) in list.ids.enumerated() {
                if let i = base.users.index(of: u) { idx.append(i); vals.append(list.values[j]) }
            }
            do { rows.append((id, try base.foldIn.item(users: idx, ratings: vals, attributes: attrs))) } catch {
                logger.error("item fold-in failed", metadata: ["item": "\(id)", "error": "\(error)"])
            }
            if base.items.index(of: id) == nil { dirtyUsers.formUnion(list.ids) }
        }
        dirtyItems = []
        lastItemRefresh = Date()
        guard !rows.isEmpty else { return }
        do { self.base = try base.replacingItems(rows) } catch {
            logger.error("item row update failed", metadata: ["error": "\(error)"])
        }
    }

    /// Periodic: refresh items whose fold-in was deferred.
    func tick() {
        guard !dirtyItems.isEmpty, base != nil else { return }
        refreshItems()
        refoldUsers(dirtyUsers)
        dirtyUsers = []
        publish()
    }
}
