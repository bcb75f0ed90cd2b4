import Foundation

/// Hands chunks from an async producer (the daemon's socket reader) to the
/// importer blocked on the writer thread, holding at most `capacity` chunks.
final class ChunkChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var finished = false
    private var failure: (any Error)?
    private var closed = false
    private var waitingProducer: CheckedContinuation<Void, Never>?
    private let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Queues a chunk, suspending while the channel is full; false once the consumer has stopped.
    func send(_ chunk: [UInt8]) async -> Bool {
        while true {
            switch offer(chunk) {
            case .sent: return true
            case .closed: return false
            case .full: await withCheckedContinuation { park($0) }
            }
        }
    }

    private enum Offer { case sent, closed, full }

    private func offer(_ chunk: [UInt8]) -> Offer {
        condition.lock()
        defer { condition.unlock() }
        if closed { return .closed }
        guard chunks.count < capacity else { return .full }
        chunks.append(chunk)
        condition.signal()
        return .sent
    }

    /// Parks the producer until the consumer takes a chunk or closes (resumes at once if that already happened).
    private func park(_ continuation: CheckedContinuation<Void, Never>) {
        condition.lock()
        if closed || chunks.count < capacity {
            condition.unlock()
            continuation.resume()
        } else {
            waitingProducer = continuation
            condition.unlock()
        }
    }

    /// End of input: the importer commits after the queued chunks.
    func finish() { settle { $0.finished = true } }

    /// The input failed: the importer throws and nothing is committed.
    func fail(_ error: any Error) { settle { $0.failure = error } }

    /// Consumer side: the importer is done (committed or failed); wakes a waiting producer.
    func close() {
        condition.lock()
        closed = true
        let producer = waitingProducer
        waitingProducer = nil
        condition.unlock()
        producer?.resume()
    }

    /// Consumer side (blocking): the next chunk, nil at the end, or the producer's failure.
    func receive() throws -> [UInt8]? {
        condition.lock()
        while chunks.isEmpty && !finished && failure == nil { condition.wait() }
        if let failure {
            condition.unlock()
            throw failure
        }
        guard !chunks.isEmpty else {
            condition.unlock()
            return nil
        }
        let chunk = chunks.removeFirst()
        let producer = waitingProducer
        waitingProducer = nil
        condition.unlock()
        producer?.resume()
        return chunk
    }

    private func settle(_ change: (ChunkChannel) -> Void) {
        condition.lock()
        change(self)
        condition.broadcast()
        condition.unlock()
    }
}

struct ChannelSource: ChunkSource {
    let channel: ChunkChannel
    mutating func next() throws -> [UInt8]? { try channel.receive() }
    func abort() { channel.fail(RatingBatchQueue.Closed()) }
}
