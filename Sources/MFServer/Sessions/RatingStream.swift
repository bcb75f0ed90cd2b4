import Foundation
import MFStore
import Synchronization

/// Ratings streamed out of one store read transaction (a consistent
/// snapshot) to `export_next` pages. The producer runs on the store's reader
/// thread and blocks when `capacity` chunks wait, so an export holds at most
/// a few chunks in memory however large the table is.
final class RatingStream: Sendable {
    private struct State {
        var chunks: [ArraySlice<Rating>] = []
        var finished = false
        var failure: (any Error)?
        var cancelled = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())
    private let slots: DispatchSemaphore
    private let capacity: Int

    init(capacity: Int = 2) {
        self.capacity = capacity
        slots = DispatchSemaphore(value: capacity)
    }

    /// Producer: queues a chunk, waiting while `capacity` chunks are unread.
    func put(_ chunk: [Rating]) throws {
        slots.wait()
        let waiter = try state.withLock { s throws -> CheckedContinuation<Void, Never>? in
            if s.cancelled { throw CancellationError() }
            s.chunks.append(chunk[...])
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    /// Producer: the stream ended (with `error` when the read failed).
    func finish(_ error: (any Error)?) {
        let waiter = state.withLock { s in
            s.finished = true; s.failure = error
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    /// Consumer gave up: wakes a blocked producer, which then stops with `CancellationError`.
    func cancel() {
        state.withLock { $0.cancelled = true }
        for _ in 0..<capacity { slots.signal() }
    }

    /// Up to `max` ratings; `done` once the stream is exhausted (exactly on the last rows).
    func next(max n: Int) async throws -> (rows: [Rating], done: Bool) {
        var out: [Rating] = []
        out.reserveCapacity(n)
        while true {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { s in
                    if s.chunks.isEmpty && !s.finished { s.waiter = c; return false }
                    return true
                }
                if ready { c.resume() }
            }
            let (freed, end, failure) = state.withLock { s -> (Int, Bool, (any Error)?) in
                var freed = 0
                while out.count < n, !s.chunks.isEmpty {
                    let take = min(n - out.count, s.chunks[0].count)
                    out.append(contentsOf: s.chunks[0].prefix(take))
                    s.chunks[0] = s.chunks[0].dropFirst(take)
                    if s.chunks[0].isEmpty { s.chunks.removeFirst(); freed += 1 }
                }
                return (freed, s.finished && s.chunks.isEmpty, s.failure)
            }
            for _ in 0..<freed { slots.signal() }
            if end, let failure { throw failure }
            if end { return (out, true) }
            if out.count == n, state.withLock({ !$0.chunks.isEmpty }) { return (out, false) }
        }
    }
}
