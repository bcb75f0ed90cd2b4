import MFProtocol
import MFStore
import NIOCore
import Synchronization

/// Coalesces the rating writes (`add_rating`, `add_ratings`) of all
/// connections: one drain loop takes everything queued, commits it in one
/// store transaction, applies it on the writer and publishes one snapshot,
/// then completes every request. Per request this costs a queue append and a
/// promise — no task, actor hop or continuation of its own.
///
/// Each request stays atomic (its ratings share one transaction with the
/// rest of the batch) and is acknowledged only after that commit. While one
/// batch commits, the next one queues, so batches grow with load.
///
/// Two stages overlap: once a batch has committed, the next one commits
/// (on the store's thread) while the writer applies and publishes the first.
/// Applies run in commit order, each after the one before; a batch whose
/// commit failed is retried request by request before the next batch commits.
final class RatingWriteQueue: Sendable {
    private struct Pending: Sendable {
        let ratings: [MFStore.Rating]
        let promise: EventLoopPromise<AddRatingsResult>
    }

    private struct State {
        var queue: [Pending] = []
        var draining = false
        /// The last committed batch's apply; the next batch's apply waits for it.
        var lastApply: Task<Void, Never>?
    }

    private let state = Mutex(State())
    private let writer: EngineWriter

    init(writer: EngineWriter) { self.writer = writer }

    /// Queues one request's ratings; the future completes after the commit and publish that hold them.
    func submit(_ ratings: [MFStore.Rating], on loop: any EventLoop) -> EventLoopFuture<AddRatingsResult> {
        let promise = loop.makePromise(of: AddRatingsResult.self)
        let startDrain = state.withLock { s in
            s.queue.append(Pending(ratings: ratings, promise: promise))
            defer { s.draining = true }
            return !s.draining
        }
        if startDrain { Task { await self.drain() } }
        return promise.futureResult
    }

    private func drain() async {
        while true {
            let batch = take()
            if batch.isEmpty { return }
            let requests = batch.map(\.ratings)
            let committed = await writer.commitBatch(requests)
            if case .failure = committed {
                // Retried alone, in order: no later batch may commit before these requests.
                await state.withLock { $0.lastApply }?.value
                complete(batch, await writer.applyBatch(requests, committed: committed))
                continue
            }
            state.withLock { s in
                let previous = s.lastApply
                s.lastApply = Task { [writer] in
                    await previous?.value
                    self.complete(batch, await writer.applyBatch(requests, committed: committed))
                }
            }
        }
    }

    /// Completes each request on its connection's event loop, with one task per
    /// loop for the whole batch: a promise completed off its loop would queue a
    /// task (and often a wakeup) of its own.
    private func complete(_ batch: [Pending], _ results: [Result<AddRatingsResult, any Error>]) {
        var byLoop: [ObjectIdentifier: (loop: any EventLoop, replies: [(EventLoopPromise<AddRatingsResult>, Result<AddRatingsResult, any Error>)])] = [:]
        for (pending, result) in zip(batch, results) {
            let loop = pending.promise.futureResult.eventLoop
            byLoop[ObjectIdentifier(loop), default: (loop, [])].replies.append((pending.promise, result))
        }
        for (loop, replies) in byLoop.values {
            loop.execute { for (promise, result) in replies { promise.completeWith(result) } }
        }
    }

    /// Everything queued (bounded by connections × in-flight cap); clears `draining` when none is left.
    private func take() -> [Pending] {
        state.withLock { s in
            let batch = s.queue
            s.queue = []
            if batch.isEmpty { s.draining = false }
            return batch
        }
    }
}

extension EngineWriter {
    /// Commits several requests' ratings in one transaction, applies them in
    /// request order and publishes once. If the combined commit fails, each
    /// request is committed alone, so one bad request fails only itself.
    func addRatingBatch(_ requests: [[MFStore.Rating]]) async -> [Result<AddRatingsResult, any Error>] {
        await applyBatch(requests, committed: await commitBatch(requests))
    }

    /// The durable half of `addRatingBatch`: one transaction for every request,
    /// queued in the store in call order. Touches no writer state.
    nonisolated func commitBatch(_ requests: [[MFStore.Rating]]) async -> Result<Int64, any Error> {
        do {
            let all = requests.count == 1 ? requests[0] : requests.flatMap { $0 }
            return .success(all.count == 1 ? try await store.addRating(all[0]) : try await store.addRatings(all))
        } catch {
            return .failure(error)
        }
    }

    /// The in-memory half: applies a committed batch and publishes; after a
    /// failed commit, commits and applies each request alone instead.
    func applyBatch(_ requests: [[MFStore.Rating]], committed: Result<Int64, any Error>) async
        -> [Result<AddRatingsResult, any Error>] {
        let seq: Int64
        switch committed {
        case .success(let s): seq = s
        case .failure(let error):
            if requests.count == 1 { return [.failure(error)] }
            var out: [Result<AddRatingsResult, any Error>] = []
            for r in requests {
                do { out.append(.success(try await addRatings(r))) } catch { out.append(.failure(error)) }
            }
            return out
        }
        let out = zip(requests, apply(requests, sequence: seq)).map { r, n -> Result<AddRatingsResult, any Error> in
            .success(AddRatingsResult(count: r.count, seq: seq, newUsers: n.newUsers, newItems: n.newItems))
        }
        // This call already carries a whole batch: publish now rather than via a scheduled flush task.
        flush(lazyUsers: !fullRefoldRequested)
        return out
    }
}

extension AddRatingsResult {
    /// The `add_rating` view of a one-rating batch.
    var single: AddRatingResult { AddRatingResult(seq: seq, newUser: newUsers > 0, newItem: newItems > 0) }
}
