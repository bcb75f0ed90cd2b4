import Dispatch
import Foundation
import MFCore

/// Deferred user fold-in for rating writes.
///
/// A rating write is acknowledged after its commit and one publish in which
/// the user's entry is marked `staleFoldIn` (its ratings and `seen` list are
/// current; readers solve its row themselves). A fold pass, at most every
/// `foldPassDelay`, re-solves every stale user once, off the actor, and
/// publishes the rows. Under load many ratings of a user share one solve,
/// the way many writes share one commit.
extension EngineWriter {
    /// Tests hold stale users stale with a long delay.
    func setFoldPassDelay(_ d: Duration) { foldPassDelay = d }

    /// Publishes the dirty users as stale: `apply` already set the flag and
    /// `seen`; only users who rated an item that just got a row need a new `seen`.
    func markStale() {
        guard let base else { dirtyUsers = []; needsSeen = []; return }
        var changed: [Int64: UserEntry?] = [:]
        for id in needsSeen {
            guard var e = users[id] else { continue }
            e.seen = base.seen(e.ratings)
            e.staleFoldIn = true
            changed[id] = e
        }
        if !changed.isEmpty { users.update(changed) }
        staleUsers.formUnion(dirtyUsers)
        dirtyUsers = []
        needsSeen = []
    }

    static let foldQueue = DispatchQueue(label: "mfd.fold-pass", qos: .utility)

    func scheduleFoldPass() {
        guard !foldPassScheduled, !staleUsers.isEmpty else { return }
        foldPassScheduled = true
        let pause = max(foldPassDelay, lastFoldPass * 4)
        Task {
            try? await Task.sleep(for: pause)
            await self.foldPass()
        }
    }

    /// Solves the stale users off the actor; keeps each result only if the
    /// user's ratings and the model did not change meanwhile (else it stays stale).
    func foldPass() async {
        foldPassScheduled = false
        // One pass at a time: an item pass swaps the model, which would void this pass's results.
        guard !itemPassRunning else { foldAfterItemPass = true; return }
        guard let base, !staleUsers.isEmpty else { return }
        foldPassRunning = true
        defer { foldPassRunning = false }
        let jobs = staleUsers.compactMap { id in users[id].flatMap { $0.staleFoldIn ? (id, $0) : nil } }
        staleUsers = []
        let start = ContinuousClock.now
        // On a queue of its own: a long pass must not occupy the cooperative pool the replies need.
        let solved = await withCheckedContinuation { c in
            Self.foldQueue.async { c.resume(returning: jobs.map { id, e in (id, e, Result { try base.solveUser(id, e) }) }) }
        }
        lastFoldPass = ContinuousClock.now - start
        var changed: [Int64: UserEntry?] = [:]
        for (id, solvedFrom, result) in solved {
            guard var e = users[id], e.staleFoldIn else { continue }  // re-solved or reset meanwhile
            guard self.base === base, e.ratings == solvedFrom.ratings, e.attributes == solvedFrom.attributes else {
                staleUsers.insert(id); continue
            }
            switch result {
            case .success(let v): e.foldedIn = v
            case .failure(let error): logger.error("user fold-in failed", metadata: ["user": "\(id)", "error": "\(error)"])
            }
            e.staleFoldIn = false
            changed[id] = e
        }
        if !changed.isEmpty {
            users.update(changed)
            publish()
        }
        scheduleFoldPass()
    }

    /// Refreshes the dirty items' rows off the actor (item fold-in and the
    /// model copy take long enough to stall every reply). The rows are kept
    /// only if the model did not change meanwhile; items rated meanwhile stay dirty.
    func scheduleItemPass() {
        guard !itemPassRunning, !foldPassRunning, let base, !dirtyItems.isEmpty else { return }
        itemPassRunning = true
        let jobs = itemJobs()
        let taken = dirtyItems
        dirtyItems = []; ratedItemsWithoutRow = []
        lastItemRefresh = Date()
        Task {
            let start = Date()
            let newBase = await withCheckedContinuation { c in
                Self.foldQueue.async { [logger] in c.resume(returning: Self.solveItems(jobs, base: base, logger: logger)) }
            }
            self.lastItemPass = Date().timeIntervalSince(start)
            self.finishItemPass(newBase, jobs: jobs, taken: taken, base: base)
        }
    }

    private func finishItemPass(_ newBase: ModelBase?, jobs: [ItemJob], taken: Set<Int64>, base: ModelBase) {
        itemPassRunning = false
        if foldAfterItemPass {
            foldAfterItemPass = false
            Task { await self.foldPass() }  // runs after this method: it sees the new rows
        }
        guard self.base === base else {
            // Rows this pass would have added are due again, from the next flush on.
            dirtyItems.formUnion(taken); ratedItemsWithoutRow.formUnion(taken); return
        }
        installItems(newBase, jobs: jobs, base: base)
        if dirtyUsers.isEmpty && newBase == nil { return }
        markStale()
        publish()
        scheduleFoldPass()
    }
}

/// The fold-in at the end of a load or reload (`refoldAllDirty` on the actor),
/// in three short actor turns around two long solves on `BackgroundThread`:
/// the items first, then the users against the new item rows, as `refold` does.
extension EngineWriter {
    /// A user to re-solve, and what it was solved into (`seen` too: new item rows change it).
    typealias UserSolve = (id: Int64, from: UserEntry, seen: [Int32], result: Result<UserVector?, any Error>)

    /// Takes every dirty item's fold-in job; nil without a model (nothing to solve).
    func takeItemJobsForRefold() -> (jobs: [ItemJob], base: ModelBase)? {
        markAttributeRows()
        guard let base else { return nil }
        let jobs = itemJobs()
        dirtyItems = []; ratedItemsWithoutRow = []
        lastItemRefresh = Date()
        return (jobs, base)
    }

    /// Installs the items' new rows (unless the model changed meanwhile: then
    /// they are due again) and hands out the users to re-solve against the model now.
    func userJobsForRefold(_ newBase: ModelBase?, items jobs: [ItemJob], base: ModelBase) -> (base: ModelBase, users: [(Int64, UserEntry)])? {
        if self.base === base { installItems(newBase, jobs: jobs, base: base) } else { dirtyItems.formUnion(jobs.map(\.id)) }
        guard let now = self.base else { return nil }
        let ids = dirtyUsers.union(staleUsers).filter { id in
            // As `refoldUsers`: a user reset by `install` is no longer stale.
            !(staleUsers.contains(id) && users[id]?.staleFoldIn == false && !dirtyUsers.contains(id))
        }
        return (now, ids.compactMap { id in users[id].map { (id, $0) } })
    }

    /// Solves `users` against `base` (pure: runs off the actor).
    nonisolated static func solveUsers(_ users: [(Int64, UserEntry)], base: ModelBase) -> [UserSolve] {
        users.map { id, e in (id, e, base.seen(e.ratings), Result { try base.solveUser(id, e) }) }
    }

    /// Keeps each solved row whose user and model did not change meanwhile
    /// (others stay dirty), then flushes: what is left is solved on the actor,
    /// and one snapshot is published.
    func finishRefold(_ solved: [UserSolve], base: ModelBase) {
        var changed: [Int64: UserEntry?] = [:]
        if self.base === base {
            for s in solved {
                guard var e = users[s.id], e.ratings == s.from.ratings, e.attributes == s.from.attributes else { continue }
                switch s.result {
                case .success(let v): e.foldedIn = v
                case .failure(let error): logger.error("user fold-in failed", metadata: ["user": "\(s.id)", "error": "\(error)"])
                }
                e.seen = s.seen
                e.staleFoldIn = false
                changed[s.id] = e
            }
        }
        users.update(changed)
        dirtyUsers.subtract(changed.keys)
        staleUsers.subtract(changed.keys)
        needsSeen.subtract(changed.keys)
        flush(forceItems: false)
    }
}
