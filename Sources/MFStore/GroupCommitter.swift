import Dispatch
import GRDB

/// Group commit: concurrent `addRating` callers queue their rows; one drain loop
/// writes everything queued so far in one transaction, then resumes every caller
/// of that batch with its sequence number. While a commit (fsync) is in flight,
/// new callers accumulate for the next batch, so throughput grows with load.
///
/// The loop runs on a serial queue of its own and writes with GRDB's blocking
/// `write`, which runs the transaction on that same thread. An async task that
/// awaited `write` cost a lone commit two more thread hand-offs (task → GRDB's
/// queue → task) on top of the caller's.
final class GroupCommitter: Sendable {
    private struct Pending: Sendable {
        var ratings: [Rating]
        var continuation: CheckedContinuation<Int64, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var draining = false
    }

    private let state = Locked(State())
    private let pool: DatabasePool
    private let maxBatch: Int
    private let drainQueue = DispatchQueue(label: "mfd.group-commit")

    init(pool: DatabasePool, maxBatch: Int) {
        self.pool = pool
        self.maxBatch = max(1, maxBatch)
    }

    /// Returns once the transaction holding `ratings` has committed (all of them, atomically).
    func submit(_ ratings: [Rating]) async throws -> Int64 {
        try await withCheckedThrowingContinuation { continuation in
            let startDrain = state.withLock { state in
                state.queue.append(Pending(ratings: ratings, continuation: continuation))
                if state.draining { return false }
                state.draining = true
                return true
            }
            if startDrain {
                drainQueue.async { self.drain() }
            }
        }
    }

    private func drain() {
        while true {
            let batch = takeBatch()
            if batch.isEmpty { return }
            let rows = batch.flatMap(\.ratings)
            do {
                let sequence = try pool.write { db in
                    let sequence = try ChangeSequence.next(db)
                    var upserter = try RatingUpserter(db, sequence: sequence)
                    for r in rows {
                        try upserter.apply(user: r.user, item: r.item, value: Double(r.value), timestamp: r.timestamp)
                    }
                    try upserter.flush()
                    return sequence
                }
                for pending in batch { pending.continuation.resume(returning: sequence) }
            } catch {
                let mapped = MFStoreError.map(error)
                for pending in batch { pending.continuation.resume(throwing: mapped) }
            }
        }
    }

    /// Takes queued requests up to `maxBatch` rows (at least one request); clears
    /// `draining` when the queue is empty so the next caller starts a new loop.
    private func takeBatch() -> [Pending] {
        state.withLock { state in
            var rows = 0
            var take = 0
            while take < state.queue.count {
                let n = state.queue[take].ratings.count
                if take > 0 && rows + n > maxBatch { break }
                rows += n
                take += 1
            }
            let batch = Array(state.queue.prefix(take))
            state.queue.removeFirst(take)
            if batch.isEmpty { state.draining = false }
            return batch
        }
    }
}
